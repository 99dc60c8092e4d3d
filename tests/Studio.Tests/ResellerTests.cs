using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Audit.Services;
using Studio.Platform;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// Resellers (Default tenant): accounts linked to a reseller by an operator, the reseller area at /reseller confined
/// to the reseller's own tenants, quota and granted plans, default brand; and resellers kept out of the operator pages.
/// </summary>
public sealed partial class ResellerTests : StudioTest<StudioFactory>
{
    private static readonly PlatformActor Operator = new("op", "Op");

    public ResellerTests(StudioFactory factory) : base(factory)
    {
        var features = Factory.Shells.Table.ByName[TenantContext.DefaultName].Features;
        if (!features.Contains("Studio.Tenants") || !features.Contains("Studio.Resellers") || !features.Contains("Studio.Audit"))
            ChangeFeaturesAsync(TenantContext.DefaultName, ["Studio.Tenants", "Studio.Resellers", "Studio.Audit"], [], force: true).GetAwaiter().GetResult();
    }

    private ITenantAdministration Admin => Factory.Get<ITenantAdministration>();
    private IResellerDirectory Directory => Factory.Get<IResellerDirectory>();

    /// <summary>A reseller granted <c>studio</c> and <c>pro</c> (plans made when the platform has a plan catalog).</summary>
    private async Task<ResellerInfo> ResellerAsync(int quota = 10, BrandSettings? brand = null, string? theme = null)
    {
        if (Factory.Services.GetService<IPlanCatalog>() is { } catalog)
            foreach (var plan in new[] { "studio", "pro", "enterprise" })
                if (await catalog.GetAsync(plan) is null)
                    await catalog.SaveAsync(Operator, new PlanDefinition { Id = plan, Name = plan, Include = ["*"] }, null);
        return await Directory.SaveAsync(Operator, new ResellerInfo
        {
            Id = NewName("r"), Name = "Reseller", TenantQuota = quota, Plans = ["studio", "pro"],
            DefaultBrand = brand ?? new BrandSettings(), DefaultTheme = theme,
        }, null);
    }

