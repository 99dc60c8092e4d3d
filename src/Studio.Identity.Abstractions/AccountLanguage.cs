using System.Security.Claims;

namespace Studio.Identity;

/// <summary>
/// Remembers a signed-in user's language on their account (<see cref="StudioUser.Culture"/>), so it follows them to
/// another browser: signing in sets the language cookie from it, and e-mails to them are written in it.
/// Implemented by the Identity module; absent when it is not enabled.
/// </summary>
public interface IAccountLanguage
{
    /// <summary>Saves <paramref name="culture"/> (a culture name such as <c>fr-CH</c>) on the user's account.</summary>
    Task SaveAsync(ClaimsPrincipal user, string culture, CancellationToken cancellationToken = default);
}
