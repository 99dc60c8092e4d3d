using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Audit.Services;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The studio owner's settings area (Studio.Settings): who may use it, validation, live application, uploads, isolation.</summary>
public sealed partial class SettingsTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string Page = "admin/settings";

    /// <summary>A real PNG of the given size.</summary>
    internal static byte[] Png(int width = 2, int height = 2) => TestImages.Png(width, height, 0xE0, 0x30, 0x30);

    /// <summary>A one-image ICO header (16×16) followed by a PNG, as modern icons are.</summary>
    private static byte[] Ico()
    {
        var png = Png(16, 16);
        var head = new byte[22];
        head[2] = 1; head[4] = 1; head[6] = 16; head[7] = 16;
        BitConverter.TryWriteBytes(head.AsSpan(14), png.Length);
        BitConverter.TryWriteBytes(head.AsSpan(18), 22);
        return head.Concat(png).ToArray();
    }

    private sealed record Upload(string Field, string FileName, string ContentType, byte[] Bytes);

    /// <summary>Reads the form, then posts it with <paramref name="changes"/> and <paramref name="files"/>.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Dictionary<string, string> changes, params Upload[] files)
    {
        var html = await GetStringAsync(client, Page);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["Version"] = WebUtility.HtmlDecode(VersionRegex().Match(html).Groups[1].Value),
            ["DisplayName"] = WebUtility.HtmlDecode(DisplayNameRegex().Match(html).Groups[1].Value),
            ["Theme"] = "Aurora",
            ["Culture"] = "en-US",
            ["TimeZone"] = "UTC",
        };
        foreach (var (key, value) in changes)
            fields[key] = value;
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in fields)
            content.Add(new StringContent(value), key);
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
            content.Add(part, file.Field, file.FileName);
        }
        return await client.PostAsync(Page, content);
    }

    private async Task<(TestTenant Tenant, HttpClient Owner, Studio.Identity.StudioUser User)> OwnerAsync(params string[] features)
    {
        var tenant = await CreateTenantAsync(features);
        var user = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Owner]);
        return (tenant, Factory.ClientWithCookie(tenant.Host, await Factory.SessionCookieAsync(tenant.Name, user)), user);
    }

    [Fact]
    public async Task Owners_and_admins_use_the_settings_others_are_turned_away()
    {
        var t = await CreateTenantAsync();
        using (var anonymous = await t.Client.GetAsync(Page))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/account/sign-in", anonymous.Headers.Location!.PathAndQuery);
        }
        foreach (var role in new[] { StudioRoles.Engineer, StudioRoles.FrontDesk, StudioRoles.Client })
        {
            var client = await Factory.ClientAsAsync(t, role);
            using var denied = await client.GetAsync(Page);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/account/access-denied", denied.Headers.Location!.PathAndQuery);
            // A forged post (no form, so no token of its own) changes nothing either.
            using var post = await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["DisplayName"] = "Hijacked" }));
            Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        }
        Assert.NotEqual("Hijacked", (await RecordAsync(t.Name)).DisplayName);

        foreach (var role in new[] { StudioRoles.Owner, StudioRoles.Admin })
        {
            var client = await Factory.ClientAsAsync(t, role);
            using var response = await PostAsync(client, new() { ["DisplayName"] = "Saved by " + role });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("Saved by " + role, (await RecordAsync(t.Name)).DisplayName);
        }
    }

    [Fact]
    public async Task A_save_shows_on_the_public_site_at_once_touches_only_its_own_fields_and_is_audited_once_by_the_owner()
    {
        var (t, owner, user) = await OwnerAsync("Studio.Audit");
        var before = await RecordAsync(t.Name);
        Assert.DoesNotContain("Harbour Sound", await GetStringAsync(t.Client, "/"));

        using var response = await PostAsync(owner, new()
        {
            ["DisplayName"] = "Harbour Sound", ["BrandName"] = "Harbour Sound Studio", ["PrimaryColor"] = "#123abc",
            ["AccentColor"] = "#00ff88", ["Font"] = "serif", ["Theme"] = "Midnight", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris",
            // Fields the form does not have are ignored: the owner cannot reach hosts, features or the plan.
            ["Hosts"] = "evil.test", ["Features"] = "Studio.Hello", ["Plan"] = "enterprise",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var home = await GetStringAsync(t.Client, "/");
        Assert.Contains("Harbour Sound Studio", home);
        Assert.Contains("data-theme=\"Midnight\"", home);
        Assert.Contains("lang=\"fr-FR\"", home);
        var record = await RecordAsync(t.Name);
        Assert.Contains("--brand-primary: #123abc;", await GetStringAsync(t.Client, $"brand.css?v={record.Version}"));
        Assert.Equal(("Harbour Sound", "Midnight", "fr-FR", "Europe/Paris"), (record.DisplayName, record.Theme, record.Culture, record.TimeZone));
        Assert.Equal(before.Hosts, record.Hosts);
        Assert.Equal(before.Features, record.Features);
        Assert.Equal(before.Plan, record.Plan);
        Assert.Contains("Settings saved", await GetStringAsync(owner, Page));

        var entries = await Factory.InTenantAsync(t.Name, async sp =>
            (await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(), CancellationToken.None)).Entries);
        var change = Assert.Single(entries, e => e.Action.StartsWith("tenant.", StringComparison.Ordinal) && e.AfterJson!.Contains("Harbour Sound"));
        Assert.Equal(user.Id, change.ActorId);
        Assert.Contains("#123abc", change.AfterJson);
        Assert.Contains("Aurora", change.BeforeJson);
    }

    [Theory]
    [InlineData("PrimaryColor", "red", "The primary colour must be written as #rrggbb")]
    [InlineData("AccentColor", "#12345", "The accent colour must be written as #rrggbb")]
    [InlineData("Theme", "Nope", "There is no theme &#x27;Nope&#x27;")]
    [InlineData("TimeZone", "Mars/Olympus", "is not a known time zone")]
    [InlineData("TimeZone", "Romance Standard Time", "is not a known time zone")]
    [InlineData("Culture", "xx-YY", "is not a language the studio can use")]
    [InlineData("Culture", "ja-JP", "is not a language the studio can use")]
    [InlineData("Font", "Comic Sans", "The font must be one of")]
    [InlineData("DisplayName", " ", "The studio name is required")]
    [InlineData("CustomCss", ".a { background: url(javascript:alert(1)) }", "Custom CSS may not")]
    [InlineData("CustomCss", ".a { width: expression(alert(1)) }", "Custom CSS may not")]
    [InlineData("CustomCss", "</style><script>alert(1)</script>", "Custom CSS may not")]
    public async Task Bad_input_is_explained_and_nothing_is_saved(string field, string value, string message)
    {
        var (t, owner, _) = await OwnerAsync();
        var before = await RecordAsync(t.Name);
        using var response = await PostAsync(owner, new() { [field] = value, ["BrandName"] = "Not saved" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Equal(before.Version, (await RecordAsync(t.Name)).Version);
    }

    [Fact]
    public async Task Custom_css_is_stored_sanitised()
    {
        var (t, owner, _) = await OwnerAsync();
        using var response = await PostAsync(owner, new()
        {
            ["CustomCss"] = ".hero { color: #fff } .b { background-image: url(http://evil.example/track.png) } @font-face { font-family: x; src: url(http://evil.example/f.woff) }",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var css = (await RecordAsync(t.Name)).Brand.CustomCss!;
        Assert.Contains("color", css);
        Assert.DoesNotContain("evil.example", css);
        
        var served = await GetStringAsync(t.Client, "brand.css");
        Assert.DoesNotContain("evil.example", served);
    }

    [Fact]
    public async Task A_logo_and_favicon_are_sniffed_stored_in_the_tenant_and_served_with_safe_headers_only_to_it()
    {
        var (t, owner, _) = await OwnerAsync();
        var other = await CreateTenantAsync();
        var png = Png(40, 20);
        // A PNG under an SVG name and type: the bytes decide, it is stored and served as a PNG.
        using var response = await PostAsync(owner, new() { ["PrimaryColor"] = "#0a0b0c" },
            new Upload("Logo", "logo.svg", "image/svg+xml", png), new Upload("Favicon", "favicon.png", "image/png", Ico()));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var brand = (await RecordAsync(t.Name)).Brand;
        Assert.Matches("^/media/brand/logo-[0-9a-f]{64}\\.png$", brand.LogoUrl);
        Assert.Matches("^/media/brand/favicon-[0-9a-f]{64}\\.ico$", brand.FaviconUrl);
        var home = await GetStringAsync(t.Client, "/");
        Assert.Contains($"src=\"{brand.LogoUrl}\"", home);
        Assert.Contains($"href=\"{brand.FaviconUrl}\"", home);

        using (var logo = await t.Client.GetAsync(brand.LogoUrl!.TrimStart('/')))
        {
            Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
            Assert.Equal("image/png", logo.Content.Headers.ContentType!.MediaType);
            Assert.Equal(png, await logo.Content.ReadAsByteArrayAsync());
            Assert.Equal("nosniff", logo.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("immutable", logo.Headers.CacheControl!.ToString());
            Assert.True(logo.Headers.CacheControl!.MaxAge >= TimeSpan.FromDays(365));
            // Its own policy besides the platform's (browsers enforce both): nothing in it may run or load.
            Assert.Contains(logo.Headers.GetValues("Content-Security-Policy"), p => p.Contains("default-src 'none'") && p.Contains("sandbox"));
        }
        using (var icon = await t.Client.GetAsync(brand.FaviconUrl!.TrimStart('/')))
            Assert.Equal("image/x-icon", icon.Content.Headers.ContentType!.MediaType);

        // Another tenant cannot fetch it: its own database has no such file.
        using (var stolen = await other.Client.GetAsync(brand.LogoUrl.TrimStart('/')))
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        using (var wrongType = await t.Client.GetAsync(brand.LogoUrl.TrimStart('/').Replace(".png", ".svg")))
            Assert.Equal(HttpStatusCode.NotFound, wrongType.StatusCode);

        // A new logo replaces the old one, whose file goes.
        using var replaced = await PostAsync(owner, new() { ["PrimaryColor"] = "#0a0b0c" }, new Upload("Logo", "logo.png", "image/png", Png(30, 30)));
        Assert.Equal(HttpStatusCode.Redirect, replaced.StatusCode);
        Assert.NotEqual(brand.LogoUrl, (await RecordAsync(t.Name)).Brand.LogoUrl);
        using (var old = await t.Client.GetAsync(brand.LogoUrl.TrimStart('/')))
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    public static TheoryData<string, string, string, byte[], string> RefusedUploads() => new()
    {
        { "Logo", "page.png", "image/png", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "SVG and other markup files are not accepted" },
        { "Logo", "logo.svg", "image/svg+xml", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>"), "SVG and other markup files are not accepted" },
        { "Logo", "big.png", "image/png", Png(2, 2).Concat(new byte[600 * 1024]).ToArray(), "larger than 512 KB" },
        // Larger than the whole form used to be allowed: still the form's message, not a bare 400 page.
        { "Logo", "photo.png", "image/png", Png(2, 2).Concat(new byte[3 * 1024 * 1024]).ToArray(), "larger than 512 KB" },
        { "Logo", "huge.png", "image/png", Png(5000, 1), "The image must be at most 4096" },
        { "Logo", "logo.ico", "image/x-icon", Ico(), "is not a PNG, JPEG, WebP or GIF image" },
        { "Favicon", "favicon.ico", "image/x-icon", Png(2, 2).Concat(new byte[70 * 1024]).ToArray(), "larger than 64 KB" },
        { "Favicon", "favicon.ico", "image/x-icon", Encoding.UTF8.GetBytes("MZ not an icon at all"), "is not a PNG, JPEG, WebP, GIF or ICO image" },
    };

    [Theory]
    [MemberData(nameof(RefusedUploads))]
    public async Task Unsafe_or_oversized_uploads_are_refused_and_nothing_is_saved(string field, string fileName, string contentType, byte[] bytes, string message)
    {
        var (t, owner, _) = await OwnerAsync();
        var before = await RecordAsync(t.Name);
        using var response = await PostAsync(owner, new() { ["BrandName"] = "Not saved" }, new Upload(field, fileName, contentType, bytes));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(message), await response.Content.ReadAsStringAsync());
        Assert.Equal(before.Version, (await RecordAsync(t.Name)).Version);
        var stored = await Factory.InTenantAsync(t.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<Studio.Data.ITenantDatabase>().OpenConnectionAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM settings_media");
        });
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task A_concurrent_edit_is_refused_with_a_reload_message()
    {
        var (t, owner, _) = await OwnerAsync();
        var html = await GetStringAsync(owner, Page);
        // Someone else saves after this form was read.
        await Factory.Get<TenantService>().UpdateAsync(t.Name, null, r => r with { DisplayName = "Meanwhile" });
        var content = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken" },
            { new StringContent(WebUtility.HtmlDecode(VersionRegex().Match(html).Groups[1].Value)), "Version" },
            { new StringContent("Mine"), "DisplayName" },
            { new StringContent("Aurora"), "Theme" },
            { new StringContent("en-US"), "Culture" },
            { new StringContent("UTC"), "TimeZone" },
        };
        using var response = await owner.PostAsync(Page, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("changed meanwhile", await response.Content.ReadAsStringAsync());
        Assert.Equal("Meanwhile", (await RecordAsync(t.Name)).DisplayName);
    }

    [Fact]
    public async Task Only_the_themes_of_the_plan_can_be_chosen()
    {
        var (t, owner, _) = await OwnerAsync();
        await Factory.Get<TenantService>().UpdateAsync(t.Name, null, r => r with { Plan = "free" }); // Aurora only
        var html = await GetStringAsync(owner, Page);
        Assert.Contains("value=\"Aurora\"", html);
        Assert.DoesNotContain("value=\"Midnight\"", html);
        var before = await RecordAsync(t.Name);
        using var response = await PostAsync(owner, new() { ["Theme"] = "Midnight" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("There is no theme &#x27;Midnight&#x27; for your plan", await response.Content.ReadAsStringAsync());
        Assert.Equal(before.Version, (await RecordAsync(t.Name)).Version);
    }

    [Fact]
    public async Task The_owner_turns_on_features_its_plan_allows_and_no_others()
    {
        var (t, owner, _) = await OwnerAsync();
        await Factory.Get<TenantService>().UpdateAsync(t.Name, null, r => r with { Plan = "free" }); // Identity, Email, Hello
        var html = await GetStringAsync(owner, "admin/features");
        Assert.Contains("data-feature=\"Studio.Hello\"", html);
        Assert.DoesNotContain("data-feature=\"Studio.Plans\"", html); // the platform's own features are not listed

        async Task<HttpResponseMessage> ToggleAsync(string id, bool enable)
        {
            var page = await GetStringAsync(owner, "admin/features");
            return await owner.PostAsync("admin/features", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AntiforgeryToken(page), ["FeatureId"] = id, ["Enable"] = enable ? "true" : "false",
            }));
        }

        using (var on = await ToggleAsync("Studio.Hello", true))
            Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(t.Name)).Features);
        using (var refused = await ToggleAsync("Studio.Audit", true))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Your plan does not include", await refused.Content.ReadAsStringAsync());
        }
        Assert.DoesNotContain("Studio.Audit", (await RecordAsync(t.Name)).Features);
        using (var fixedFeature = await ToggleAsync("Studio.Settings", false))
            Assert.Contains("This feature cannot be changed here.", await fixedFeature.Content.ReadAsStringAsync());
        using (var off = await ToggleAsync("Studio.Hello", false))
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.DoesNotContain("Studio.Hello", (await RecordAsync(t.Name)).Features);

        var engineer = await Factory.ClientAsAsync(t, StudioRoles.Engineer);
        using var denied = await engineer.GetAsync("admin/features");
        Assert.StartsWith("/account/access-denied", denied.Headers.Location!.PathAndQuery);
    }

    public static TheoryData<byte[], string, int, int> Images() => new()
    {
        { Png(40, 20), "image/png", 40, 20 },
        { [.. "GIF89a"u8, 0x30, 0x00, 0x10, 0x00, 0, 0, 0, 0], "image/gif", 48, 16 },
        // JPEG: SOI, an APP0 segment to skip, then SOF0 with height 0x20 and width 0x40.
        { [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], "image/jpeg", 64, 32 },
        // WebP (extended): canvas width-1 and height-1 as 24-bit little-endian.
        { [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 49, 0, 0], "image/webp", 100, 50 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Accepted_formats_are_recognised_from_their_bytes_with_their_size(byte[] bytes, string contentType, int width, int height)
    {
        var (image, refusal) = Studio.Media.MediaInspector.Inspect(bytes, Studio.Media.MediaKind.Logo);
        Assert.Null(refusal);
        Assert.Equal((contentType, width, height), (image!.ContentType, image.Width, image.Height));
    }

    [Fact]
    public async Task The_logo_works_for_a_tenant_under_a_url_prefix()
    {
        var prefix = NewName("p");
        var t = await CreateTenantAsync(configure: r => r with { Hosts = [], Prefix = prefix });
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        var owner = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(t.Name, user));
        var html = await GetStringAsync(owner, prefix + "/" + Page);
        var content = new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken" },
            { new StringContent(WebUtility.HtmlDecode(VersionRegex().Match(html).Groups[1].Value)), "Version" },
            { new StringContent("Prefixed"), "DisplayName" },
            { new StringContent("Aurora"), "Theme" },
            { new StringContent("en-US"), "Culture" },
            { new StringContent("UTC"), "TimeZone" },
        };
        content.Add(new ByteArrayContent(Png()) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "Logo", "logo.png");
        using var response = await owner.PostAsync(prefix + "/" + Page, content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var logo = (await RecordAsync(t.Name)).Brand.LogoUrl!;
        Assert.Contains($"src=\"/{prefix}{logo}\"", await GetStringAsync(owner, prefix + "/"));
        using var image = await owner.GetAsync(prefix + logo);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
    }

    [GeneratedRegex("name=\"Version\" value=\"([^\"]*)\"")]
    private static partial Regex VersionRegex();

    [GeneratedRegex("name=\"DisplayName\" value=\"([^\"]*)\"")]
    private static partial Regex DisplayNameRegex();
}
