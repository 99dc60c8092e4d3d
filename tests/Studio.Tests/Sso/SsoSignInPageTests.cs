using System.Net;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>The sign-in page with identity providers: buttons, home-realm discovery, and SSO-only staff.</summary>
public sealed class SsoSignInPageTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Features = ["Studio.Sso.Saml", "Studio.Sso.Oidc"];

    [Fact]
    public async Task Enabled_providers_are_buttons_and_a_providers_domain_goes_to_it()
    {
        var t = await CreateTenantAsync(Features);
        await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("bigstudio", "bigstudio.com"), null, Admin));
        await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Oidc("okta") with { Enabled = false }, null, Admin));

        var html = await GetStringAsync(t.Client, "account/sign-in?returnUrl=%2Fmy%2Fbookings");
        Assert.Contains("href=\"/sso/saml/bigstudio/login?returnUrl=%2Fmy%2Fbookings\"", html);
        Assert.DoesNotContain("/sso/oidc/okta/login", html);

        var post = await t.Client.PostAsync("account/sign-in?returnUrl=%2Fmy%2Fbookings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "Alice@BigStudio.com", ["Password"] = "", ["__RequestVerificationToken"] = AntiforgeryToken(html),
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/sso/saml/bigstudio/login?returnUrl=%2Fmy%2Fbookings", post.Headers.Location!.ToString());

        // An open redirect is not carried along; another domain without a password is the usual form error.
        var evil = await t.Client.PostAsync("account/sign-in?returnUrl=https%3A%2F%2Fevil.example", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "bob@bigstudio.com", ["Password"] = "", ["__RequestVerificationToken"] = AntiforgeryToken(html),
        }));
        Assert.Equal("/sso/saml/bigstudio/login?returnUrl=%2F", evil.Headers.Location!.ToString());
        var other = await t.Client.PostAsync("account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "carol@elsewhere.com", ["Password"] = "", ["__RequestVerificationToken"] = AntiforgeryToken(html),
        }));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // Another tenant shows none of them; without the SAML feature the button goes.
        var b = await CreateTenantAsync(Features);
        Assert.DoesNotContain("/sso/", await GetStringAsync(b.Client, "account/sign-in"));
        await ChangeFeaturesAsync(t.Name, [], ["Studio.Sso.Saml"]);
        Assert.DoesNotContain("/sso/saml/", await GetStringAsync(Factory.ClientFor(t.Host), "account/sign-in"));
    }

    [Fact]
    public async Task Sso_only_refuses_staff_passwords_links_and_resets_but_not_clients()
    {
        var t = await CreateTenantAsync(Features);
        var engineer = await Factory.CreateUserAsync(t.Name, [StudioRoles.Engineer]);
        var client = await Factory.CreateUserAsync(t.Name, [StudioRoles.Client]);
        await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("bigstudio"), null, Admin));
        await Factory.InSsoAsync(t.Name, s => s.SaveSettingsAsync(new SsoSettings(true), Admin));

        var (refused, _) = await Factory.SignInThroughPageAsync(t.Host, engineer.Email!);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("staff sign in through its identity provider", await refused.Content.ReadAsStringAsync());
        Assert.Null(TestAccounts.SetCookie(refused, ".Studio.Session."));

        // A wrong password does not learn about the policy.
        var (wrong, _) = await Factory.SignInThroughPageAsync(t.Host, engineer.Email!, "not-the-password");
        Assert.DoesNotContain("staff sign in through its identity provider", await wrong.Content.ReadAsStringAsync());

        var (ok, _) = await Factory.SignInThroughPageAsync(t.Host, client.Email!);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        // Neither a sign-in link nor a reset link is sent to staff; the answer looks the same.
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Studio.Modules.Identity.Services.AccountService>(sp);
            await accounts.RequestMagicLinkAsync(engineer.Email!, null);
            await accounts.RequestPasswordResetAsync(engineer.Email!);
            Assert.NotNull(await accounts.PasswordRefusalAsync(engineer));
            Assert.Null(await accounts.PasswordRefusalAsync(client));
            var reset = await accounts.ResetPasswordAsync(engineer.Id, "any-token", "a-new-password-123");
            Assert.False(reset.Succeeded);
            return 0;
        });
        var audit = await Factory.AuditAsync(t.Name, "identity.");
        Assert.DoesNotContain(audit, a => a.Action is "identity.magic-link.issued" or "identity.password.reset-requested");
        Assert.Contains(audit, a => a.Action == "identity.sign-in.failed" && a.After!.Contains("password-refused-by-policy"));
    }
}
