using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Data;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Sso;

/// <summary>Providers and helpers the admin-side SSO tests share.</summary>
internal static class SsoAdminTestKit
{
    public static readonly AuditActor Admin = new("test-admin", "Test admin");

    /// <summary>A fresh self-signed certificate as PEM (an IdP's signing certificate).</summary>
    public static string CertificatePem(string subject = "CN=idp.test")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.ExportCertificatePem();
    }

    public static SsoProvider Saml(string id = "bigstudio", params string[] domains) => new()
    {
        Id = id, Protocol = SsoProtocols.Saml, Label = "Big Studio", Enabled = true, EmailDomains = domains,
        JustInTimeProvisioning = true, DefaultRole = "engineer",
        GroupRoles = new Dictionary<string, string> { ["studio-admins"] = "admin", ["studio-owners"] = "owner" },
        Saml = new SamlProviderSettings
        {
            IdpEntityId = "https://idp.bigstudio.example/saml", SsoUrl = "https://idp.bigstudio.example/sso",
            SigningCertificates = [CertificatePem()],
        },
    };

    public static SsoProvider Oidc(string id = "okta") => new()
    {
        Id = id, Protocol = SsoProtocols.Oidc, Label = "Okta", Enabled = true,
        Oidc = new OidcProviderSettings { Preset = "okta", Authority = "https://dev-1.okta.example/", ClientId = "client-1", Scopes = ["openid", "email"] },
    };

    public static Task<T> InSsoAsync<T>(this StudioFactory factory, string tenant, Func<ISsoProviderStore, Task<T>> work) =>
        factory.InTenantAsync(tenant, sp => work(sp.GetRequiredService<ISsoProviderStore>()));

    public static Task InSsoAsync(this StudioFactory factory, string tenant, Func<ISsoProviderStore, Task> work) =>
        factory.InTenantAsync(tenant, async sp => { await work(sp.GetRequiredService<ISsoProviderStore>()); return 0; });

    /// <summary>The tenant's audit actions (oldest first) whose action starts with <paramref name="prefix"/>.</summary>
    public static Task<List<(string Action, string? Target, string? After)>> AuditAsync(this StudioFactory factory, string tenant, string prefix) =>
        factory.InTenantAsync(tenant, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return (await connection.QueryAsync<(string, string?, string?)>(
                "SELECT action, target, after_json FROM audit_entries WHERE action LIKE @p ORDER BY id", new { p = prefix + "%" })).ToList();
        });
}
