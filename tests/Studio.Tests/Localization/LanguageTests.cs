using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Localization;

/// <summary>
/// How a request's language is chosen on a tenant — the visitor's choice (cookie, account), the tenant's default,
/// the browser's Accept-Language among the offered languages — and a tenant's own wording per language.
/// </summary>
public sealed partial class LanguageTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<TestTenant> TenantAsync(string culture = "en-US", string? localization = null, string? prefix = null)
    {
        var tenant = await CreateTenantAsync(configure: r => r with
        {
            Culture = culture,
            Hosts = prefix is null ? r.Hosts : [],
            Prefix = prefix,
        });
        if (localization is not null)
            await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = "{\"Localization\":" + localization + "}" });
        return tenant;
    }

    private static async Task<(string Lang, string Body)> PageAsync(HttpClient client, string path = "", string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        var lang = HtmlLang().Match(body).Groups[1].Value;
        Assert.Equal(lang, string.Join(",", response.Content.Headers.ContentLanguage));
        return (lang, body);
    }

    [Fact]
    public async Task Without_a_choice_a_visitor_sees_the_tenants_default_language_whatever_the_browser_asks()
    {
        var tenant = await TenantAsync("fr-CH");
        Assert.Equal("fr-CH", (await PageAsync(tenant.Client)).Lang);
        Assert.Equal("fr-CH", (await PageAsync(tenant.Client, acceptLanguage: "de-DE,de;q=0.9")).Lang);
    }

    [Fact]
    public async Task A_tenant_that_prefers_the_browser_language_follows_Accept_Language_among_the_languages_it_offers()
    {
        var tenant = await TenantAsync("en-GB", """{"Languages":["en","de","it"],"PreferBrowserLanguage":true}""");
        Assert.Equal("de-AT", (await PageAsync(tenant.Client, acceptLanguage: "de-AT,en;q=0.5")).Lang);
        // A bare language gets that language's default formats; the tenant's own culture when it is of that language.
        Assert.Equal("it-IT", (await PageAsync(tenant.Client, acceptLanguage: "it")).Lang);
        Assert.Equal("en-GB", (await PageAsync(tenant.Client, acceptLanguage: "en")).Lang);
        // French is not offered: the next language the browser accepts, else the tenant's default.
        Assert.Equal("de-DE", (await PageAsync(tenant.Client, acceptLanguage: "fr-FR, de;q=0.8")).Lang);
        Assert.Equal("en-GB", (await PageAsync(tenant.Client, acceptLanguage: "fr-FR, pt;q=0.8")).Lang);
        Assert.Equal("en-GB", (await PageAsync(tenant.Client, acceptLanguage: "not a language")).Lang);
        Assert.Equal("en-GB", (await PageAsync(tenant.Client)).Lang);
    }

    [Fact]
    public async Task An_API_client_gets_the_language_it_asks_for_before_the_tenants_default()
    {
        var tenant = await TenantAsync("fr-FR");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/no-such-endpoint");
        request.Headers.TryAddWithoutValidation("Accept-Language", "it-CH, en;q=0.5");
        using var response = await tenant.Client.SendAsync(request);
        Assert.Equal("it-CH", string.Join(",", response.Content.Headers.ContentLanguage));
        using var plain = await tenant.Client.GetAsync("api/v1/no-such-endpoint");
        Assert.Equal("fr-FR", string.Join(",", plain.Content.Headers.ContentLanguage));
    }

    [Fact]
    public async Task The_picker_remembers_the_choice_in_a_cookie_of_the_tenant_and_refuses_a_language_it_does_not_offer()
    {
        var tenant = await TenantAsync("en-US", """{"Languages":["en","fr","es"]}""");
        var client = Factory.ClientWithCookie(tenant.Host, "unrelated=1");
        var (_, home) = await PageAsync(client);
        Assert.Contains("name=\"language\"", home); // the picker is in the theme's header
        Assert.Contains(">Español</option>", home);
        Assert.DoesNotContain(">Deutsch</option>", home);

        using (var refused = await client.PostAsync("culture", Form(("language", "de"), ("returnUrl", "/"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Null(TestAccounts.SetCookie(refused, ".Studio.Culture."));
        }
        using (var chosen = await client.PostAsync("culture", Form(("language", "es"), ("returnUrl", "/rooms?x=1"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
            Assert.Equal("/rooms?x=1", chosen.Headers.Location!.OriginalString);
            var cookie = TestAccounts.SetCookie(chosen, ".Studio.Culture." + tenant.Name + "=");
            Assert.NotNull(cookie);
            Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal("es-ES", (await PageAsync(client, acceptLanguage: "fr")).Lang);

        // Another site cannot be the way back.
        using var outside = await client.PostAsync("culture", Form(("language", "fr"), ("returnUrl", "https://evil.example/")));
        Assert.Equal("/", outside.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task On_a_prefix_tenant_the_choice_stays_under_its_prefix()
    {
        var prefix = NewName("p");
        var tenant = await TenantAsync("en-US", prefix: prefix);
        var client = Factory.ClientFor("localhost");
        // The header's picker posts to the tenant's own /culture, under its prefix, and comes back to the page.
        var home = await client.GetStringAsync(prefix + "/");
        Assert.Contains($"<form class=\"language-picker\" method=\"post\" action=\"/{prefix}/culture\">", home);
        Assert.Contains($"name=\"returnUrl\" value=\"/{prefix}/\"", home);
        Assert.Contains("<option value=\"en\" lang=\"en\" selected=\"selected\">English</option>", home);
        using var chosen = await client.PostAsync(prefix + "/culture", Form(("language", "pt"), ("returnUrl", "/" + prefix + "/")));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/" + prefix + "/", chosen.Headers.Location!.OriginalString);
        var cookie = TestAccounts.SetCookie(chosen, ".Studio.Culture." + tenant.Name + "=");
        Assert.NotNull(cookie);
        Assert.Contains("path=/" + prefix, cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_signed_in_users_choice_is_kept_on_the_account_and_follows_them_to_another_browser()
    {
        var tenant = await TenantAsync("en-US");
        var user = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Client]);
        var (signedIn, first) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using (var chosen = await first.PostAsync("culture", Form(("language", "de"), ("returnUrl", "/"))))
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var saved = await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByIdAsync(user.Id));
        Assert.Equal("de-DE", saved!.Culture);

        // A new browser: English until the user signs in, then their language.
        var second = Factory.ClientFor(tenant.Host);
        Assert.Equal("en-US", (await PageAsync(second)).Lang);
        var (again, _) = await Factory.SignInThroughPageAsync(tenant.Host, user.Email!, client: second);
        Assert.NotNull(TestAccounts.SetCookie(again, ".Studio.Culture." + tenant.Name + "=de-DE"));
        Assert.Equal("de-DE", (await PageAsync(second)).Lang);
    }

    [Fact]
    public async Task An_owner_rewords_a_text_per_language_and_only_that_tenant_shows_it()
    {
        var tenant = await Factory.AsAsync(await TenantAsync("en-US"));
        var other = await TenantAsync("en-US");
        var page = await GetStringAsync(tenant.Client, "admin/settings/languages?language=en&query=Skip+to+content");
        Assert.Contains("Skip to content", page);
        using (var saved = await tenant.Client.PostAsync("admin/settings/languages?handler=Texts&language=en&query=Skip+to+content", Form(
                   ("__RequestVerificationToken", AntiforgeryToken(page)),
                   ("Version", Version(page)),
                   ("Entries[0].Key", "Skip to content"), ("Entries[0].Text", "Straight to the studio"))))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        Assert.Contains("Straight to the studio", (await PageAsync(tenant.Client)).Body);
        Assert.DoesNotContain("Skip to content", (await PageAsync(tenant.Client)).Body);
        var elsewhere = (await PageAsync(other.Client)).Body;
        Assert.Contains("Skip to content", elsewhere);
        Assert.DoesNotContain("Straight to the studio", elsewhere);

        // Emptying the field gives the platform's text back.
        page = await GetStringAsync(tenant.Client, "admin/settings/languages?language=en");
        Assert.Contains("Straight to the studio", page); // listed among the current replacements
        using (var reset = await tenant.Client.PostAsync("admin/settings/languages?handler=Texts&language=en", Form(
                   ("__RequestVerificationToken", AntiforgeryToken(page)), ("Version", Version(page)),
                   ("Entries[0].Key", "Skip to content"), ("Entries[0].Text", ""))))
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains("Skip to content", (await PageAsync(tenant.Client)).Body);
    }

    [Fact]
    public async Task A_replacement_that_would_break_formatting_or_names_an_unknown_text_is_refused_and_nothing_is_saved()
    {
        var tenant = await Factory.AsAsync(await TenantAsync("en-US"));
        var before = (await RecordAsync(tenant.Name)).Version;
        var page = await GetStringAsync(tenant.Client, "admin/settings/languages?language=fr");
        using var refused = await tenant.Client.PostAsync("admin/settings/languages?handler=Texts&language=fr", Form(
            ("__RequestVerificationToken", AntiforgeryToken(page)), ("Version", Version(page)),
            ("Entries[0].Key", "Welcome to {0}"), ("Entries[0].Text", "Bienvenue chez {1}"),
            ("Entries[1].Key", "Skip to content"), ("Entries[1].Text", "Aller {au contenu"),
            ("Entries[2].Key", "A text nobody wrote"), ("Entries[2].Text", "Texte"),
            // Pages write translations as HTML: a tenant's own text may not bring markup.
            ("Entries[3].Key", "Home"), ("Entries[3].Text", "<a href=\"https://evil.example/\">Accueil</a>")));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("may only use the placeholders of the original ({0})", WebUtility.HtmlDecode(body));
        Assert.Contains("may only use the placeholders of the original (—)", WebUtility.HtmlDecode(body));
        Assert.Contains("is not a text of the platform", WebUtility.HtmlDecode(body));
        Assert.Contains("may not contain markup", WebUtility.HtmlDecode(body));
        Assert.Contains("Bienvenue chez {1}", WebUtility.HtmlDecode(body)); // the owner's input is kept on the page
        Assert.Equal(before, (await RecordAsync(tenant.Name)).Version);
    }

    [Fact]
    public async Task The_offered_languages_must_include_the_default_one()
    {
        var tenant = await Factory.AsAsync(await TenantAsync("it-IT"));
        var page = await GetStringAsync(tenant.Client, "admin/settings/languages");
        using var refused = await tenant.Client.PostAsync("admin/settings/languages?handler=Languages", Form(
            ("__RequestVerificationToken", AntiforgeryToken(page)), ("Version", Version(page)), ("Offered", "en"), ("Offered", "fr")));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Italiano", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));

        page = await GetStringAsync(tenant.Client, "admin/settings/languages");
        using var saved = await tenant.Client.PostAsync("admin/settings/languages?handler=Languages", Form(
            ("__RequestVerificationToken", AntiforgeryToken(page)), ("Version", Version(page)), ("Offered", "it"), ("Offered", "fr")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var home = (await PageAsync(tenant.Client)).Body;
        Assert.Contains(">Français</option>", home);
        Assert.DoesNotContain(">English</option>", home);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static string Version(string html) => WebUtility.HtmlDecode(VersionField().Match(html).Groups[1].Value);

    [GeneratedRegex("<html lang=\"([^\"]*)\"")]
    private static partial Regex HtmlLang();

    [GeneratedRegex("name=\"Version\"[^>]*value=\"([^\"]*)\"|value=\"([^\"]*)\"[^>]*name=\"Version\"")]
    private static partial Regex VersionField();
}
