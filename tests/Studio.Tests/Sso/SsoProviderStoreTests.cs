using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>The tenant's identity-provider store: validation, versions, the encrypted OIDC secret, isolation, audit, SSO-only guard.</summary>
public sealed class SsoProviderStoreTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Features = ["Studio.Sso.Saml", "Studio.Sso.Oidc"];

    [Fact]
    public async Task A_provider_round_trips_normalised_and_a_stale_version_is_refused()
    {
        var t = await CreateTenantAsync(Features);
        var saved = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("BigStudio", "@BigStudio.com", "bigstudio.com", "Müller.example") with { Id = "BigStudio" }, null, Admin));
        Assert.Equal("bigstudio", saved.Id);
        Assert.Equal(["bigstudio.com", "xn--mller-kva.example"], saved.EmailDomains);
        Assert.Equal(1, saved.Version);
        Assert.Equal("admin", saved.GroupRoles["studio-admins"]);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", saved.Saml!.SigningCertificates[0]);

        var updated = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(saved with { Label = "Big Studio SSO" }, null, Admin));
        Assert.Equal(2, updated.Version);
        var stale = await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveAsync(saved with { Label = "Other" }, null, Admin)));
        Assert.Contains("changed", stale.Message);
        var duplicate = await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("bigstudio"), null, Admin)));
        Assert.Equal("Id", duplicate.Field);
        Assert.Equal("Big Studio SSO", (await Factory.InSsoAsync(t.Name, s => s.GetAsync("bigstudio")))!.Label);

        // Another tenant sees none of it.
        var other = await CreateTenantAsync(Features);
        Assert.Empty(await Factory.InSsoAsync(other.Name, s => s.ListAsync()));

        await Factory.InSsoAsync(t.Name, async s => { await s.DeleteAsync("bigstudio", Admin); return 0; });
        Assert.Null(await Factory.InSsoAsync(t.Name, s => s.GetAsync("bigstudio")));
        var audit = await Factory.AuditAsync(t.Name, "sso.provider.");
        Assert.Equal(["sso.provider.created", "sso.provider.updated", "sso.provider.deleted"], audit.Select(a => a.Action));
    }

    public static TheoryData<string, string> BadProviders => new()
    {
        { "id", "Id" }, { "label", "Label" }, { "domain", "EmailDomains" }, { "role", "GroupRoles" }, { "default-role", "DefaultRole" },
        { "sso-url", "SsoUrl" }, { "http", "SsoUrl" }, { "no-cert", "SigningCertificates" }, { "bad-cert", "SigningCertificates" },
        { "binding", "SsoBinding" }, { "skew", "ClockSkewSeconds" }, { "signed", "RequireSigned" }, { "protocol", "Protocol" },
    };

    [Theory]
    [MemberData(nameof(BadProviders))]
    public async Task Bad_input_is_a_localized_refusal_on_its_field_and_nothing_is_written(string what, string field)
    {
        var t = await CreateTenantAsync(Features);
        var good = Saml();
        var bad = what switch
        {
            "id" => good with { Id = "-no/slashes-" },
            "label" => good with { Label = " " },
            "domain" => good with { EmailDomains = ["not a domain"] },
            "role" => good with { GroupRoles = new Dictionary<string, string> { ["g"] = "operator" } },
            "default-role" => good with { DefaultRole = "superuser" },
            "sso-url" => good with { Saml = good.Saml! with { SsoUrl = "javascript:alert(1)" } },
            "http" => good with { Saml = good.Saml! with { SsoUrl = "http://idp.example.com/sso" } },
            "no-cert" => good with { Saml = good.Saml! with { SigningCertificates = [] } },
            "bad-cert" => good with { Saml = good.Saml! with { SigningCertificates = ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"] } },
            "binding" => good with { Saml = good.Saml! with { SsoBinding = "artifact" } },
            "skew" => good with { Saml = good.Saml! with { ClockSkewSeconds = 100000 } },
            "signed" => good with { Saml = good.Saml! with { RequireSigned = "nothing" } },
            "protocol" => good with { Protocol = SsoProtocols.Oidc },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var e = await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveAsync(bad, null, Admin)));
        Assert.Equal(field, e.Field);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Empty(await Factory.InSsoAsync(t.Name, s => s.ListAsync()));
    }

    [Fact]
    public async Task The_oidc_client_secret_is_stored_encrypted_kept_replaced_and_never_audited()
    {
        var t = await CreateTenantAsync(Features);
        const string secret = "s3cr3t-client-value-123";
        var saved = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Oidc() with { Oidc = Oidc().Oidc! with { ClientSecretProtected = "forged" } }, secret, Admin));
        Assert.Equal(["openid", "email"], saved.Oidc!.Scopes);
        Assert.Equal("https://dev-1.okta.example", saved.Oidc.Authority);
        var raw = await Factory.InTenantAsync(t.Name, async sp =>
        {
            await using var c = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await c.ExecuteScalarAsync<string>("SELECT settings_json FROM sso_providers WHERE id = 'okta'");
        });
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain("forged", raw);
        Assert.Equal(secret, await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("okta")));

        // Saving without a new secret keeps it; a new one replaces it; "" removes it.
        saved = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(saved with { Label = "Okta SSO" }, null, Admin));
        Assert.Equal(secret, await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("okta")));
        saved = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(saved, "another-secret", Admin));
        Assert.Equal("another-secret", await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("okta")));
        await Factory.InSsoAsync(t.Name, s => s.SaveAsync(saved, "", Admin));
        Assert.Null(await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("okta")));

        var audit = await Factory.AuditAsync(t.Name, "sso.");
        Assert.All(audit, a => Assert.DoesNotContain(secret, a.After ?? ""));
        Assert.All(audit, a => Assert.DoesNotContain("another-secret", a.After ?? ""));
        Assert.DoesNotContain(TestLogs, l => l.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_e_mail_domain_leads_to_one_provider_only_and_sso_only_needs_an_enabled_provider()
    {
        var t = await CreateTenantAsync(Features);
        var e = await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveSettingsAsync(new SsoSettings(true), Admin)));
        Assert.Equal("SsoOnlyStaff", e.Field);
        var first = await Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("one", "bigstudio.com"), null, Admin));
        var clash = await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveAsync(Saml("two", "BIGSTUDIO.com"), null, Admin)));
        Assert.Equal("EmailDomains", clash.Field);

        await Factory.InSsoAsync(t.Name, async s => { await s.SaveSettingsAsync(new SsoSettings(true), Admin); return 0; });
        Assert.True((await Factory.InSsoAsync(t.Name, s => s.GetSettingsAsync())).SsoOnlyStaff);
        // The last enabled provider can be neither disabled nor deleted while staff may only use SSO.
        await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, s => s.SaveAsync(first with { Enabled = false }, null, Admin)));
        await Assert.ThrowsAsync<SsoValidationException>(() => Factory.InSsoAsync(t.Name, async s => { await s.DeleteAsync("one", Admin); return 0; }));
        await Factory.InSsoAsync(t.Name, async s => { await s.SaveSettingsAsync(new SsoSettings(false), Admin); return 0; });
        await Factory.InSsoAsync(t.Name, s => s.SaveAsync(first with { Enabled = false }, null, Admin));
        Assert.Equal(["sso.settings.changed", "sso.settings.changed"], (await Factory.AuditAsync(t.Name, "sso.settings")).Select(a => a.Action));
    }
}
