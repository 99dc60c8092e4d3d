using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Identity;
using Studio.Modules.Audit.Services;
using Studio.Modules.TwoFactor.Services;
using Studio.Security;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// A host whose clock a test can move forward (codes change every 30 s; remembered devices expire in days), and
/// whose sign-in budgets are large enough for the flows below: the limits themselves are the host's tests' concern.
/// </summary>
public sealed class TwoFactorStudioFactory : StudioFactory
{
    public ShiftedClock Clock { get; } = new();

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        foreach (var policy in new[] { RateLimitPolicies.SignIn, RateLimitPolicies.Recovery })
            settings[$"Studio:RateLimits:{policy}:PermitLimit"] = "1000";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>The real clock plus an offset a test moves forward.</summary>
    public sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}

/// <summary>
/// Two-factor authentication through the real pages: enrolment (QR, key, confirmation), the second sign-in step
/// with the ±1-step window and replay refusal, recovery codes, lockout, the staff policy, remembered devices, and
/// the audit entries of each.
/// </summary>
public sealed partial class TwoFactorFlowTests(TwoFactorStudioFactory factory) : StudioTest<TwoFactorStudioFactory>(factory)
{
    private const string TwoFactor = "Studio.TwoFactor";
    private const string Audit = "Studio.Audit";
    private TwoFactorStudioFactory.ShiftedClock Clock => Factory.Clock;