    /// <summary>A reseller account made the operator's way (IResellerAccounts, in the Default tenant).</summary>
    private async Task<string> AccountAsync(string resellerId, string? password = TestAccounts.Password)
    {
        var email = $"reseller-{Guid.NewGuid():N}@example.test";
        var error = await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<IResellerAccounts>().CreateAsync(email, "Res", resellerId, password));
        Assert.Null(error);
        return email;
    }

    private async Task<HttpClient> SignedInAsync(string resellerId)
    {
        var email = await AccountAsync(resellerId);
        var user = await Factory.InTenantAsync(TenantContext.DefaultName, async sp =>
            await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StudioUser>>().FindByEmailAsync(email));
        return Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, user!));
    }

    private async Task<string> TenantOfAsync(string? resellerId, string? display = null)
    {
        var name = NewName();
        await Admin.CreateAsync(Operator, new TenantDraft { Name = name, DisplayName = display, Hosts = [$"{name}.test"], Plan = "studio", Reseller = resellerId });
        return name;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string postUrl, Dictionary<string, string> form)
    {
        var html = await GetStringAsync(client, pageUrl);
        form["__RequestVerificationToken"] = AntiforgeryToken(html);
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(form));
    }

    private async Task<IReadOnlyList<AuditEntry>> DefaultTrailAsync(string action) =>
        (await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action, PageSize: 500), default))).Entries;

    [Fact]
    public async Task A_reseller_signs_in_and_sees_only_its_tenants_with_search_and_paging()
    {
        var mine = await ResellerAsync();
        var other = await ResellerAsync();
        var marker = "m" + Guid.NewGuid().ToString("N")[..8];
        var own = new List<string>();
        for (var i = 0; i < 3; i++)
            own.Add(await TenantOfAsync(mine.Id, $"{marker} {i}"));
        own.Sort(StringComparer.Ordinal);
        var theirs = await TenantOfAsync(other.Id, $"{marker} theirs");
        var platforms = await TenantOfAsync(null, $"{marker} platform");

        var email = await AccountAsync(mine.Id);
        var (signIn, client) = await Factory.SignInThroughPageAsync("localhost", email);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var list = await GetStringAsync(client, "reseller");
        Assert.All(own, n => Assert.Contains(n, list));
        Assert.DoesNotContain(theirs, list);
        Assert.DoesNotContain(platforms, list);
        Assert.Contains("3 of 10 tenants used", list);

        // Search: only its own match, even when another's display name matches too.
        var search = await GetStringAsync(client, $"reseller?q={marker}");
        Assert.Contains("3 matching.", search);
        Assert.DoesNotContain(theirs, search);
        Assert.Contains("0 matching.", await GetStringAsync(client, $"reseller?q={theirs}"));

        var page1 = await GetStringAsync(client, $"reseller?q={marker}&size=2");
        Assert.Contains(own[0], page1);
        Assert.DoesNotContain(own[2], page1);
        var next = NextLink().Match(page1);
        Assert.True(next.Success, "no next link");
        var page2 = await GetStringAsync(client, WebUtility.HtmlDecode(next.Groups[1].Value).TrimStart('/'));
        Assert.Contains(own[2], page2);
        Assert.DoesNotContain(own[0], page2);
    }

    [Fact]
    public async Task Another_resellers_tenant_guessed_in_urls_is_a_404_and_is_left_as_it_was()
    {
        var mine = await ResellerAsync();
        var other = await ResellerAsync();
        var own = await TenantOfAsync(mine.Id, "Mine");
        var theirs = await TenantOfAsync(other.Id, "Theirs");
        var platforms = await TenantOfAsync(null, "Platform's");
        var client = await SignedInAsync(mine.Id);

        Assert.Contains("Mine", await GetStringAsync(client, $"reseller/tenants/{own}"));
        Assert.Contains("\"format\":\"studio-tenant-export/1\"", await GetStringAsync(client, $"reseller/tenants/{own}/export"));
        foreach (var name in new[] { theirs, platforms, "t-does-not-exist" })
            foreach (var url in new[] { $"reseller/tenants/{name}", $"reseller/tenants/{name}/edit", $"reseller/tenants/{name}/features",
                         $"reseller/tenants/{name}/export", $"reseller/tenants/{name}/remove" })
            {
                using var response = await client.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
                Assert.DoesNotContain("Theirs", await response.Content.ReadAsStringAsync());
            }

        // A forged edit of another's tenant (the antiforgery token of its own page): 404, nothing changed.
        var ownPage = await GetStringAsync(client, $"reseller/tenants/{own}");
        var version = (await Admin.GetAsync(theirs))!.Version;
        using var forged = await client.PostAsync($"reseller/tenants/{theirs}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(ownPage), ["Version"] = version, ["DisplayName"] = "Hijacked", ["BrandName"] = "Hijacked",
        }));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("Theirs", (await RecordAsync(theirs)).DisplayName);
        Assert.Equal(other.Id, (await RecordAsync(theirs)).Reseller);
    }

    [Fact]
    public async Task A_reseller_edits_its_tenants_brand_and_theme_audited()
    {
        var mine = await ResellerAsync();
        var own = await TenantOfAsync(mine.Id, "Before");
        var client = await SignedInAsync(mine.Id);
        var page = await GetStringAsync(client, $"reseller/tenants/{own}");
        var version = VersionInput().Match(page).Groups[1].Value;
        var theme = Admin.Themes[0];
        var saved = await PostFormAsync(client, $"reseller/tenants/{own}", $"reseller/tenants/{own}", new()
        {
            ["Version"] = version, ["DisplayName"] = "After", ["BrandName"] = "Brand After", ["PrimaryColor"] = "#112233", ["AccentColor"] = "#445566", ["Theme"] = theme,
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var record = await RecordAsync(own);
        Assert.Equal(("After", "Brand After", "#112233", "#445566", theme), (record.DisplayName, record.Brand.DisplayName, record.Brand.PrimaryColor, record.Brand.AccentColor, record.Theme));
        var entry = Assert.Single(await DefaultTrailAsync("tenant.updated"), e => e.Target == own);
        Assert.Contains("Brand After", entry.AfterJson);
        Assert.Contains("Before", entry.BeforeJson);

        // A bad colour is a message, and nothing is saved.
        var bad = await PostFormAsync(client, $"reseller/tenants/{own}", $"reseller/tenants/{own}", new()
        {
            ["Version"] = (await Admin.GetAsync(own))!.Version, ["DisplayName"] = "Bad", ["PrimaryColor"] = "red; }", ["BrandName"] = "x",
        });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("validation", await bad.Content.ReadAsStringAsync());
        Assert.Equal("After", (await RecordAsync(own)).DisplayName);
    }

    [Fact]
    public async Task A_reseller_toggles_its_tenants_features_within_the_plan_only()
    {
        var mine = await ResellerAsync();
        var other = await ResellerAsync();
        var own = await TenantOfAsync(mine.Id, "Mine");
        var theirs = await TenantOfAsync(other.Id, "Theirs");
        var client = await SignedInAsync(mine.Id);
        var url = $"reseller/tenants/{own}/features";

        var page = await GetStringAsync(client, url);
        Assert.Contains("data-feature=\"Studio.Hello\"", page);
        Assert.DoesNotContain("data-feature=\"Studio.Tenants\"", page);
        var enabled = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Hello", ["enable"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(own)).Features);

        // The studio plan excludes the audit trail: refused with a message, nothing changes.
        var refused = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Audit", ["enable"] = "true" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("does not allow: Studio.Audit", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Studio.Audit", (await RecordAsync(own)).Features);

        // Another reseller's tenant: 404 on a forged post too, and its features stay.
        var before = (await RecordAsync(theirs)).Features;
        Assert.DoesNotContain("Studio.Hello", before);
        var forged = await client.PostAsync($"reseller/tenants/{theirs}/features", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page), ["feature"] = "Studio.Hello", ["enable"] = "true",
        }));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(before, (await RecordAsync(theirs)).Features);
    }

    [Fact]
    public async Task A_reseller_sees_what_else_a_feature_change_affects_and_it_applies_only_once_confirmed()
    {
        var mine = await ResellerAsync();
        var own = NewName();
        // The pro plan allows the audit trail, which Bookings needs.
        await Admin.CreateAsync(Operator, new TenantDraft { Name = own, DisplayName = "Mine", Hosts = [$"{own}.test"], Plan = "pro", Reseller = mine.Id });
        var client = await SignedInAsync(mine.Id);
        var url = $"reseller/tenants/{own}/features";
        var before = await RecordAsync(own);

        // Asked for Bookings alone: the page lists what else turns on, offers to confirm, and nothing is saved.
        using (var asked = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Bookings", ["enable"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var confirm = ConfirmSection(await asked.Content.ReadAsStringAsync());
            Assert.Contains("This change affects other features", confirm);
            Assert.Matches("Turned on: [^<]*Studio.Audit", confirm);
            Assert.Contains("name=\"confirm\" value=\"true\"", confirm);
            Assert.Contains("name=\"feature\" value=\"Studio.Bookings\"", confirm);
        }
        var unchanged = await RecordAsync(own);
        Assert.Equal(before.Version, unchanged.Version);
        Assert.DoesNotContain("Studio.Bookings", unchanged.Features);
        Assert.DoesNotContain("Studio.Audit", unchanged.Features);

        // Confirmed: applied with its dependency, and the page says so.
        using (var confirmed = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Bookings", ["enable"] = "true", ["confirm"] = "true" }))
            Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var enabled = await RecordAsync(own);
        Assert.Contains("Studio.Bookings", enabled.Features);
        Assert.Contains("Studio.Audit", enabled.Features);
        Assert.Contains("also changed: Studio.Audit", await GetStringAsync(client, url));

        // Turning the audit trail off would take Bookings with it: shown first as well, nothing saved.
        using (var off = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Audit", ["enable"] = "false" }))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
            Assert.Matches("Turned off: [^<]*Studio.Bookings", ConfirmSection(await off.Content.ReadAsStringAsync()));
        }
        Assert.Equal(enabled.Version, (await RecordAsync(own)).Version);

        // A change with nothing extra needs no confirmation.
        using (var plain = await PostFormAsync(client, url, url, new() { ["feature"] = "Studio.Hello", ["enable"] = "true" }))
            Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(own)).Features);
    }

    /// <summary>The confirmation section of a features page (asserts there is one).</summary>
    private static string ConfirmSection(string html)
    {
        var match = Regex.Match(html, "<section class=\"confirm\".*?</section>", RegexOptions.Singleline);
        Assert.True(match.Success, "no confirmation on the page: " + Truncate(html));
        return match.Value;
    }

    [Fact]
    public async Task A_reseller_cannot_exceed_its_quota()
    {
        var mine = await ResellerAsync(quota: 1);
        var client = await SignedInAsync(mine.Id);
        var first = NewName();
        var created = await PostFormAsync(client, "reseller/tenants/new", "reseller/tenants/new", new()
        {
            ["Name"] = first, ["DisplayName"] = "First", ["Hosts"] = $"{first}.test", ["Plan"] = "studio",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var record = await RecordAsync(first);
        Assert.Equal((mine.Id, "studio"), (record.Reseller, record.Plan));

        var second = NewName();
        var refused = await PostFormAsync(client, "reseller/tenants/new", "reseller/tenants/new", new()
        {
            ["Name"] = second, ["Hosts"] = $"{second}.test", ["Plan"] = "studio",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Your quota of 1 tenant(s) is used up.", await refused.Content.ReadAsStringAsync());
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(second));
        Assert.Equal(1, (await Admin.QueryAsync(new TenantQuery { Reseller = mine.Id })).Total);
    }

    [Fact]
    public async Task A_reseller_cannot_give_a_plan_it_was_not_granted()
    {
        var mine = await ResellerAsync();
        var client = await SignedInAsync(mine.Id);
        var form = await GetStringAsync(client, "reseller/tenants/new");
        Assert.Contains("value=\"studio\"", form);
        Assert.Contains("value=\"pro\"", form);
        Assert.DoesNotContain("value=\"enterprise\"", form);

        foreach (var plan in new[] { "enterprise", "", "no-such-plan" })
        {
            var name = NewName();
            var tampered = await PostFormAsync(client, "reseller/tenants/new", "reseller/tenants/new", new()
            {
                ["Name"] = name, ["Hosts"] = $"{name}.test", ["Plan"] = plan,
            });
            Assert.Equal(HttpStatusCode.OK, tampered.StatusCode);
            Assert.Contains("Choose one of your plans: studio, pro.", await tampered.Content.ReadAsStringAsync());
            Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        }
        // The host refuses it too, whatever the page does.
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.CreateAsync(new PlatformActor("u", "U", mine.Id),
            new TenantDraft { Name = NewName(), Hosts = [$"{NewName()}.test"], Plan = "enterprise" }));
    }

    [Fact]
    public async Task A_resellers_default_brand_and_theme_are_inherited_by_its_new_tenants()
    {
        var mine = await ResellerAsync();
        var client = await SignedInAsync(mine.Id);
        var theme = Admin.Themes[^1];
        var brandPage = await GetStringAsync(client, "reseller/brand");
        var saved = await PostFormAsync(client, "reseller/brand", "reseller/brand", new()
        {
            ["Version"] = VersionInput().Match(brandPage).Groups[1].Value, ["BrandName"] = "Acme Brand", ["PrimaryColor"] = "#123456", ["DefaultTheme"] = theme,
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await Directory.GetAsync(mine.Id);
        Assert.Equal(("Acme Brand", "#123456", theme), (stored!.DefaultBrand.DisplayName, stored.DefaultBrand.PrimaryColor, stored.DefaultTheme));
        // Only its brand and theme: quota and plans are the operator's.
        Assert.Equal(mine.TenantQuota, stored.TenantQuota);
        Assert.Equal(mine.Plans, stored.Plans);

        var name = NewName();
        var created = await PostFormAsync(client, "reseller/tenants/new", "reseller/tenants/new", new()
        {
            ["Name"] = name, ["Hosts"] = $"{name}.test", ["Plan"] = "pro",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var record = await RecordAsync(name);
        Assert.Equal(("Acme Brand", "#123456", theme), (record.Brand.DisplayName, record.Brand.PrimaryColor, record.Theme));
    }

    [Fact]
    public async Task A_resellers_own_brand_edit_cannot_touch_another_resellers_record()
    {
        var mine = await ResellerAsync(brand: new BrandSettings { DisplayName = "Mine" });
        var other = await ResellerAsync(brand: new BrandSettings { DisplayName = "Theirs" });
        var client = await SignedInAsync(mine.Id);
        var page = await GetStringAsync(client, "reseller/brand");
        // Id tampering: the form has no id, and any posted one is ignored — the claim's reseller is edited.
        var saved = await PostFormAsync(client, "reseller/brand", "reseller/brand?id=" + other.Id, new()
        {
            ["Id"] = other.Id, ["ResellerId"] = other.Id, ["Version"] = VersionInput().Match(page).Groups[1].Value,
            ["BrandName"] = "Hijacked", ["TenantQuota"] = "999",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Theirs", (await Directory.GetAsync(other.Id))!.DefaultBrand.DisplayName);
        var own = await Directory.GetAsync(mine.Id);
        Assert.Equal(("Hijacked", 10), (own!.DefaultBrand.DisplayName, own.TenantQuota));

        // And the directory itself refuses a reseller's save of another's record.
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Directory.SaveAsync(new PlatformActor("u", "U", mine.Id),
            other with { DefaultBrand = new BrandSettings { DisplayName = "Hijacked" } }, other.Version));
        Assert.Equal("Theirs", (await Directory.GetAsync(other.Id))!.DefaultBrand.DisplayName);
    }

    [Fact]
    public async Task A_reseller_cannot_reach_the_operator_pages_nor_change_platform_settings()
    {
        var mine = await ResellerAsync();
        var theirs = await TenantOfAsync((await ResellerAsync()).Id, "Theirs");
        var client = await SignedInAsync(mine.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("reseller")).StatusCode);
        foreach (var url in new[]
        {
            "admin/tenants", "admin/tenants/new", "admin/tenants/import", $"admin/tenants/{theirs}/edit", $"admin/tenants/{theirs}/remove",
            $"admin/tenants/{theirs}/export", PlatformPaths.TenantFeatures(theirs).TrimStart('/'), "admin/resellers", "admin/staff", "admin/audit", "admin/plans",
        })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"{url}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
                Assert.Contains("/account/access-denied", response.Headers.Location!.ToString());
            Assert.DoesNotContain("Theirs", await response.Content.ReadAsStringAsync());
        }

        // Writes to the operator's pages (its own quota, another's tenant) change nothing.
        var token = AntiforgeryToken(await GetStringAsync(client, "reseller/brand"));
        using var quota = await client.PostAsync("admin/resellers?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Id"] = mine.Id, ["Name"] = "Mine", ["TenantQuota"] = "999", ["Plans"] = "studio, pro, enterprise",
            ["Version"] = mine.Version,
        }));
        Assert.NotEqual(HttpStatusCode.OK, quota.StatusCode);
        if (quota.StatusCode == HttpStatusCode.Redirect)
            Assert.Contains("/account/access-denied", quota.Headers.Location!.ToString());
        var stored = await Directory.GetAsync(mine.Id);
        Assert.Equal((10, 2), (stored!.TenantQuota, stored.Plans.Count));
        using var disable = await client.PostAsync("admin/tenants?handler=Disable", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = theirs,
        }));
        Assert.NotEqual(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(TenantState.Running, (await RecordAsync(theirs)).State);
    }

    [Fact]
    public async Task The_reseller_claim_comes_from_the_account_set_by_an_operator_never_from_the_role_alone()
    {
        // The role without a linked reseller (e.g. given on the staff page) reaches nothing.
        var bare = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Reseller]);
        var bareClient = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, bare));
        using var denied = await bareClient.GetAsync("reseller");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/access-denied", denied.Headers.Location!.ToString());

        // A reseller id on another tenant's account gives no claim there (platform roles are the Default tenant's).
        var studio = await CreateTenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await (await Factory.ClientAsAsync(studio, StudioRoles.Owner)).GetAsync("reseller")).StatusCode);
    }

    [Fact]
    public async Task An_operator_creates_and_invites_reseller_accounts_from_the_reseller_page_audited()
    {
        var reseller = await ResellerAsync();
        var op = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Operator]);
        var client = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, op));
        var page = $"admin/resellers?id={reseller.Id}";
        var email = $"made-{Guid.NewGuid():N}@example.test";
        var created = await PostFormAsync(client, page, "admin/resellers?handler=Account", new()
        {
            ["Id"] = reseller.Id, ["AccountEmail"] = email, ["AccountName"] = "Made", ["AccountPassword"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains(email, await GetStringAsync(client, page));
        var entry = Assert.Single(await DefaultTrailAsync("identity.user.created"), e => e.AfterJson?.Contains(email) == true);
        Assert.Contains(reseller.Id, entry.AfterJson);
        Assert.Equal(op.Id, entry.ActorId);

        // The new account signs in and lands in its reseller's area.
        var (signIn, resellerClient) = await Factory.SignInThroughPageAsync("localhost", email);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(reseller.Name, await GetStringAsync(resellerClient, "reseller"));

        // A weak password or a taken address is a message, and nothing is created.
        var weak = await PostFormAsync(client, page, "admin/resellers?handler=Account", new()
        {
            ["Id"] = reseller.Id, ["AccountEmail"] = $"weak-{Guid.NewGuid():N}@example.test", ["AccountPassword"] = "short",
        });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("Passwords must be at least", await weak.Content.ReadAsStringAsync());
        var taken = await PostFormAsync(client, page, "admin/resellers?handler=Account", new() { ["Id"] = reseller.Id, ["AccountEmail"] = email });
        Assert.Contains("This address already has an account.", await taken.Content.ReadAsStringAsync());
        var accounts = await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<IResellerAccounts>().ListAsync(reseller.Id));
        Assert.Single(accounts);

        // Without a password: an invitation, audited; the account has no password until it is accepted.
        var invitee = $"invited-{Guid.NewGuid():N}@example.test";
        var invited = await PostFormAsync(client, page, "admin/resellers?handler=Account", new() { ["Id"] = reseller.Id, ["AccountEmail"] = invitee, ["AccountName"] = "Invited" });
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        accounts = await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<IResellerAccounts>().ListAsync(reseller.Id));
        Assert.True(Assert.Single(accounts, a => a.Email == invitee).Invited);
        Assert.Single(await DefaultTrailAsync("identity.invitation.sent"), e => e.AfterJson?.Contains(invitee) == true);

        // An unknown reseller id is a 404, not an account linked to nothing.
        var unknown = await PostFormAsync(client, page, "admin/resellers?handler=Account", new() { ["Id"] = "r-nope", ["AccountEmail"] = $"x-{Guid.NewGuid():N}@example.test" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [GeneratedRegex("<a (?=[^>]*rel=\"next\")[^>]*href=\"([^\"]+)\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("name=\"Version\"[^>]*value=\"([^\"]*)\"|value=\"([^\"]*)\"[^>]*name=\"Version\"")]
    private static partial Regex VersionInput();
}
