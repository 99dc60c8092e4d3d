using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// The account pages end to end, with the e-mails read from the tenant's outbox: magic links, password reset,
/// invitations and staff, sign-up, lockout, sessions ended by a password change, the two-factor hand-over.
/// </summary>
public sealed partial class IdentityFlowTests(EmailStudioFactory factory) : StudioTest<EmailStudioFactory>(factory)
{
    private const string SessionPrefix = Studio.Modules.Identity.Startup.CookiePrefix;
    private static readonly string[] Features = ["Studio.Email", "Studio.Audit"];

    private sealed record Mail(string To, string Subject, string Text);

    private sealed record Audit(string Action, string ActorName, string? Target, string? Ip, string? UserAgent, string? BeforeJson, string? AfterJson);

    private Task<List<Mail>> MailsAsync(TestTenant t) => Factory.InTenantAsync(t.Name, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        return (await connection.QueryAsync<Mail>("SELECT to_address AS \"To\", subject AS Subject, text_body AS Text FROM email_outbox ORDER BY id")).ToList();
    });

    private Task<List<Audit>> AuditAsync(TestTenant t, string action) => Factory.InTenantAsync(t.Name, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        return (await connection.QueryAsync<Audit>(
            "SELECT action AS Action, actor_name AS ActorName, target AS Target, ip AS Ip, user_agent AS UserAgent, before_json AS BeforeJson, after_json AS AfterJson FROM audit_entries WHERE action = @action ORDER BY id",
            new { action })).ToList();
    });

    private static string LinkIn(Mail mail) => LinkRegex().Match(mail.Text).Value;

    /// <summary>GETs a page and posts its (first) form with <paramref name="fields"/>.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, Dictionary<string, string> fields, string? handler = null)
    {
        using var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)page.StatusCode} {Truncate(html)}");
        fields["__RequestVerificationToken"] = TestAccounts.Antiforgery(html);
        var target = handler is null ? url : url + (url.Contains('?') ? "&" : "?") + "handler=" + handler;
        return await client.PostAsync(target, new FormUrlEncodedContent(fields));
    }

    private static string Relative(string absoluteLink) => new Uri(absoluteLink).PathAndQuery.TrimStart('/');

    private async Task<TestTenant> TenantAsync(string? settingsJson = null)
    {
        var t = await CreateTenantAsync(Features);
        if (settingsJson is not null)
            await Factory.Get<TenantService>().UpdateAsync(t.Name, null, r => r with { SettingsJson = settingsJson });
        return t;
    }

    [Fact]
    public async Task A_magic_link_signs_in_once_and_the_request_answers_the_same_for_unknown_addresses()
    {
        var t = await TenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Client]);
        var known = await (await SubmitAsync(t.Client, "account/magic-link", new() { ["Email"] = user.Email! }, "Request")).Content.ReadAsStringAsync();
        var unknown = await (await SubmitAsync(t.Client, "account/magic-link", new() { ["Email"] = "nobody@example.test" }, "Request")).Content.ReadAsStringAsync();
        Assert.Contains("If this address has an account, a sign-in link is on its way.", known);
        Assert.Equal(Strip(known), Strip(unknown));

        var mail = Assert.Single(await MailsAsync(t));
        Assert.Equal(user.Email, mail.To);
        var link = Relative(LinkIn(mail));
        Assert.StartsWith("account/magic-link?token=", link);
        Assert.Contains("15 minutes", mail.Text);

        // Opening the link does not use it (mail scanners open links); the button does, once.
        var browser = Factory.ClientFor(t.Host);
        using var first = await SubmitAsync(browser, link, [], "Use");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.NotNull(TestAccounts.SetCookie(first, SessionPrefix + t.Name + "="));
        var other = Factory.ClientFor(t.Host);
        using var second = await SubmitAsync(other, link, [], "Use");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("This sign-in link is not valid any more", await second.Content.ReadAsStringAsync());
        Assert.Null(TestAccounts.SetCookie(second, SessionPrefix));

        Assert.Single(await AuditAsync(t, IdentityEvents.MagicLinkIssued));
        Assert.Single(await AuditAsync(t, IdentityEvents.MagicLinkUsed));
        var token = Regex.Match(link, "token=([^&]+)").Groups[1].Value;
        Assert.DoesNotContain(TestLogs, e => e.ToString().Contains(Uri.UnescapeDataString(token), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Password_reset_answers_the_same_whatever_the_address_and_ends_other_sessions()
    {
        var t = await TenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        var oldSession = Factory.ClientWithCookie(t.Host, await Factory.SessionCookieAsync(t.Name, user));
        Assert.Equal(HttpStatusCode.OK, (await oldSession.GetAsync("admin/staff")).StatusCode);

        var known = await (await SubmitAsync(t.Client, "account/forgot-password", new() { ["Email"] = user.Email! })).Content.ReadAsStringAsync();
        var unknown = await (await SubmitAsync(t.Client, "account/forgot-password", new() { ["Email"] = "nobody@example.test" })).Content.ReadAsStringAsync();
        Assert.Equal(Strip(known), Strip(unknown));
        var mail = Assert.Single(await MailsAsync(t));
        Assert.Contains("Choose a new password", mail.Subject);

        const string newPassword = "a-brand-new-passphrase";
        var link = Relative(LinkIn(mail));
        using var reset = await SubmitAsync(t.Client, link, new() { ["Password"] = newPassword });
        Assert.Contains("Your password is changed.", await reset.Content.ReadAsStringAsync());
        // The link worked once: the security stamp changed with the password.
        using var again = await SubmitAsync(t.Client, link, new() { ["Password"] = "yet-another-passphrase" });
        Assert.Contains("This link is not valid any more.", await again.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await oldSession.GetAsync("admin/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Factory.SignInThroughPageAsync(t.Host, user.Email!)).Response.StatusCode); // old password: the form again
        Assert.Equal(HttpStatusCode.Redirect, (await Factory.SignInThroughPageAsync(t.Host, user.Email!, newPassword)).Response.StatusCode);
        Assert.Single(await AuditAsync(t, IdentityEvents.PasswordReset));
        Assert.DoesNotContain(TestLogs, e => e.Message.Contains(newPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var t = await TenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Admin]);
        var other = Factory.ClientWithCookie(t.Host, await Factory.SessionCookieAsync(t.Name, user));
        var (_, client) = await Factory.SignInThroughPageAsync(t.Host, user.Email!);
        using var changed = await SubmitAsync(client, "account/password", new() { ["CurrentPassword"] = TestAccounts.Password, ["NewPassword"] = "another-long-passphrase" });
        Assert.Contains("Your password is changed.", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("admin/staff")).StatusCode);
        Assert.Single(await AuditAsync(t, IdentityEvents.PasswordChanged));
    }

    [Fact]
    public async Task An_owner_invites_staff_who_set_a_password_and_role_changes_are_audited()
    {
        var t = await TenantAsync();
        var owner = await Factory.ClientAsAsync(t, StudioRoles.Owner);
        using var invited = await SubmitAsync(owner, "admin/staff", new() { ["Email"] = "eng@example.test", ["DisplayName"] = "Eno", ["Role"] = StudioRoles.Engineer }, "Invite");
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var list = await GetStringAsync(owner, "admin/staff");
        Assert.Contains("eng@example.test", list);

        var mail = Assert.Single(await MailsAsync(t));
        Assert.Equal("eng@example.test", mail.To);
        var link = Relative(LinkIn(mail));
        var invitee = Factory.ClientFor(t.Host);
        Assert.Contains("eng@example.test", await GetStringAsync(invitee, link));
        using var weak = await SubmitAsync(invitee, link, new() { ["Password"] = "short" });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode); // a clear message, and the invitation still works
        using var accepted = await SubmitAsync(invitee, link, new() { ["Password"] = "engineer-passphrase" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.NotNull(TestAccounts.SetCookie(accepted, SessionPrefix + t.Name + "="));
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.GetAsync("admin/staff")).StatusCode); // engineer: access denied
        Assert.Contains("This invitation is not valid any more", await GetStringAsync(Factory.ClientFor(t.Host), link));

        Assert.Single(await AuditAsync(t, IdentityEvents.InvitationSent));
        Assert.Single(await AuditAsync(t, IdentityEvents.InvitationAccepted));

        var id = await Factory.InTenantAsync(t.Name, async sp => (await sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync("eng@example.test"))!.Id);
        using var promoted = await SubmitAsync(owner, "admin/staff", new() { ["UserId"] = id, ["Role"] = StudioRoles.Admin }, "Role");
        Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        var change = Assert.Single(await AuditAsync(t, IdentityEvents.RolesChanged));
        Assert.Contains("engineer", change.BeforeJson);
        Assert.Contains("admin", change.AfterJson);
        // The role change ended the invitee's session (security stamp).
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.GetAsync("admin/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Factory.SignInThroughPageAsync(t.Host, "eng@example.test", "engineer-passphrase")).Response.StatusCode);

        using var removed = await SubmitAsync(owner, "admin/staff", new() { ["UserId"] = id }, "Remove");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.DoesNotContain("eng@example.test", await GetStringAsync(owner, "admin/staff"));
    }

    [Fact]
    public async Task The_last_owner_cannot_be_removed_and_an_admin_cannot_make_owners()
    {
        var t = await TenantAsync();
        var owner = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        var ownerClient = Factory.ClientWithCookie(t.Host, await Factory.SessionCookieAsync(t.Name, owner));
        using var refused = await SubmitAsync(ownerClient, "admin/staff", new() { ["UserId"] = owner.Id }, "Remove");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The studio needs at least one owner.", await refused.Content.ReadAsStringAsync());

        var admin = await Factory.ClientAsAsync(t, StudioRoles.Admin);
        using var invite = await SubmitAsync(admin, "admin/staff", new() { ["Email"] = "boss@example.test", ["Role"] = StudioRoles.Owner }, "Invite");
        Assert.Contains("Only an owner can give or take the owner role.", await invite.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Client_sign_up_exists_only_where_the_tenant_allows_it_and_needs_a_confirmed_address()
    {
        var closed = await TenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await closed.Client.GetAsync("account/sign-up")).StatusCode);
        Assert.DoesNotContain("account/sign-up", await GetStringAsync(closed.Client, "account/sign-in"));

        var t = await TenantAsync("""{ "Identity": { "AllowClientSignUp": true } }""");
        Assert.Contains("account/sign-up", await GetStringAsync(t.Client, "account/sign-in"));
        using var signedUp = await SubmitAsync(t.Client, "account/sign-up", new() { ["Email"] = "cli@example.test", ["DisplayName"] = "Cli", ["Password"] = "client-passphrase" });
        Assert.Contains("We sent an e-mail to confirm your address", await signedUp.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Factory.SignInThroughPageAsync(t.Host, "cli@example.test", "client-passphrase")).Response.StatusCode); // not yet

        var mail = Assert.Single(await MailsAsync(t));
        Assert.Contains("Confirm your e-mail address", mail.Subject);
        Assert.Contains("your e-mail address is confirmed", await GetStringAsync(t.Client, Relative(LinkIn(mail))));
        var (response, client) = await Factory.SignInThroughPageAsync(t.Host, "cli@example.test", "client-passphrase");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("admin/staff")).StatusCode); // a client is not staff
        Assert.Single(await AuditAsync(t, IdentityEvents.EmailConfirmed));

        // Signing up again with the same address: the same answer, no second account, no mail.
        using var again = await SubmitAsync(Factory.ClientFor(t.Host), "account/sign-up", new() { ["Email"] = "cli@example.test", ["DisplayName"] = "X", ["Password"] = "other-passphrase" });
        Assert.Contains("We sent an e-mail to confirm your address", await again.Content.ReadAsStringAsync());
        Assert.Single(await MailsAsync(t));
    }

    [Fact]
    public async Task Sign_up_carries_a_local_return_url_through_the_confirmation_to_sign_in_and_drops_any_other()
    {
        var t = await TenantAsync("""{ "Identity": { "AllowClientSignUp": true } }""");
        const string back = "/book/hold/42?x=1";
        Assert.Contains("account/sign-up?returnUrl=%2Fbook%2Fhold%2F42", await GetStringAsync(t.Client, "account/sign-in?returnUrl=" + Uri.EscapeDataString(back)));
        using var signedUp = await SubmitAsync(t.Client, "account/sign-up?returnUrl=" + Uri.EscapeDataString(back),
            new() { ["Email"] = "back@example.test", ["DisplayName"] = "Back", ["Password"] = "client-passphrase" });
        Assert.Contains("We sent an e-mail to confirm your address", await signedUp.Content.ReadAsStringAsync());

        var link = LinkIn(Assert.Single(await MailsAsync(t)));
        Assert.Contains("returnUrl=%2Fbook%2Fhold%2F42%3Fx%3D1", link);
        var confirmed = await GetStringAsync(t.Client, Relative(link));
        Assert.Contains("account/sign-in?returnUrl=%2Fbook%2Fhold%2F42%3Fx%3D1", confirmed);

        // Another site's address never travels in the mail.
        using var evil = await SubmitAsync(Factory.ClientFor(t.Host), "account/sign-up?returnUrl=" + Uri.EscapeDataString("//evil.example/x"),
            new() { ["Email"] = "evil@example.test", ["DisplayName"] = "E", ["Password"] = "client-passphrase" });
        var mails = await MailsAsync(t);
        Assert.Equal(2, mails.Count);
        Assert.DoesNotContain("returnUrl", LinkIn(mails.Single(m => m.To.Contains("evil@", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Failed_attempts_lock_the_account_and_are_audited_without_the_password()
    {
        var t = await TenantAsync("""{ "Identity": { "MaxFailedAccessAttempts": 3 } }""");
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.FrontDesk]);
        for (var i = 0; i < 3; i++)
        {
            var (failed, _) = await Factory.SignInThroughPageAsync(t.Host, user.Email!, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }
        var (locked, _) = await Factory.SignInThroughPageAsync(t.Host, user.Email!);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("this account is locked", await locked.Content.ReadAsStringAsync());
        await Factory.SignInThroughPageAsync(t.Host, "ghost@example.test", "wrong-password-x");

        var failures = await AuditAsync(t, IdentityEvents.SignInFailed);
        Assert.Equal(5, failures.Count);
        Assert.Equal("ghost@example.test", failures[^1].Target);
        Assert.All(failures, f => Assert.DoesNotContain("wrong-password", (f.BeforeJson ?? "") + f.AfterJson + f.Target + f.ActorName));
        Assert.Single(await AuditAsync(t, IdentityEvents.LockedOut));
        Assert.DoesNotContain(TestLogs, e => e.Message.Contains("wrong-password", StringComparison.Ordinal) || e.Message.Contains(TestAccounts.Password, StringComparison.Ordinal));

        var browser = Factory.ClientFor(t.Host);
        browser.DefaultRequestHeaders.UserAgent.ParseAdd("StudioTestBrowser/1.0");
        var (ok, _) = await Factory.SignInThroughPageAsync(t.Host, (await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner])).Email!, client: browser);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var success = Assert.Single(await AuditAsync(t, IdentityEvents.SignInSucceeded));
        Assert.Equal("StudioTestBrowser/1.0", success.UserAgent); // recorded from the request
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_is_audited()
    {
        var t = await TenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        var (_, client) = await Factory.SignInThroughPageAsync(t.Host, user.Email!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/staff")).StatusCode);
        using var signedOut = await SubmitAsync(client, "account/sign-out", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("admin/staff")).StatusCode);
        Assert.Single(await AuditAsync(t, IdentityEvents.SignedOut));
    }

    [Fact]
    public async Task An_account_with_two_factor_goes_to_the_second_step_keeping_a_local_return_url_only()
    {
        // The second factor comes from the Studio.TwoFactor feature: an authenticator key and 2FA turned on.
        var t = await CreateTenantAsync([.. Features, "Studio.TwoFactor"]);
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            return (await users.SetTwoFactorEnabledAsync(stored, true)).Succeeded;
        });

        foreach (var (returnUrl, expected) in new[] { ("/admin/staff", "%2Fadmin%2Fstaff"), ("https://evil.example/", "%2F") })
        {
            var client = Factory.ClientFor(t.Host);
            var url = "account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl);
            using var response = await SubmitAsync(client, url, new() { ["Email"] = user.Email!, ["Password"] = TestAccounts.Password });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"{IdentityPaths.TwoFactor}?returnUrl={expected}&rememberMe=false", response.Headers.Location!.OriginalString);
            Assert.Null(TestAccounts.SetCookie(response, SessionPrefix)); // not signed in yet
        }
    }

    [Fact]
    public async Task Recovery_codes_are_stored_hashed_and_work_once_and_the_authenticator_key_is_encrypted()
    {
        var t = await TenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var u = (await users.FindByIdAsync(user.Id))!;
            var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(u, 3))!.ToList();
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            var stored = (await connection.QueryAsync<string>("SELECT code_hash FROM identity_recovery_codes WHERE user_id = @id", new { id = u.Id })).ToList();
            Assert.Equal(3, stored.Count);
            Assert.DoesNotContain(stored, s => codes.Any(c => s.Contains(c, StringComparison.OrdinalIgnoreCase)));
            Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(u, codes[0])).Succeeded);
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(u, codes[0])).Succeeded);
            Assert.Equal(2, await users.CountRecoveryCodesAsync(u));
            await users.GenerateNewTwoFactorRecoveryCodesAsync(u, 2);
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(u, codes[1])).Succeeded); // the old set is void

            await users.ResetAuthenticatorKeyAsync(u);
            var key = await users.GetAuthenticatorKeyAsync(u);
            Assert.False(string.IsNullOrEmpty(key));
            var raw = await connection.ExecuteScalarAsync<string>("SELECT authenticator_key FROM identity_users WHERE id = @id", new { id = u.Id });
            Assert.DoesNotContain(key!, raw);
            return 0;
        });
    }

    [Fact]
    public async Task The_account_templates_are_localized()
    {
        var t = await TenantAsync();
        var (reset, confirm) = await Factory.InTenantAsync(t.Name, sp =>
        {
            var templates = sp.GetRequiredService<Studio.Email.IEmailTemplates>();
            var values = new Dictionary<string, string> { ["link"] = "https://x.test/a?b=1&c=2" };
            return Task.FromResult((templates.Render(AccountEmails.PasswordReset, "a@x.test", "Ana", "fr-FR", values),
                templates.Render(AccountEmails.ConfirmEmail, "a@x.test", "Ana", "fr-FR", values)));
        });
        Assert.StartsWith("Choisissez un nouveau mot de passe pour", reset.Subject);
        Assert.Contains("href=\"https://x.test/a?b=1&amp;c=2\"", reset.HtmlBody);
        Assert.StartsWith("Confirmez votre adresse e-mail pour", confirm.Subject);
        Assert.Contains("Confirmez votre adresse e-mail</a>", confirm.HtmlBody);
    }

    private static string Strip(string html) => AntiforgeryRegex().Replace(html, "");

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkRegex();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryRegex();
}
