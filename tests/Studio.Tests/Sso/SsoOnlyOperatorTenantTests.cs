using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Modules.Api.Services;
using Studio.Modules.Sso.Data;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>
/// "SSO only" on the Default (operator) tenant never locks the operators out: it binds resellers, not operators, who
/// keep their password (and 2FA); and the management API turns it off. Its own class (own host): it changes the
/// Default tenant.
/// </summary>
public sealed class SsoOnlyOperatorTenantTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Sso_only_on_the_operator_tenant_binds_resellers_but_never_operators_and_the_api_turns_it_off()
    {
        var record = await RecordAsync("Default");
        var missing = new[] { "Studio.Sso", "Studio.Sso.Saml", "Studio.Api", "Studio.Audit" }.Where(f => !record.Features.Contains(f)).ToArray();
        if (missing.Length > 0)
            await ChangeFeaturesAsync("Default", missing, []);
        var op = await Factory.CreateUserAsync("Default", [StudioRoles.Operator]);
        var reseller = await Factory.CreateUserAsync("Default", [StudioRoles.Reseller]);
        await Factory.InSsoAsync("Default", s => s.SaveAsync(Saml("corp") with { DefaultRole = null, GroupRoles = new Dictionary<string, string>() }, null, Admin));
        await Factory.InSsoAsync("Default", s => s.SaveSettingsAsync(new SsoSettings(true), Admin));

        // The IdP is (say) broken: the operator still signs in with a password; the reseller is told to use SSO.
        var (opSignIn, _) = await Factory.SignInThroughPageAsync("localhost", op.Email!);
        Assert.Equal(HttpStatusCode.Redirect, opSignIn.StatusCode);
        Assert.NotNull(TestAccounts.SetCookie(opSignIn, ".Studio.Session.Default="));
        var (refused, _) = await Factory.SignInThroughPageAsync("localhost", reseller.Email!);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("staff sign in through its identity provider", await refused.Content.ReadAsStringAsync());
        Assert.Null(TestAccounts.SetCookie(refused, ".Studio.Session."));

        // The management API (an operator's key) turns SSO-only off; the reseller signs in again.
        var key = await Factory.InTenantAsync("Default", sp => sp.GetRequiredService<ApiKeyStore>().CreateAsync("sso-only " + Guid.NewGuid().ToString("N")[..6], null, "tests"));
        using var api = Factory.ClientFor("localhost", handleCookies: false);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using (var off = await api.PutAsync("api/v1/tenants/Default/sso/settings", new StringContent("{\"ssoOnlyStaff\":false}", Encoding.UTF8, "application/json")))
            Assert.True(off.StatusCode == HttpStatusCode.OK, $"{(int)off.StatusCode} {Truncate(await off.Content.ReadAsStringAsync())}");
        Assert.False((await Factory.InSsoAsync("Default", s => s.GetSettingsAsync())).SsoOnlyStaff);
        var (resellerAgain, _) = await Factory.SignInThroughPageAsync("localhost", reseller.Email!);
        Assert.Equal(HttpStatusCode.Redirect, resellerAgain.StatusCode);
    }
}