    private async Task<TestTenant> TenantAsync(object? twoFactorSettings = null, string brand = "Blue Room")
    {
        var tenant = await CreateTenantAsync([TwoFactor, Audit], r => r with { Brand = new BrandSettings { DisplayName = brand } });
        if (twoFactorSettings is not null)
            await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null,
                t => t with { SettingsJson = JsonSerializer.Serialize(new { TwoFactor = twoFactorSettings }) });
        return tenant;
    }

    /// <summary>The current code for a base32 key by the host's clock, <paramref name="steps"/> steps away.</summary>
    private string CodeFor(string key, int steps = 0) =>
        TotpEngine.Compute(TotpEngine.DecodeKey(key), Clock.GetUtcNow().AddSeconds(30 * steps));

    /// <summary>Moves the clock to the start of the next 30-second step (a new code).</summary>
    private void NextStep()
    {
        var now = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromSeconds(30 - now.ToUnixTimeSeconds() % 30) - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerSecond) + TimeSpan.FromMilliseconds(100));
    }

    private static Dictionary<string, string> Form(string html, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = TestAccounts.Antiforgery(html) };
        foreach (var (name, value) in fields)
            form[name] = value;
        return form;
    }

    private static async Task<(HttpResponseMessage Response, string Body)> PostAsync(HttpClient client, string url, Dictionary<string, string> form)
    {
        var response = await client.PostAsync(url, new FormUrlEncodedContent(form));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private sealed record Enrolled(StudioUser User, string Key, string EnrolmentCode, IReadOnlyList<string> RecoveryCodes, HttpClient Client);

    /// <summary>Creates a user, signs in through the page and enrols through the setup page.</summary>
    private async Task<Enrolled> EnrolAsync(TestTenant tenant, string role = StudioRoles.Owner)
    {
        var user = await Factory.CreateUserAsync(tenant.Name, [role]);
        var (signedIn, client) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var setup = await GetStringAsync(client, "account/two-factor/setup");
        var key = ManualKey(setup);
        // Early in a step: the test's next few seconds stay in it, whatever the wall clock's second.
        NextStep();
        var code = CodeFor(key);
        var (response, body) = await PostAsync(client, "account/two-factor/setup?handler=Enable", Form(setup, ("Code", code)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var codes = RecoveryCodesIn(body);
        Assert.Equal(10, codes.Count);
        return new Enrolled(user, key, code, codes, client);
    }

    private static string ManualKey(string html)
    {
        var match = ManualKeyRegex().Match(html);
        Assert.True(match.Success, "No manual key on the page: " + Truncate(html));
        return match.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    private static List<string> RecoveryCodesIn(string html) =>
        RecoveryListRegex().Match(html) is { Success: true } list
            ? CodeRegex().Matches(list.Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList()
            : [];

    /// <summary>Signs in with the password; asserts the second step is asked for and returns its page.</summary>
    private async Task<(HttpClient Client, string Page)> PasswordStepAsync(TestTenant tenant, StudioUser user, HttpClient? client = null, string returnUrl = "")
    {
        client ??= Factory.ClientFor(tenant.Host);
        var (response, _) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!, client: client, basePath: "");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(IdentityPaths.TwoFactor + "?", location);
        return (client, await GetStringAsync(client, location.TrimStart('/') + returnUrl));
    }

    /// <summary>
    /// A client signed in through the sign-in page as a new user. (Not <see cref="TestAccounts.ClientAsAsync"/>:
    /// its ticket is dated by the real clock, which this host's moved clock may find expired.)
    /// </summary>
    private async Task<HttpClient> SignedInAsync(TestTenant tenant, string role)
    {
        var user = await Factory.CreateUserAsync(tenant.Name, [role]);
        var (response, client) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private Task<bool> TwoFactorEnabledAsync(TestTenant tenant, StudioUser user) =>
        Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            return await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(user.Id))!);
        });

    private Task<IReadOnlyList<AuditEntry>> AuditAsync(TestTenant tenant, string action) =>
        Factory.InTenantAsync(tenant.Name, async sp =>
            (await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action, PageSize: 200), CancellationToken.None)).Entries);

    [Fact]
    public async Task Enrolment_shows_the_qr_code_and_key_and_is_on_only_after_a_valid_code()
    {
        var tenant = await TenantAsync(brand: "Blue Room");
        var user = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Engineer]);
        var (_, client) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!);

        var setup = await GetStringAsync(client, "account/two-factor/setup");
        var key = ManualKey(setup);
        Assert.Matches("^[A-Z2-7]{16,}$", key);
        Assert.Contains("<svg", setup);
        var uri = WebUtility.HtmlDecode(OtpauthRegex().Match(setup).Groups[1].Value);
        Assert.Equal($"otpauth://totp/Blue%20Room:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=Blue%20Room&digits=6&period=30", uri);
        // The same key on a second visit: enrolling is not restarted by a reload.
        Assert.Equal(key, ManualKey(await GetStringAsync(client, "account/two-factor/setup")));

        NextStep();
        var (_, refused) = await PostAsync(client, "account/two-factor/setup?handler=Enable", Form(setup, ("Code", CodeFor(key, steps: 2))));
        Assert.Contains("That code is not valid", refused);
        Assert.False(await TwoFactorEnabledAsync(tenant, user));
        Assert.Empty(RecoveryCodesIn(refused));

        var (_, accepted) = await PostAsync(client, "account/two-factor/setup?handler=Enable", Form(setup, ("Code", CodeFor(key))));
        Assert.True(await TwoFactorEnabledAsync(tenant, user));
        var codes = RecoveryCodesIn(accepted);
        Assert.Equal(10, codes.Distinct().Count());
        // Shown once: the page no longer lists them, it counts them.
        var later = await GetStringAsync(client, "account/two-factor/setup");
        Assert.Empty(RecoveryCodesIn(later));
        Assert.Contains("Recovery codes left: 10.", later);
        Assert.DoesNotContain(codes[0], later);
        // The session survived the security stamp change.
        Assert.DoesNotContain("manual-key", later);
        // Stored hashed: no code appears in the tenant's database as written.
        var stored = await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var fresh = (await users.FindByIdAsync(user.Id))!;
            return await users.GetAuthenticationTokenAsync(fresh, "[AspNetUserStore]", "RecoveryCodes") ?? "";
        });
        Assert.All(codes, code => Assert.DoesNotContain(code, stored));

        var enabled = Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.Enabled));
        Assert.Equal(user.Id, enabled.ActorId);
    }

    [Fact]
    public async Task The_second_step_accepts_a_code_once_within_one_step_and_keeps_a_local_return_url()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);

        // Step -1 is still accepted (clock drift of the phone).
        NextStep();
        NextStep();
        var (client, page) = await PasswordStepAsync(tenant, enrolled.User);
        Assert.Contains("Use a recovery code", page);
        var (ok, _) = await PostAsync(client, "account/two-factor?returnUrl=%2Fhello%3Fx%3D1", Form(page, ("Code", CodeFor(enrolled.Key, steps: -1))));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/hello?x=1", ok.Headers.Location!.OriginalString);
        Assert.Contains("Two-factor authentication is on", await GetStringAsync(client, "account/two-factor/setup"));

        // The same code again, from another browser: refused (replay); two steps ahead: refused (window). The
        // current step's code is later than the one accepted, so it passes once; its replay does not.
        var (other, otherPage) = await PasswordStepAsync(tenant, enrolled.User);
        var (replayed, replayBody) = await PostAsync(other, "account/two-factor", Form(otherPage, ("Code", CodeFor(enrolled.Key, steps: -1))));
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("That code is not valid", replayBody);
        var (tooFar, _) = await PostAsync(other, "account/two-factor", Form(otherPage, ("Code", CodeFor(enrolled.Key, steps: 2))));
        Assert.Equal(HttpStatusCode.OK, tooFar.StatusCode);
        var current = CodeFor(enrolled.Key);
        var (second, _) = await PostAsync(other, "account/two-factor?returnUrl=https%3A%2F%2Fevil.example%2F", Form(otherPage, ("Code", current)));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal("/", second.Headers.Location!.OriginalString); // not a local URL: home instead

        var (third, thirdPage) = await PasswordStepAsync(tenant, enrolled.User);
        var (again, _) = await PostAsync(third, "account/two-factor", Form(thirdPage, ("Code", current)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        Assert.Equal(3, (await AuditAsync(tenant, TwoFactorAuditActions.Failed)).Count);
    }

    [Fact]
    public async Task Without_a_pending_password_step_the_second_step_sends_back_to_sign_in()
    {
        var tenant = await TenantAsync();
        using var response = await tenant.Client.GetAsync("account/two-factor?returnUrl=%2Fhello");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(IdentityPaths.SignIn + "?returnUrl=%2Fhello", response.Headers.Location!.OriginalString);
        using var setup = await tenant.Client.GetAsync("account/two-factor/setup");
        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.StartsWith(IdentityPaths.SignIn, setup.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_regenerating_invalidates_the_old_set()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);

        var (client, _) = await PasswordStepAsync(tenant, enrolled.User);
        var recoveryPage = await GetStringAsync(client, "account/two-factor/recovery");
        var (used, _) = await PostAsync(client, "account/two-factor/recovery", Form(recoveryPage, ("RecoveryCode", enrolled.RecoveryCodes[0])));
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Contains("Recovery codes left: 9.", await GetStringAsync(client, "account/two-factor/setup"));
        var entry = Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.RecoveryCodeUsed));
        Assert.DoesNotContain(enrolled.RecoveryCodes[0], entry.AfterJson ?? "");

        var (second, _) = await PasswordStepAsync(tenant, enrolled.User);
        var secondPage = await GetStringAsync(second, "account/two-factor/recovery");
        var (reused, reusedBody) = await PostAsync(second, "account/two-factor/recovery", Form(secondPage, ("RecoveryCode", enrolled.RecoveryCodes[0])));
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("not valid, or was already used", reusedBody);

        // Regenerate (confirmed by the password): the old codes stop working, the new ones work.
        var setup = await GetStringAsync(client, "account/two-factor/setup");
        var (_, wrongPassword) = await PostAsync(client, "account/two-factor/setup?handler=Regenerate", Form(setup, ("Password", "not-the-password")));
        Assert.Empty(RecoveryCodesIn(wrongPassword));
        var (_, regenerated) = await PostAsync(client, "account/two-factor/setup?handler=Regenerate", Form(setup, ("Password", TestAccounts.Password)));
        var fresh = RecoveryCodesIn(regenerated);
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(enrolled.RecoveryCodes));
        Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.RecoveryCodesRegenerated));

        var (old, oldBody) = await PostAsync(second, "account/two-factor/recovery", Form(secondPage, ("RecoveryCode", enrolled.RecoveryCodes[1])));
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("not valid, or was already used", oldBody);
        var (@new, _) = await PostAsync(second, "account/two-factor/recovery", Form(secondPage, ("RecoveryCode", " " + fresh[0].ToLowerInvariant() + " ")));
        Assert.Equal(HttpStatusCode.Redirect, @new.StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_codes_lock_the_account_and_are_audited()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);
        NextStep();
        var (client, page) = await PasswordStepAsync(tenant, enrolled.User);
        var wrong = CodeFor(enrolled.Key, steps: 5);

        string body = "";
        for (var i = 0; i < 5; i++)
            (_, body) = await PostAsync(client, "account/two-factor", Form(page, ("Code", wrong)));
        Assert.Contains("this account is locked", body);
        // Locked: even the right code is refused now.
        var (locked, lockedBody) = await PostAsync(client, "account/two-factor", Form(page, ("Code", CodeFor(enrolled.Key))));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("this account is locked", lockedBody);

        Assert.Equal(6, (await AuditAsync(tenant, TwoFactorAuditActions.Failed)).Count);
        var lockout = Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.Lockout));
        Assert.Equal(enrolled.User.Id, lockout.ActorId);
        Assert.DoesNotContain(wrong, string.Join(" ", (await AuditAsync(tenant, TwoFactorAuditActions.Failed)).Select(e => e.AfterJson)));
    }

    [Fact]
    public async Task Wrong_recovery_codes_count_towards_lockout_too()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);
        var (client, _) = await PasswordStepAsync(tenant, enrolled.User);
        var page = await GetStringAsync(client, "account/two-factor/recovery");

        string body = "";
        for (var i = 0; i < 5; i++)
            (_, body) = await PostAsync(client, "account/two-factor/recovery", Form(page, ("RecoveryCode", $"AAAAA-BBBB{i}")));
        Assert.Contains("this account is locked", body);
        var (locked, lockedBody) = await PostAsync(client, "account/two-factor/recovery", Form(page, ("RecoveryCode", enrolled.RecoveryCodes[0])));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("this account is locked", lockedBody);
        Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.Lockout));
        // The refused code was not spent.
        Assert.Equal(10, await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            return await users.CountRecoveryCodesAsync((await users.FindByIdAsync(enrolled.User.Id))!);
        }));
    }

    [Fact]
    public async Task Keys_codes_and_recovery_codes_never_reach_the_log()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);
        NextStep();
        var (client, page) = await PasswordStepAsync(tenant, enrolled.User);
        var code = CodeFor(enrolled.Key);
        await PostAsync(client, "account/two-factor", Form(page, ("Code", CodeFor(enrolled.Key, steps: 3))));
        await PostAsync(client, "account/two-factor", Form(page, ("Code", code)));
        var (other, _) = await PasswordStepAsync(tenant, enrolled.User);
        await PostAsync(other, "account/two-factor/recovery", Form(await GetStringAsync(other, "account/two-factor/recovery"), ("RecoveryCode", enrolled.RecoveryCodes[3])));

        var log = string.Join("\n", TestLogs.Select(e => e.ToString()));
        var secrets = new[] { enrolled.Key, AuthenticatorEnrolment.Group(enrolled.Key), code }.Concat(enrolled.RecoveryCodes);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_the_feature_the_pages_are_not_there()
    {
        var tenant = await CreateTenantAsync();
        foreach (var path in new[] { IdentityPaths.TwoFactor, IdentityPaths.TwoFactorSetup, IdentityPaths.TwoFactor + "/recovery" })
            await GetStringAsync(tenant.Client, path.TrimStart('/'), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_the_feature_is_turned_off_an_enrolled_user_signs_in_with_the_password_alone()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);
        var result = await Factory.Get<Studio.Host.Features.FeatureManager>().ChangeAsync(tenant.Name, [], [TwoFactor], force: false);
        Assert.True(result.Succeeded, result.Error);

        var (response, _) = await Factory.SignInThroughPageAsync(tenant.Host, enrolled.User.Email!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain(IdentityPaths.TwoFactor, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotNull(TestAccounts.SetCookie(response, ".Studio.Session."));
    }

    [Fact]
    public async Task Disabling_needs_a_code_or_the_password_and_is_audited()
    {
        var tenant = await TenantAsync();
        var enrolled = await EnrolAsync(tenant);
        var setup = await GetStringAsync(enrolled.Client, "account/two-factor/setup");

        var (_, refused) = await PostAsync(enrolled.Client, "account/two-factor/setup?handler=Disable", Form(setup));
        Assert.Contains("Enter a code from your authenticator app or your password.", refused);
        (_, refused) = await PostAsync(enrolled.Client, "account/two-factor/setup?handler=Disable", Form(setup, ("Code", enrolled.EnrolmentCode)));
        Assert.Contains("That code is not valid.", refused); // the enrolment's code, replayed
        Assert.True(await TwoFactorEnabledAsync(tenant, enrolled.User));

        NextStep();
        var (_, off) = await PostAsync(enrolled.Client, "account/two-factor/setup?handler=Disable", Form(setup, ("Code", CodeFor(enrolled.Key))));
        Assert.Contains("Two-factor authentication is off.", off);
        Assert.False(await TwoFactorEnabledAsync(tenant, enrolled.User));
        Assert.NotEqual(enrolled.Key, ManualKey(off)); // a new key for the next enrolment
        Assert.Single(await AuditAsync(tenant, TwoFactorAuditActions.Disabled));

        // Sign-in is one step again.
        var (response, _) = await Factory.SignInThroughPageAsync(tenant.Host, enrolled.User.Email!);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Required_for_staff_takes_staff_without_it_to_enrolment_from_any_page()
    {
        var tenant = await TenantAsync(new { Policy = "RequiredForStaff" });
        var staff = await SignedInAsync(tenant, StudioRoles.FrontDesk);
        var client = await SignedInAsync(tenant, StudioRoles.Client);

        foreach (var path in new[] { "", "hello?x=1", "admin/audit" })
        {
            using var response = await staff.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(IdentityPaths.TwoFactorSetup + "?returnUrl=" + Uri.EscapeDataString("/" + path), response.Headers.Location!.OriginalString);
        }
        // What enrolment needs is let through.
        Assert.Contains("Your studio requires two-factor authentication", await GetStringAsync(staff, "account/two-factor/setup"));
        await GetStringAsync(staff, "brand.css");
        // Clients and anonymous visitors are not concerned.
        await GetStringAsync(client, "");
        await GetStringAsync(Factory.ClientFor(tenant.Host), "");

        // Once enrolled, staff go where they want; the navigation links to the settings.
        var enrolled = await EnrolAsync(tenant, StudioRoles.Admin);
        Assert.Contains($"href=\"{IdentityPaths.TwoFactorSetup}\"", await GetStringAsync(enrolled.Client, ""));

        // Optional (the default): nobody is sent anywhere.
        var optional = await TenantAsync();
        await GetStringAsync(await SignedInAsync(optional, StudioRoles.Owner), "");
    }

    [Fact]
    public async Task A_remembered_device_skips_the_second_step_until_the_configured_days_pass()
    {
        var tenant = await TenantAsync(new { RememberDeviceDays = 2 });
        var enrolled = await EnrolAsync(tenant);
        NextStep();
        var browser = Factory.ClientFor(tenant.Host);
        var (_, page) = await PasswordStepAsync(tenant, enrolled.User, browser);
        Assert.Contains("Remember this device for 2 days", page);
        var (ok, _) = await PostAsync(browser, "account/two-factor", Form(page, ("Code", CodeFor(enrolled.Key)), ("RememberDevice", "true")));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var cookie = TestAccounts.SetCookie(ok, ".Studio.TwoFactorRemember." + tenant.Name);
        Assert.NotNull(cookie);

        // A day later, same device: the password is enough.
        Clock.Advance(TimeSpan.FromDays(1));
        var (remembered, _) = await Factory.SignInThroughPageAsync(tenant.Host, enrolled.User.Email!, client: browser);
        Assert.Equal("/", remembered.Headers.Location!.OriginalString);
        // Another device still gets the second step.
        await PasswordStepAsync(tenant, enrolled.User);

        // Past the configured days the device is asked again.
        Clock.Advance(TimeSpan.FromDays(1.5));
        await PasswordStepAsync(tenant, enrolled.User, browser);
    }

    [Fact]
    public async Task On_a_prefix_tenant_every_redirect_and_the_remembered_device_stay_under_its_prefix()
    {
        var tenant = await CreateTenantAsync([TwoFactor], r => r with { Hosts = [], Prefix = "p" + r.Name });
        var prefix = "p" + tenant.Name;
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null,
            t => t with { SettingsJson = JsonSerializer.Serialize(new { TwoFactor = new { Policy = "RequiredForStaff" } }) });
        var user = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Engineer]);
        var (signedIn, client) = await Factory.SignInThroughPageAsync("localhost", user.Email!, basePath: prefix + "/");
        Assert.Equal($"/{prefix}/", signedIn.Headers.Location!.OriginalString);

        // Staff without 2FA: taken to the setup page of this tenant, coming back here afterwards.
        using (var response = await client.GetAsync(prefix + "/hello"))
            Assert.Equal($"/{prefix}{IdentityPaths.TwoFactorSetup}?returnUrl={Uri.EscapeDataString($"/{prefix}/hello")}", response.Headers.Location!.OriginalString);
        var setup = await GetStringAsync(client, $"{prefix}/account/two-factor/setup?returnUrl=%2F{prefix}%2Fhello");
        var key = ManualKey(setup);
        NextStep();
        var (_, enrolled) = await PostAsync(client, $"{prefix}/account/two-factor/setup?handler=Enable", Form(setup, ("Code", CodeFor(key)), ("ReturnUrl", $"/{prefix}/hello")));
        Assert.Contains($"href=\"/{prefix}/hello\"", enrolled);

        // Second step under the prefix, with a remembered device whose cookie is scoped to the prefix.
        NextStep();
        var (password, browser) = await Factory.SignInThroughPageAsync("localhost", user.Email!, basePath: prefix + "/");
        var step = password.Headers.Location!.OriginalString;
        Assert.StartsWith($"/{prefix}{IdentityPaths.TwoFactor}?", step);
        var page = await GetStringAsync(browser, step.TrimStart('/'));
        var (ok, _) = await PostAsync(browser, step.TrimStart('/'), Form(page, ("Code", CodeFor(key)), ("RememberDevice", "true")));
        Assert.Equal($"/{prefix}/", ok.Headers.Location!.OriginalString);
        Assert.Contains($"path=/{prefix}", TestAccounts.SetCookie(ok, ".Studio.TwoFactorRemember." + tenant.Name)!, StringComparison.OrdinalIgnoreCase);
        var (again, _) = await Factory.SignInThroughPageAsync("localhost", user.Email!, basePath: prefix + "/", client: browser);
        Assert.Equal($"/{prefix}/", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Remember_device_can_be_turned_off_per_tenant()
    {
        var tenant = await TenantAsync(new { RememberDeviceDays = 0 });
        var enrolled = await EnrolAsync(tenant);
        NextStep();
        var (browser, page) = await PasswordStepAsync(tenant, enrolled.User);
        Assert.DoesNotContain("Remember this device", page);
        // Even a forged "remember" field is ignored.
        var (ok, _) = await PostAsync(browser, "account/two-factor", Form(page, ("Code", CodeFor(enrolled.Key)), ("RememberDevice", "true")));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Null(TestAccounts.SetCookie(ok, ".Studio.TwoFactorRemember."));
        await PasswordStepAsync(tenant, enrolled.User, browser);
    }

    [Fact]
    public void The_sign_in_steps_are_rate_limited_with_the_host_policies()
    {
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        string? PolicyOf(string route) => endpoints.Single(e => "/" + e.RoutePattern.RawText?.TrimStart('/') == route)
            .Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;

        Assert.Equal(RateLimitPolicies.SignIn, PolicyOf(IdentityPaths.TwoFactor));
        Assert.Equal(RateLimitPolicies.Recovery, PolicyOf(IdentityPaths.TwoFactor + "/recovery"));
        Assert.NotNull(endpoints.SingleOrDefault(e => "/" + e.RoutePattern.RawText?.TrimStart('/') == IdentityPaths.TwoFactorSetup));
    }

    [GeneratedRegex("id=\"manual-key\"[^>]*>([a-z2-7 ]+)<")]
    private static partial Regex ManualKeyRegex();

    [GeneratedRegex("id=\"otpauth-link\" href=\"([^\"]+)\"")]
    private static partial Regex OtpauthRegex();

    [GeneratedRegex("<ul id=\"recovery-codes\">(.*?)</ul>", RegexOptions.Singleline)]
    private static partial Regex RecoveryListRegex();

    [GeneratedRegex("<code>([^<]+)</code>")]
    private static partial Regex CodeRegex();
}
