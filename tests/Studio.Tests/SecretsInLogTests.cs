using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Email.Outbox;
using Studio.Modules.TwoFactor.Services;
using Studio.Security;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// A host that logs everything, at Trace, in every category (the framework's own included): what a production
/// host switched to debug logging would write. The sign-in budgets are large, so the flows below are not limited.
/// </summary>
public sealed class TraceLoggingStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:System"] = "Trace";
        settings["Studio:Email:PollInterval"] = "00:00:00";
        settings["Studio:Email:FromAddress"] = "no-reply@studio.test";
        foreach (var policy in new[] { RateLimitPolicies.SignIn, RateLimitPolicies.Recovery, RateLimitPolicies.MagicLink })
            settings[$"Studio:RateLimits:{policy}:PermitLimit"] = "1000";
        return settings;
    }
}

/// <summary>
/// Nothing secret reaches the logs (recording-studio-manager shipped session ids and cookies to its production
/// logs). Every sign-in flow runs against a host logging at Trace into a capturing logger, with secrets planted
/// along the way — passwords, the SMTP password, magic-link, reset and invitation tokens, session and antiforgery
/// cookies, the TOTP key, codes and recovery codes — and none may appear anywhere in what was logged: messages,
/// structured values, exceptions or scopes.
/// </summary>
public sealed partial class SecretsInLogTests(TraceLoggingStudioFactory factory) : StudioTest<TraceLoggingStudioFactory>(factory)
{
    private readonly List<string> _secrets = [];

    private string Plant(string secret)
    {
        _secrets.Add(secret);
        return secret;
    }

