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

/// <summary>The operator's tenant pages (Studio.Tenants on the Default tenant), and everyone else kept out of them.</summary>
public sealed partial class TenantPagesTests : StudioTest<StudioFactory>
{
    public TenantPagesTests(StudioFactory factory) : base(factory)
    {
        var features = Factory.Shells.Table.ByName[TenantContext.DefaultName].Features;
        if (!features.Contains("Studio.Tenants") || !features.Contains("Studio.Audit"))
            ChangeFeaturesAsync(TenantContext.DefaultName, ["Studio.Tenants", "Studio.Audit"], [], force: true).GetAwaiter().GetResult();
    }

    private ITenantAdministration Admin => Factory.Get<ITenantAdministration>();

    private async Task<HttpClient> OperatorAsync()
    {
        var op = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Operator]);
        return Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, op));
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
    public async Task The_list_searches_filters_and_pages_keeping_the_filters()
    {
        var client = await OperatorAsync();
        var marker = "m" + Guid.NewGuid().ToString("N")[..8];
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
            names.Add((await Admin.CreateAsync(new PlatformActor("op", "Op"), new TenantDraft { Name = NewName(), DisplayName = $"{marker} {i}", Hosts = [$"{NewName()}.test"], Plan = "pro" })).Name);
        await Admin.SetEnabledAsync(new PlatformActor("op", "Op"), names[2], false);
        names.Sort(StringComparer.Ordinal);

        var all = await GetStringAsync(client, $"admin/tenants?q={marker}");
        Assert.All(names, n => Assert.Contains(n, all));
        Assert.Contains("3 matching.", all);
        Assert.Contains(Studio.Platform.PlatformPaths.TenantFeatures(names[0]), all);
        Assert.Contains("href=\"/admin/plans\"", all);

        var disabled = await GetStringAsync(client, $"admin/tenants?q={marker}&state=Disabled&plan=pro");
        Assert.Contains("1 matching.", disabled);

        var page1 = await GetStringAsync(client, $"admin/tenants?q={marker}&size=2");
        Assert.Contains(names[0], page1);
        Assert.DoesNotContain(names[2], page1);
        var next = NextLink().Match(page1);
        Assert.True(next.Success, "no next link");
        var href = WebUtility.HtmlDecode(next.Groups[1].Value);
        Assert.Contains($"q={marker}", href);
        Assert.Contains("size=2", href);
        var page2 = await GetStringAsync(client, href.TrimStart('/'));
        Assert.Contains(names[2], page2);
        Assert.DoesNotContain(names[0], page2);
    }

    [Fact]
    public async Task An_operator_creates_edits_disables_enables_and_reloads_through_the_pages_and_each_is_audited()
    {
        var client = await OperatorAsync();
        var name = NewName();
        var created = await PostFormAsync(client, "admin/tenants/new", "admin/tenants/new", new()
        {
            ["Name"] = name, ["DisplayName"] = "Made by page", ["Hosts"] = $"{name}.test\nwww.{name}.test", ["Database"] = "platform",
            ["Recipe"] = "blank-studio", ["Plan"] = "studio", ["Reseller"] = "", ["Theme"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var record = await RecordAsync(name);
        Assert.Equal(("Made by page", TenantState.Running, "studio"), (record.DisplayName, record.State, record.Plan));
        Assert.Equal([$"{name}.test", $"www.{name}.test"], record.Hosts);

        // A taken name is a message on the page, not a 500.
        var again = await PostFormAsync(client, "admin/tenants/new", "admin/tenants/new", new() { ["Name"] = name, ["Hosts"] = $"{NewName()}.test", ["Database"] = "platform" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains($"A tenant named &#x27;{name}&#x27; already exists.", await again.Content.ReadAsStringAsync());

        var editPage = await GetStringAsync(client, $"admin/tenants/{name}/edit");
        var version = VersionInput().Match(editPage).Groups[1].Value;
        var edited = await PostFormAsync(client, $"admin/tenants/{name}/edit", $"admin/tenants/{name}/edit", new()
        {
            ["Version"] = version, ["DisplayName"] = "Renamed", ["Hosts"] = $"{name}.test", ["TimeZone"] = "Europe/Paris", ["Culture"] = "fr-FR", ["Plan"] = "pro",
        });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        record = await RecordAsync(name);
        Assert.Equal(("Renamed", "Europe/Paris", "pro"), (record.DisplayName, record.TimeZone, record.Plan));
        var stale = await PostFormAsync(client, $"admin/tenants/{name}/edit", $"admin/tenants/{name}/edit", new() { ["Version"] = version, ["DisplayName"] = "Stale" });
        Assert.Contains("changed by someone else", await stale.Content.ReadAsStringAsync());
        Assert.Equal("Renamed", (await RecordAsync(name)).DisplayName);

        foreach (var (handler, state) in new[] { ("Disable", TenantState.Disabled), ("Enable", TenantState.Running) })
        {
            var response = await PostFormAsync(client, "admin/tenants", $"admin/tenants?handler={handler}", new() { ["name"] = name });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(state, (await RecordAsync(name)).State);
        }
        var reload = await PostFormAsync(client, "admin/tenants", "admin/tenants?handler=Reload", new() { ["name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, reload.StatusCode);

        foreach (var action in new[] { "tenant.created", "tenant.updated", "tenant.disabled", "tenant.enabled", "tenant.reloaded" })
            Assert.Single(await DefaultTrailAsync(action), e => e.Target == name);
        var update = Assert.Single(await DefaultTrailAsync("tenant.updated"), e => e.Target == name);
        Assert.Contains("Made by page", update.BeforeJson);
        Assert.Contains("Renamed", update.AfterJson);
    }

    private static async Task<HttpResponseMessage> PostEditWithFilesAsync(HttpClient client, string name, Dictionary<string, string> changes,
        params (string Field, string FileName, string ContentType, byte[] Bytes)[] files)
    {
        var html = await GetStringAsync(client, $"admin/tenants/{name}/edit");
        Assert.Contains("enctype=\"multipart/form-data\"", html);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["Version"] = WebUtility.HtmlDecode(VersionInput().Match(html).Groups[1].Value),
            ["Hosts"] = $"{name}.test",
        };
        foreach (var (key, value) in changes)
            fields[key] = value;
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
            content.Add(new StringContent(value), key);
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
            content.Add(part, file.Field, file.FileName);
        }
        return await client.PostAsync($"admin/tenants/{name}/edit", content);
    }

    [Fact]
    public async Task An_operator_sets_a_tenants_brand_colour_logo_and_favicon_checked_like_the_owners_upload_and_stored_in_its_own_database()
    {
        var client = await OperatorAsync();
        var tenant = await CreateTenantAsync();
        var other = await CreateTenantAsync();
        var png = TestImages.Png(40, 20, 0x10, 0x80, 0x40);
        var favicon = TestImages.Png(16, 16, 0x10, 0x80, 0x40);

        // Refused files (markup, too large) are messages on the page, and nothing is saved or stored.
        var before = await RecordAsync(tenant.Name);
        foreach (var (file, message) in new[]
        {
            (("Logo", "logo.svg", "image/svg+xml", System.Text.Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")),
                "SVG and other markup files are not accepted"),
            (("Logo", "big.png", "image/png", png.Concat(new byte[600 * 1024]).ToArray()), "larger than 512 KB"),
            (("Favicon", "favicon.png", "image/png", TestImages.Png(600, 600, 1, 2, 3)), "The image must be at most 512"),
        })
        {
            using var refused = await PostEditWithFilesAsync(client, tenant.Name, new() { ["PrimaryColor"] = "#aa0000" }, file);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(message), await refused.Content.ReadAsStringAsync());
            Assert.Equal(before.Version, (await RecordAsync(tenant.Name)).Version);
        }

        using var saved = await PostEditWithFilesAsync(client, tenant.Name, new() { ["BrandName"] = "Blue Room", ["PrimaryColor"] = "#123abc" },
            ("Logo", "logo.png", "application/octet-stream", png), ("Favicon", "favicon.png", "image/png", favicon));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var brand = (await RecordAsync(tenant.Name)).Brand;
        Assert.Equal(("Blue Room", "#123abc"), (brand.DisplayName, brand.PrimaryColor));
        Assert.Matches("^/media/brand/logo-[0-9a-f]{64}\\.png$", brand.LogoUrl);
        Assert.Matches("^/media/brand/favicon-[0-9a-f]{64}\\.png$", brand.FaviconUrl);

        // The tenant's own site shows and serves them; another tenant asking for the same URL gets nothing.
        var home = await GetStringAsync(tenant.Client, "");
        Assert.Contains($"src=\"{brand.LogoUrl}\"", home);
        Assert.Contains("#123abc", await GetStringAsync(tenant.Client, "brand.css"));
        using (var logo = await tenant.Client.GetAsync(brand.LogoUrl!.TrimStart('/')))
        {
            Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
            Assert.Equal("image/png", logo.Content.Headers.ContentType?.MediaType);
            Assert.Equal(png, await logo.Content.ReadAsByteArrayAsync());
        }
        using (var stolen = await other.Client.GetAsync(brand.LogoUrl.TrimStart('/')))
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);

        // A new logo replaces the old one, whose file is removed; removing the favicon keeps the logo.
        var second = TestImages.Png(30, 30, 0x20, 0x20, 0x20);
        using var replaced = await PostEditWithFilesAsync(client, tenant.Name,
            new() { ["BrandName"] = "Blue Room", ["PrimaryColor"] = "#123abc", ["RemoveFavicon"] = "true" }, ("Logo", "logo2.png", "image/png", second));
        Assert.Equal(HttpStatusCode.Redirect, replaced.StatusCode);
        var now = (await RecordAsync(tenant.Name)).Brand;
        Assert.NotEqual(brand.LogoUrl, now.LogoUrl);
        Assert.Null(now.FaviconUrl);
        using (var old = await tenant.Client.GetAsync(brand.LogoUrl.TrimStart('/')))
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);

        // A reseller's actor cannot store files in a tenant that is not its own.
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Factory.Get<ITenantBrandMedia>().StoreAsync(
            new PlatformActor("r", "Reseller", ResellerId: "nobody"), tenant.Name, Studio.Media.MediaKind.Logo, second));
    }

    [Fact]
    public async Task Removal_through_the_page_needs_a_disabled_tenant_and_its_name_and_shows_where_the_export_is()
    {
        var client = await OperatorAsync();
        var tenant = await CreateTenantAsync(["Studio.Hello"]);
        await GetStringAsync(tenant.Client, "hello"); // it has served: its tables exist (disabling does not activate it)
        var url = $"admin/tenants/{tenant.Name}/remove";

        var running = await PostFormAsync(client, url, url, new() { ["Confirmation"] = tenant.Name });
        Assert.Contains($"Disable the tenant &#x27;{tenant.Name}&#x27; before removing it.", await running.Content.ReadAsStringAsync());
        await Admin.SetEnabledAsync(new PlatformActor("op", "Op"), tenant.Name, false);
        var wrong = await PostFormAsync(client, url, url, new() { ["Confirmation"] = "something else" });
        Assert.Contains($"Type the tenant&#x27;s name &#x27;{tenant.Name}&#x27; to confirm its removal.", await wrong.Content.ReadAsStringAsync());
        Assert.NotNull(Factory.Shells.Table.ByName.GetValueOrDefault(tenant.Name));

        // The export can be downloaded before.
        var export = await GetStringAsync(client, $"admin/tenants/{tenant.Name}/export");
        Assert.Contains("\"format\":\"studio-tenant-export/1\"", export);
        Assert.Contains("hello_greetings", export);

        var removed = await PostFormAsync(client, url, url, new() { ["Confirmation"] = tenant.Name });
        var html = await removed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var path = Directory.GetFiles(Path.Combine(Factory.DataPath, "Exports"), tenant.Name + "-*.json").Single();
        Assert.Contains(WebUtility.HtmlEncode(path), html);
        Assert.Null(Factory.Shells.Table.ByName.GetValueOrDefault(tenant.Name));
        var audit = Assert.Single(await DefaultTrailAsync("tenant.removed"), e => e.Target == tenant.Name);
        Assert.Contains(tenant.Name + "-", audit.AfterJson);

        // And the import page brings it back from that file (disabled, as it was exported).
        var importPage = await GetStringAsync(client, "admin/tenants/import");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(importPage)), "__RequestVerificationToken" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(path)), "Upload", Path.GetFileName(path) },
        };
        using var imported = await client.PostAsync("admin/tenants/import", upload);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(TenantState.Disabled, (await RecordAsync(tenant.Name)).State);
        using var again = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(importPage)), "__RequestVerificationToken" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(path)), "Upload", Path.GetFileName(path) },
        };
        using var refused = await client.PostAsync("admin/tenants/import", again);
        Assert.Contains($"A tenant named &#x27;{tenant.Name}&#x27; already exists", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Nobody_but_an_operator_reaches_the_operator_pages()
    {
        var studio = await CreateTenantAsync();
        var target = await CreateTenantAsync();
        var urls = new[]
        {
            "admin/tenants", "admin/tenants/new", "admin/tenants/import", $"admin/tenants/{target.Name}/edit",
            $"admin/tenants/{target.Name}/remove", $"admin/tenants/{target.Name}/export", "admin/resellers",
        };
        var owner = await Factory.ClientAsAsync(studio, StudioRoles.Owner);
        var reseller = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Reseller]);
        var resellerClient = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, reseller));
        var anonymous = Factory.ClientFor("localhost");
        var ownerOnDefault = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(studio.Name,
            await Factory.CreateUserAsync(studio.Name, [StudioRoles.Owner])));
        foreach (var url in urls)
        {
            // On a studio's own host, the platform feature does not exist.
            Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(url)).StatusCode);
            foreach (var client in new[] { anonymous, resellerClient, ownerOnDefault })
            {
                using var response = await client.GetAsync(url);
                // The download is an endpoint: an anonymous caller gets 401 rather than the pages' sign-in redirect.
                Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized,
                    $"{url}: {(int)response.StatusCode}");
                Assert.DoesNotContain(target.Name, await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.Redirect)
                    Assert.Contains("/account/", response.Headers.Location!.ToString());
            }
        }
        // A write without the role changes nothing.
        using var post = await anonymous.PostAsync("admin/tenants?handler=Disable", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = target.Name }));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(TenantState.Running, (await RecordAsync(target.Name)).State);
    }

    [Fact]
    public async Task An_operator_manages_resellers()
    {
        var client = await OperatorAsync();
        var id = NewName("r");
        var saved = await PostFormAsync(client, "admin/resellers", "admin/resellers?handler=Save", new()
        {
            ["Id"] = id, ["Name"] = "Acme", ["TenantQuota"] = "7", ["Plans"] = "studio, pro", ["BrandName"] = "Acme Studios",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var reseller = await Factory.Get<IResellerDirectory>().GetAsync(id);
        Assert.Equal((7, "Acme Studios"), (reseller!.TenantQuota, reseller.DefaultBrand.DisplayName));
        Assert.Equal(["studio", "pro"], reseller.Plans);
        var bad = await PostFormAsync(client, "admin/resellers", "admin/resellers?handler=Save", new() { ["Id"] = "X!", ["Name"] = "" });
        Assert.Contains("is not a valid reseller id", await bad.Content.ReadAsStringAsync());
        Assert.Single(await DefaultTrailAsync("reseller.created"), e => e.Target == id);
    }

    [GeneratedRegex("<a (?=[^>]*rel=\"next\")[^>]*href=\"([^\"]+)\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("name=\"Version\"[^>]*value=\"([^\"]*)\"|value=\"([^\"]*)\"[^>]*name=\"Version\"")]
    private static partial Regex VersionInput();
}
