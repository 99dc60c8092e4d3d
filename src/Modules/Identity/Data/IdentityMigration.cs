using Studio.Data;

namespace Studio.Modules.Identity.Data;

/// <summary>The tenant's accounts, in the tenant's own database: users, roles, external logins, tokens, recovery codes, one-time links.</summary>
public sealed class IdentityMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("identity_users", t => t
            .String("id", 36)
            .String("user_name", 256)
            .String("normalized_user_name", 256)
            .String("email", 256, nullable: true)
            .String("normalized_email", 256, nullable: true)
            .Bool("email_confirmed")
            .Text("password_hash", nullable: true)
            .String("security_stamp", 64, nullable: true)
            .String("concurrency_stamp", 64, nullable: true)
            .String("phone_number", 64, nullable: true)
            .Bool("phone_number_confirmed")
            .Bool("two_factor_enabled")
            .DateTimeUtc("lockout_end_utc", nullable: true)
            .Bool("lockout_enabled")
            .Int("access_failed_count")
            .String("display_name", 200)
            .String("culture", 16, nullable: true)
            // Encrypted with the tenant's ISecretProtector: never stored in the clear.
            .Text("authenticator_key", nullable: true)
            .DateTimeUtc("created_utc")
            .PrimaryKey("id"));
        builder.CreateIndex("identity_users", "ux_identity_users_name", unique: true, "normalized_user_name");
        builder.CreateIndex("identity_users", "ux_identity_users_email", unique: true, "normalized_email");

        builder.CreateTable("identity_user_roles", t => t
            .String("user_id", 36)
            .String("role", 32)
            .PrimaryKey("user_id", "role"));
        builder.CreateIndex("identity_user_roles", "ix_identity_user_roles_role", unique: false, "role");

        builder.CreateTable("identity_user_logins", t => t
            .String("login_provider", 128)
            .String("provider_key", 256)
            .String("provider_display_name", 256, nullable: true)
            .String("user_id", 36)
            .PrimaryKey("login_provider", "provider_key"));
        builder.CreateIndex("identity_user_logins", "ix_identity_user_logins_user", unique: false, "user_id");

        builder.CreateTable("identity_user_tokens", t => t
            .String("user_id", 36)
            .String("login_provider", 128)
            .String("name", 128)
            .Text("value", nullable: true)
            .PrimaryKey("user_id", "login_provider", "name"));

        // SHA-256 of each code (codes are random and high-entropy: a fast hash is enough); a row goes when used.
        builder.CreateTable("identity_recovery_codes", t => t
            .String("user_id", 36)
            .String("code_hash", 64)
            .PrimaryKey("user_id", "code_hash"));

        // One-time links (magic sign-in, invitations): only the SHA-256 of the token is kept; used_utc makes it single use.
        builder.CreateTable("identity_one_time_links", t => t
            .String("token_hash", 64)
            .String("purpose", 32)
            .String("user_id", 36)
            .DateTimeUtc("expires_utc")
            .DateTimeUtc("used_utc", nullable: true)
            .DateTimeUtc("created_utc")
            .PrimaryKey("token_hash"));
        builder.CreateIndex("identity_one_time_links", "ix_identity_one_time_links_user", unique: false, "user_id");
    }
}
