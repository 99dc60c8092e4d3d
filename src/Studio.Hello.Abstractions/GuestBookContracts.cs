namespace Studio.Hello;

/// <summary>The Hello module's feature id.</summary>
public static class HelloFeature
{
    /// <summary>Feature id of the guest book.</summary>
    public const string Id = "Studio.Hello";
}

/// <summary>
/// The tenant's guest book, as other modules may see it. Registered in the tenant container only where the Hello
/// feature is enabled: a module that uses it does so from a startup marked <c>[RequireFeatures(HelloFeature.Id)]</c>,
/// so it exists exactly where both features are on.
/// </summary>
public interface IGuestBook
{
    /// <summary>How many greetings the tenant's guest book holds.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
