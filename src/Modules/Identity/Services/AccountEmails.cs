using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Email;
using Studio.Identity;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Sends the account e-mails (links) through the tenant's outbox and templates when the Email feature is on.
/// Links are absolute, built from the request's scheme, host and tenant prefix. The link itself is never logged.
/// </summary>
public sealed class AccountEmails(IServiceProvider services, IHttpContextAccessor accessor, ILogger<AccountEmails> logger)
{
    /// <summary>Template names (see the Email module's templates).</summary>
    public const string Invitation = "invitation", MagicLink = "magic-link", PasswordReset = "password-reset", ConfirmEmail = "confirm-email";

    /// <summary>Base address of links outside a request (a recipe run), e.g. <c>https://demo.example.com</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An absolute link to a tenant-relative <paramref name="path"/> with a query.</summary>
    public string Link(string path, IReadOnlyDictionary<string, string?> query)
    {
        if (accessor.HttpContext?.Request is { } request)
            return $"{request.Scheme}://{request.Host}{request.PathBase}{path}{QueryString.Create(query)}";
        if (BaseUrl is null)
            throw new InvalidOperationException("A link outside a request needs a base address.");
        return $"{BaseUrl.TrimEnd('/')}{path}{QueryString.Create(query)}";
    }

    /// <summary>Renders and queues one e-mail; false when the tenant has no e-mail feature (nothing is sent).</summary>
    public async Task<bool> SendAsync(string template, StudioUser user, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var outbox = services.GetService<IEmailOutbox>();
        var templates = services.GetService<IEmailTemplates>();
        if (outbox is null || templates is null || string.IsNullOrEmpty(user.Email))
        {
            logger.LogInformation("Account e-mail {Template} not sent: the tenant has no e-mail feature", template);
            return false;
        }
        var message = templates.Render(template, user.Email, user.DisplayName, user.Culture, values);
        await outbox.EnqueueAsync(message, cancellationToken: cancellationToken);
        return true;
    }
}
