using Studio.Data;
using Studio.Modules;

namespace Studio.Modules.Sso.Data;

/// <summary>Identity providers, SSO settings, the tenant's SP keys, issued SAML requests and the assertion replay cache.</summary>
[ForFeature("Studio.Sso")]
public sealed class SsoMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder b)
    {
        // One row per identity provider; protocol-specific settings as JSON (secrets inside are ISecretProtector-encrypted).
        b.CreateTable("sso_providers", t => t
            .String("id", 50).String("protocol", 10).String("label", 100).Bool("enabled").String("email_domains", 1000)
            .Bool("jit_provisioning").String("default_role", 20, nullable: true).Text("group_roles_json").Bool("trust_mfa")
            .Text("settings_json").Int("version").DateTimeUtc("created_utc").DateTimeUtc("updated_utc").PrimaryKey("id"));

        // One row (id = 1): tenant-wide SSO settings.
        b.CreateTable("sso_settings", t => t.Int("id").Bool("sso_only_staff").Long("updated_ms").PrimaryKey("id"));

        // The tenant's SAML SP key pairs (signing/encryption), private keys encrypted with ISecretProtector.
        // status: active | next (published during rollover) | retired.
        b.CreateTable("sso_sp_keys", t => t
            .Id().String("use", 10).Text("certificate_pem").Text("private_key_protected").String("status", 10)
            .DateTimeUtc("not_after").DateTimeUtc("created_utc"));

        // AuthnRequests this tenant issued: InResponseTo must name one, once (consumed_utc set atomically).
        b.CreateTable("sso_saml_requests", t => t
            .String("id", 100).String("provider_id", 50).String("relay_state", 2000, nullable: true)
            .DateTimeUtc("created_utc").DateTimeUtc("expires_utc").DateTimeUtc("consumed_utc", nullable: true).PrimaryKey("id"));

        // Assertion ids already used, kept until their NotOnOrAfter: shared by every instance through the database.
        b.CreateTable("sso_saml_replay", t => t
            .String("assertion_id", 200).String("provider_id", 50).DateTimeUtc("expires_utc").PrimaryKey("assertion_id"));
        b.CreateIndex("sso_saml_replay", "ix_sso_saml_replay_expires", false, "expires_utc");
    }
}
