using Studio.Host.Tenancy;
using Studio.Host.Themes;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Each tenant gets its own theme and brand; unsafe brands and bad tenant input are refused.</summary>
public sealed class BrandThemeTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Two_tenants_show_their_own_theme_and_brand_colours()
    {
        var light = await CreateTenantAsync(configure: r => r with
        {
            Theme = "Aurora",
            Brand = new BrandSettings { DisplayName = "Sunrise Sound", PrimaryColor = "#112233", AccentColor = "#445566", Font = "serif" },
        });
        var dark = await CreateTenantAsync(configure: r => r with
        {
            Theme = "Midnight",
            Brand = new BrandSettings { DisplayName = "Night Owl Audio", PrimaryColor = "#aa0000", AccentColor = "#00bb00", CustomCss = ".hero { letter-spacing: 1px; }" },
        });

        var lightCss = await GetStringAsync(light.Client, "brand.css");
        var darkCss = await GetStringAsync(dark.Client, "brand.css");
        Assert.Contains("--brand-primary: #112233;", lightCss);
        Assert.Contains("--brand-accent: #445566;", lightCss);
        Assert.Contains("--brand-font: Georgia", lightCss);
        Assert.DoesNotContain("#aa0000", lightCss);
        Assert.Contains("--brand-primary: #aa0000;", darkCss);
        Assert.Contains("--brand-accent: #00bb00;", darkCss);
        Assert.Contains(".hero { letter-spacing: 1px }", darkCss); // as the sanitizer writes it back
        Assert.DoesNotContain("#112233", darkCss);

        var lightHome = await GetStringAsync(light.Client, "/");
        var darkHome = await GetStringAsync(dark.Client, "/");
        Assert.Contains("data-theme=\"Aurora\"", lightHome);
        Assert.Contains("_content/Studio.Themes.Aurora/theme.css", lightHome);
        Assert.DoesNotContain("Studio.Themes.Midnight", lightHome);
        Assert.Contains("Sunrise Sound", lightHome);
        Assert.Contains("data-theme=\"Midnight\"", darkHome);
        Assert.Contains("_content/Studio.Themes.Midnight/theme.css", darkHome);
        Assert.Contains("Night Owl Audio", darkHome);
        Assert.DoesNotContain("Sunrise Sound", darkHome);
    }

    [Fact]
    public async Task Theme_stylesheets_are_served_and_brand_changes_bust_the_stylesheet_cache()
    {
        // Midnight extends Aurora, so a Midnight tenant serves both stylesheets (a theme's files follow the tenant's
        // theme chain: StaticAssetGateTests).
        var tenant = await CreateTenantAsync(configure: r => r with { Theme = "Midnight", Brand = new BrandSettings { PrimaryColor = "#010203" } });
        foreach (var theme in new[] { "Aurora", "Midnight" })
        {
            using var css = await tenant.Client.GetAsync($"_content/Studio.Themes.{theme}/theme.css");
            Assert.Equal(System.Net.HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        }

        var home = await GetStringAsync(tenant.Client, "/");
        var version = (await RecordAsync(tenant.Name)).Version;
        Assert.Contains($"brand.css?v={version}", home);
        using (var cached = await tenant.Client.GetAsync($"brand.css?v={version}"))
            Assert.Contains("immutable", cached.Headers.CacheControl!.ToString());

        var changed = await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null,
            t => t with { Brand = t.Brand with { PrimaryColor = "#040506" } });
        var newHome = await GetStringAsync(tenant.Client, "/");
        Assert.Contains($"brand.css?v={changed.Version}", newHome);
        Assert.DoesNotContain($"brand.css?v={version}", newHome);
        Assert.Contains("--brand-primary: #040506;", await GetStringAsync(tenant.Client, $"brand.css?v={changed.Version}"));
        // An old link is not served from the new brand as if it were immutable.
        using var stale = await tenant.Client.GetAsync($"brand.css?v={version}");
        Assert.DoesNotContain("immutable", stale.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Theme_change_applies_live()
    {
        var tenant = await CreateTenantAsync(configure: r => r with { Theme = "Aurora" });
        Assert.Contains("data-theme=\"Aurora\"", await GetStringAsync(tenant.Client, "/"));
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Theme = "Midnight" });
        Assert.Contains("data-theme=\"Midnight\"", await GetStringAsync(tenant.Client, "/"));
    }

    public static TheoryData<string, BrandSettings, string> UnsafeBrands => new()
    {
        { "named colour", new BrandSettings { PrimaryColor = "red" }, "primary colour" },
        { "short hex", new BrandSettings { PrimaryColor = "#fff" }, "primary colour" },
        { "bad hex digit", new BrandSettings { AccentColor = "#12345g" }, "accent colour" },
        { "colour breaking out", new BrandSettings { PrimaryColor = "#123456;}body{display:none" }, "primary colour" },
        { "style end tag", new BrandSettings { CustomCss = "p{color:red}</style><script>alert(1)</script>" }, "Custom CSS" },
        { "import", new BrandSettings { CustomCss = "@import url(https://evil.example/x.css);" }, "Custom CSS" },
        { "import upper case", new BrandSettings { CustomCss = "@IMPORT 'x.css';" }, "Custom CSS" },
        { "javascript url", new BrandSettings { CustomCss = "body{background:url(javascript:alert(1))}" }, "Custom CSS" },
        { "expression", new BrandSettings { CustomCss = "p{width:expression(alert(1))}" }, "Custom CSS" },
        { "css escape", new BrandSettings { CustomCss = "p{content:'\\3c/style\\3e'}" }, "Custom CSS" },
        { "font", new BrandSettings { Font = "Comic Sans'; }" }, "font must be one of" },
        { "logo script url", new BrandSettings { LogoUrl = "javascript:alert(1)" }, "logo address" },
        { "logo protocol-relative", new BrandSettings { LogoUrl = "//evil.example/logo.png" }, "logo address" },
        { "favicon quote", new BrandSettings { FaviconUrl = "/x.png\" onload=\"alert(1)" }, "favicon address" },
    };

    [Theory]
    [MemberData(nameof(UnsafeBrands))]
    public void BrandValidator_rejects_unsafe_values(string why, BrandSettings brand, string expected)
    {
        var errors = BrandValidator.Validate(brand);
        Assert.True(errors.Count == 1, $"{why}: {string.Join(" | ", errors)}");
        Assert.Contains(expected, errors[0]);
    }

    [Fact]
    public void BrandValidator_accepts_safe_values()
    {
        Assert.Empty(BrandValidator.Validate(new BrandSettings
        {
            DisplayName = "Blue Room",
            PrimaryColor = "#2F6FDE",
            AccentColor = "#ffb000",
            Font = "humanist",
            LogoUrl = "/media/logo.svg",
            FaviconUrl = "https://cdn.example.com/favicon.ico",
            CustomCss = ".hero { background: #000; } @media (min-width: 40rem) { .cards { gap: 2rem; } }",
        }));
    }

    [Theory]
    [MemberData(nameof(UnsafeBrands))]
    public async Task TenantService_refuses_a_tenant_with_an_unsafe_brand_and_saves_nothing(string why, BrandSettings brand, string expected)
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Brand = brand }, name: name));
        Assert.True(e.Errors.Any(x => x.Contains(expected)), $"{why}: {e.Message}");
        await AssertNothingSavedAsync(name);
    }

    private async Task AssertNothingSavedAsync(string name)
    {
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        Assert.False(Factory.Shells.Table.ByName.ContainsKey(name));
        await AssertStorageGoneAsync(name);
    }

    [Fact]
    public async Task Invalid_names_hosts_and_duplicates_are_refused_with_clear_errors()
    {
        var existing = await CreateTenantAsync();
        var service = Factory.Get<TenantService>();

        async Task<TenantValidationException> Refused(TenantCreateRequest request)
        {
            var e = await Assert.ThrowsAsync<TenantValidationException>(() => service.CreateAsync(request));
            if (request.Name != existing.Name)
                await AssertNothingSavedAsync(request.Name);
            return e;
        }

        var badName = await Refused(new TenantCreateRequest { Name = "Bad_Name!", Hosts = ["ok.test"] });
        Assert.Contains("'Bad_Name!' is not a valid tenant name", badName.Message);

        var name = NewName();
        var badHost = await Refused(new TenantCreateRequest { Name = name, Hosts = ["not a host!"] });
        Assert.Contains("'not a host!' is not a valid host name.", badHost.Errors);

        var duplicateHost = await Refused(new TenantCreateRequest { Name = NewName(), Hosts = [existing.Host.ToUpperInvariant()] });
        Assert.Contains($"The host name '{existing.Host}' is already used by tenant '{existing.Name}'.", duplicateHost.Errors);

        var duplicateName = await Refused(new TenantCreateRequest { Name = existing.Name, Hosts = [NewName() + ".test"] });
        Assert.Contains($"A tenant named '{existing.Name}' already exists.", duplicateName.Errors);

        var platformHost = await Refused(new TenantCreateRequest { Name = NewName(), Hosts = ["localhost"] });
        Assert.Contains("The host name 'localhost' belongs to the platform.", platformHost.Errors);

        var nowhere = await Refused(new TenantCreateRequest { Name = NewName() });
        Assert.Contains("A tenant needs at least one host name or a URL prefix.", nowhere.Errors);

        var several = await Refused(new TenantCreateRequest
        {
            Name = NewName(), Hosts = ["fine.test"], Theme = "Neon", Features = ["Studio.Nope"],
            Brand = new BrandSettings { PrimaryColor = "blue" },
        });
        Assert.Contains(several.Errors, x => x.StartsWith("There is no theme 'Neon'.", StringComparison.Ordinal));
        Assert.Contains("There is no feature 'Studio.Nope'.", several.Errors);
        Assert.Contains("The primary colour must be written as #rrggbb.", several.Errors);
        Assert.Equal(3, several.Errors.Count);

        // Updates are validated the same way and leave the record as it was.
        var before = await RecordAsync(existing.Name);
        await Assert.ThrowsAsync<TenantValidationException>(() =>
            service.UpdateAsync(existing.Name, null, t => t with { Brand = new BrandSettings { CustomCss = "</style>" } }));
        Assert.Equal(before.Version, (await RecordAsync(existing.Name)).Version);
    }
}