    [Fact]
    public async Task Planted_secrets_of_every_sign_in_flow_never_reach_the_log()
    {
        var smtpPassword = Plant("smtp-" + Guid.NewGuid().ToString("N"));
        await using var smtp = new SmtpTestServer("studio", smtpPassword);
        var tenant = await CreateTenantAsync(["Studio.Email", "Studio.Audit", "Studio.TwoFactor"]);
        var settings = JsonSerializer.Serialize(new
        {
            Email = new { Providers = new[] { new { Kind = "Smtp", Host = "127.0.0.1", smtp.Port, Tls = "None", User = "studio", Password = smtpPassword } } },
            Identity = new { AllowClientSignUp = true },
        });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = settings });

        // Password sign-in: a wrong password, then the right one; the session cookie it sets.
        var password = Plant("pw-" + Guid.NewGuid().ToString("N"));
        var owner = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Owner], password: password);
        var (refused, _) = await Factory.SignInThroughPageAsync(tenant.Host, owner.Email!, Plant("wrong-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var (signedIn, ownerClient) = await Factory.SignInThroughPageAsync(tenant.Host, owner.Email!, password);
        PlantCookies(signedIn);
        var staffPage = await GetStringAsync(ownerClient, "admin/staff");
        Plant(TestAccounts.Antiforgery(staffPage));

        // Magic link: requested, then used.
        var client = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Client]);
        using (await SubmitAsync(Factory.ClientFor(tenant.Host), "account/magic-link", new() { ["Email"] = client.Email! }, "Request")) { }
        var magic = Relative(await LinkSentToAsync(tenant, client.Email!));
        PlantToken(magic);
        using (var used = await SubmitAsync(Factory.ClientFor(tenant.Host), magic, [], "Use"))
        {
            Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
            PlantCookies(used);
        }

        // Password reset: requested, then a new password set through the link.
        using (await SubmitAsync(Factory.ClientFor(tenant.Host), "account/forgot-password", new() { ["Email"] = client.Email! })) { }
        var reset = Relative(await LinkSentToAsync(tenant, client.Email!, skip: 1));
        PlantToken(reset);
        using (var changed = await SubmitAsync(Factory.ClientFor(tenant.Host), reset, new() { ["Password"] = Plant("reset-" + Guid.NewGuid().ToString("N")) }))
            Assert.Contains("Your password is changed.", await changed.Content.ReadAsStringAsync());

        // Invitation: sent by the owner, accepted with a password.
        var invitee = $"eng-{Guid.NewGuid():N}@example.test";
        using (var invited = await SubmitAsync(ownerClient, "admin/staff", new() { ["Email"] = invitee, ["DisplayName"] = "Eno", ["Role"] = StudioRoles.Engineer }, "Invite"))
            Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var invitation = Relative(await LinkSentToAsync(tenant, invitee));
        PlantToken(invitation);
        using (var accepted = await SubmitAsync(Factory.ClientFor(tenant.Host), invitation, new() { ["Password"] = Plant("invite-" + Guid.NewGuid().ToString("N")) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            PlantCookies(accepted);
        }

        // Two-factor: enrolment (key, confirming code, recovery codes), a sign-in with a code, one with a recovery code.
        var setup = await GetStringAsync(ownerClient, "account/two-factor/setup");
        var key = Plant(ManualKeyRegex().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        Plant(ManualKeyRegex().Match(setup).Groups[1].Value);
        var enrolment = Plant(TotpEngine.Compute(TotpEngine.DecodeKey(key), DateTimeOffset.UtcNow));
        var enabled = await PostAsync(ownerClient, "account/two-factor/setup?handler=Enable", setup, ("Code", enrolment));
        var recoveryCodes = CodeRegex().Matches(RecoveryListRegex().Match(enabled).Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        recoveryCodes.ForEach(code => Plant(code));

        var (second, secondClient) = await Factory.SignInThroughPageAsync(tenant.Host, owner.Email!, password);
        Assert.StartsWith(IdentityPaths.TwoFactor, second.Headers.Location!.OriginalString);
        PlantCookies(second);
        var step = await GetStringAsync(secondClient, second.Headers.Location.OriginalString.TrimStart('/'));
        var code = Plant(TotpEngine.Compute(TotpEngine.DecodeKey(key), DateTimeOffset.UtcNow.AddSeconds(30)));
        using (var withCode = await secondClient.PostAsync("account/two-factor", new FormUrlEncodedContent(Form(step, ("Code", code)))))
        {
            Assert.Equal(HttpStatusCode.Redirect, withCode.StatusCode);
            PlantCookies(withCode);
        }
        var (third, thirdClient) = await Factory.SignInThroughPageAsync(tenant.Host, owner.Email!, password);
        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        var recoveryPage = await GetStringAsync(thirdClient, "account/two-factor/recovery");
        using (var withRecovery = await thirdClient.PostAsync("account/two-factor/recovery", new FormUrlEncodedContent(Form(recoveryPage, ("RecoveryCode", recoveryCodes[4])))))
        {
            Assert.Equal(HttpStatusCode.Redirect, withRecovery.StatusCode);
            PlantCookies(withRecovery);
        }

        // The mails go out through SMTP with the (encrypted at rest) password: the provider logs its work too.
        var sent = await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<EmailDispatcher>().DispatchAsync());
        Assert.True(smtp.Messages.Count >= 3, $"{smtp.Messages.Count} mails delivered ({sent} in this round)"); // magic link, reset, invitation
        Assert.Equal(0, smtp.FailedLogins);

        var log = Factory.Logs.FullText();
        // The capture really was verbose: the framework's own debug and trace entries are in it.
        Assert.Contains(Factory.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(Factory.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Debug);
        Assert.True(_secrets.Count >= 25, $"{_secrets.Count} secrets planted");
        foreach (var secret in _secrets.Where(s => s.Length >= 6).Distinct())
        {
            Assert.False(log.Contains(secret, StringComparison.OrdinalIgnoreCase), $"A planted secret ({secret[..3]}…) is in the log.");
            Assert.False(log.Contains(Uri.EscapeDataString(secret), StringComparison.OrdinalIgnoreCase), $"A planted secret ({secret[..3]}…) is in the log, URL-encoded.");
        }
    }

    /// <summary>Every cookie value the response sets (session, two-factor, antiforgery) is a secret.</summary>
    private void PlantCookies(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
            return;
        foreach (var cookie in cookies)
        {
            var value = cookie.Split(';')[0];
            value = value[(value.IndexOf('=') + 1)..];
            if (value.Length >= 16)
                Plant(value);
        }
    }

    private void PlantToken(string link)
    {
        foreach (Match match in TokenRegex().Matches(link))
        {
            Plant(Uri.UnescapeDataString(match.Groups[1].Value));
            Plant(match.Groups[1].Value);
        }
    }

    private Task<string> LinkSentToAsync(TestTenant tenant, string to, int skip = 0) => Factory.InTenantAsync(tenant.Name, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        var texts = (await connection.QueryAsync<string>("SELECT text_body FROM email_outbox WHERE to_address = @to ORDER BY id", new { to })).ToList();
        Assert.True(texts.Count > skip, $"no mail #{skip + 1} to {to}");
        return LinkRegex().Match(texts[skip]).Value;
    });

    private static string Relative(string absoluteLink) => new Uri(absoluteLink).PathAndQuery.TrimStart('/');

    private static Dictionary<string, string> Form(string html, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = TestAccounts.Antiforgery(html) };
        foreach (var (name, value) in fields)
            form[name] = value;
        return form;
    }

    private static async Task<string> PostAsync(HttpClient client, string url, string page, params (string Name, string Value)[] fields)
    {
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(Form(page, fields)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {url}: {(int)response.StatusCode} {Truncate(body)}");
        return body;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, Dictionary<string, string> fields, string? handler = null)
    {
        var page = await GetStringAsync(client, url);
        fields["__RequestVerificationToken"] = TestAccounts.Antiforgery(page);
        var target = handler is null ? url : url + (url.Contains('?') ? "&" : "?") + "handler=" + handler;
        return await client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkRegex();

    [GeneratedRegex("[?&](?:token|code)=([^&]+)")]
    private static partial Regex TokenRegex();

    [GeneratedRegex("id=\"manual-key\"[^>]*>([a-z2-7 ]+)<")]
    private static partial Regex ManualKeyRegex();

    [GeneratedRegex("<ul id=\"recovery-codes\">(.*?)</ul>", RegexOptions.Singleline)]
    private static partial Regex RecoveryListRegex();

    [GeneratedRegex("<code>([^<]+)</code>")]
    private static partial Regex CodeRegex();
}
