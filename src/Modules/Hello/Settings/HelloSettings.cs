namespace Studio.Modules.Hello.Settings;

/// <summary>Per-tenant settings of the Hello module (section <c>Hello</c> of the tenant's settings).</summary>
public sealed class HelloSettings
{
    public const string Section = "Hello";

    /// <summary>Headline shown above the greetings.</summary>
    public string Headline { get; set; } = "";

    /// <summary>How many greetings the page shows.</summary>
    public int PageSize { get; set; } = 20;
}
