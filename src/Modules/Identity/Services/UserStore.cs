using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Studio.Data;
using Studio.Identity;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// The ASP.NET Core Identity store over the current tenant's own database (Dapper, SQLite and PostgreSQL), so each
/// tenant's accounts live in its data and nowhere else. Scalar properties are written by <see cref="UpdateAsync"/>
/// (checked against the concurrency stamp); roles, logins, tokens, the authenticator key and recovery codes are
/// written at once, as they live in rows of their own.
/// </summary>
public sealed class UserStore(ITenantDatabase database, ISecretProtector secrets, TenantContext tenant, IdentityErrorDescriber describer) :
    IUserPasswordStore<StudioUser>,
    IUserEmailStore<StudioUser>,
    IUserRoleStore<StudioUser>,
    IUserSecurityStampStore<StudioUser>,
    IUserLockoutStore<StudioUser>,
    IUserTwoFactorStore<StudioUser>,
    IUserAuthenticatorKeyStore<StudioUser>,
    IUserTwoFactorRecoveryCodeStore<StudioUser>,
    IUserAuthenticationTokenStore<StudioUser>,
    IUserLoginStore<StudioUser>,
    IUserPhoneNumberStore<StudioUser>
{
    private const string Columns = "id, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, " +
        "security_stamp, concurrency_stamp, phone_number, phone_number_confirmed, two_factor_enabled, lockout_end_utc, lockout_enabled, " +
        "access_failed_count, display_name, culture, created_utc, reseller_id";

    /// <summary>The roles that may be given in this tenant: platform roles in the Default tenant, studio roles elsewhere.</summary>
    public IReadOnlyList<string> AllowedRoles => tenant.IsDefault ? StudioRoles.Platform : StudioRoles.Studio;

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenConnectionAsync(cancellationToken);

    private object Utc(DateTime value) => database.Dialect.UtcValue(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private object? Utc(DateTimeOffset? value) => value is { } v ? database.Dialect.UtcValue(v.UtcDateTime) : null;

    // ---- IUserStore ----

    public async Task<IdentityResult> CreateAsync(StudioUser user, CancellationToken cancellationToken)
    {
        if (user.CreatedUtc == default)
            user.CreatedUtc = DateTime.UtcNow;
        user.ConcurrencyStamp ??= Guid.NewGuid().ToString();
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO identity_users ({Columns}) VALUES (@id, @user_name, @normalized_user_name, @email, @normalized_email, @email_confirmed, " +
                "@password_hash, @security_stamp, @concurrency_stamp, @phone_number, @phone_number_confirmed, @two_factor_enabled, @lockout_end_utc, " +
                "@lockout_enabled, @access_failed_count, @display_name, @culture, @created_utc, @reseller_id)", Parameters(user), cancellationToken: cancellationToken));
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            return IdentityResult.Failed(describer.DuplicateEmail(user.Email ?? user.UserName ?? ""));
        }
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(StudioUser user, CancellationToken cancellationToken)
    {
        var expected = user.ConcurrencyStamp;
        var next = Guid.NewGuid().ToString();
        var parameters = Parameters(user);
        parameters.Add("expected", expected);
        parameters.Add("next", next);
        await using var connection = await OpenAsync(cancellationToken);
        int rows;
        try
        {
            rows = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE identity_users SET user_name = @user_name, normalized_user_name = @normalized_user_name, email = @email, " +
                "normalized_email = @normalized_email, email_confirmed = @email_confirmed, password_hash = @password_hash, security_stamp = @security_stamp, " +
                "concurrency_stamp = @next, phone_number = @phone_number, phone_number_confirmed = @phone_number_confirmed, " +
                "two_factor_enabled = @two_factor_enabled, lockout_end_utc = @lockout_end_utc, lockout_enabled = @lockout_enabled, " +
                "access_failed_count = @access_failed_count, display_name = @display_name, culture = @culture, reseller_id = @reseller_id " +
                "WHERE id = @id AND (concurrency_stamp = @expected OR (concurrency_stamp IS NULL AND @expected IS NULL))",
                parameters, cancellationToken: cancellationToken));
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            return IdentityResult.Failed(describer.DuplicateEmail(user.Email ?? user.UserName ?? ""));
        }
        if (rows == 0)
            return IdentityResult.Failed(describer.ConcurrencyFailure());
        user.ConcurrencyStamp = next;
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(StudioUser user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in new[] { "identity_user_roles", "identity_user_logins", "identity_user_tokens", "identity_recovery_codes", "identity_one_time_links" })
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE user_id = @id", new { id = user.Id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM identity_users WHERE id = @id", new { id = user.Id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return IdentityResult.Success;
    }

    public Task<StudioUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        FindOneAsync("id = @value", userId, cancellationToken);

    public Task<StudioUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindOneAsync("normalized_user_name = @value", normalizedUserName, cancellationToken);

    public Task<StudioUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindOneAsync("normalized_email = @value", normalizedEmail, cancellationToken);

    private async Task<StudioUser?> FindOneAsync(string where, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} FROM identity_users WHERE {where}", new { value }, cancellationToken: cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Users holding any of <paramref name="roles"/>, with their roles, ordered by name.</summary>
    public async Task<IReadOnlyList<(StudioUser User, IReadOnlyList<string> Roles)>> ListWithRolesAsync(IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        // Parameters named one by one: Dapper would pass a list to Npgsql as one array parameter, which IN refuses.
        var parameters = new DynamicParameters();
        for (var i = 0; i < roles.Count; i++)
            parameters.Add("r" + i, roles[i]);
        var list = roles.Count == 0 ? "NULL" : string.Join(", ", Enumerable.Range(0, roles.Count).Select(i => "@r" + i));
        await using var connection = await OpenAsync(cancellationToken);
        var users = new List<StudioUser>();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} FROM identity_users WHERE id IN (SELECT user_id FROM identity_user_roles WHERE role IN ({list})) ORDER BY display_name, normalized_email",
            parameters, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
                users.Add(Read(reader));
        }
        var pairs = await connection.QueryAsync<(string UserId, string Role)>(new CommandDefinition(
            $"SELECT user_id, role FROM identity_user_roles WHERE role IN ({list})", parameters, cancellationToken: cancellationToken));
        var byUser = pairs.ToLookup(p => p.UserId, p => p.Role);
        return users.Select(u => (u, (IReadOnlyList<string>)byUser[u.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    /// <summary>How many users hold <paramref name="role"/>.</summary>
    public async Task<int> CountInRoleAsync(string role, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM identity_user_roles WHERE role = @role", new { role }, cancellationToken: cancellationToken)), CultureInfo.InvariantCulture);
    }

    public Task<string> GetUserIdAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task SetUserNameAsync(StudioUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(StudioUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    // ---- password, email, stamp, lockout, two-factor flag (scalar: saved by UpdateAsync) ----

    public Task SetPasswordHashAsync(StudioUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(StudioUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email;
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.Email);

    public Task<bool> GetEmailConfirmedAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(StudioUser user, bool confirmed, CancellationToken cancellationToken)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(StudioUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail;
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(StudioUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(StudioUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(StudioUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(StudioUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task SetTwoFactorEnabledAsync(StudioUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetPhoneNumberAsync(StudioUser user, string? phoneNumber, CancellationToken cancellationToken)
    {
        user.PhoneNumber = phoneNumber;
        return Task.CompletedTask;
    }

    public Task<string?> GetPhoneNumberAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.PhoneNumber);

    public Task<bool> GetPhoneNumberConfirmedAsync(StudioUser user, CancellationToken cancellationToken) => Task.FromResult(user.PhoneNumberConfirmed);

    public Task SetPhoneNumberConfirmedAsync(StudioUser user, bool confirmed, CancellationToken cancellationToken)
    {
        user.PhoneNumberConfirmed = confirmed;
        return Task.CompletedTask;
    }

    // ---- roles ----

    public async Task AddToRoleAsync(StudioUser user, string roleName, CancellationToken cancellationToken)
    {
        var role = RoleOf(roleName);
        if (!AllowedRoles.Contains(role))
            throw new ArgumentException($"The role '{role}' cannot be given in tenant '{tenant.Name}'.", nameof(roleName));
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO identity_user_roles (user_id, role) VALUES (@id, @role) ON CONFLICT DO NOTHING", new { id = user.Id, role }, cancellationToken: cancellationToken));
    }

    public async Task RemoveFromRoleAsync(StudioUser user, string roleName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM identity_user_roles WHERE user_id = @id AND role = @role", new { id = user.Id, role = RoleOf(roleName) }, cancellationToken: cancellationToken));
    }

    public async Task<IList<string>> GetRolesAsync(StudioUser user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var roles = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT role FROM identity_user_roles WHERE user_id = @id ORDER BY role", new { id = user.Id }, cancellationToken: cancellationToken));
        // A role that is not valid in this tenant (data edited by hand, a role moved) grants nothing here.
        return roles.Where(AllowedRoles.Contains).ToList();
    }

    public async Task<bool> IsInRoleAsync(StudioUser user, string roleName, CancellationToken cancellationToken) =>
        (await GetRolesAsync(user, cancellationToken)).Contains(RoleOf(roleName));

    public async Task<IList<StudioUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken) =>
        (await ListWithRolesAsync([RoleOf(roleName)], cancellationToken)).Select(p => p.User).ToList();

    // Identity passes role names through its key normalizer (upper case); roles are stored as the lower-case constants.
    private static string RoleOf(string roleName) => roleName.Trim().ToLowerInvariant();

    // ---- logins ----

    public async Task AddLoginAsync(StudioUser user, UserLoginInfo login, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO identity_user_logins (login_provider, provider_key, provider_display_name, user_id) VALUES (@LoginProvider, @ProviderKey, @ProviderDisplayName, @UserId)",
            new { login.LoginProvider, login.ProviderKey, login.ProviderDisplayName, UserId = user.Id }, cancellationToken: cancellationToken));
    }

    public async Task RemoveLoginAsync(StudioUser user, string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM identity_user_logins WHERE user_id = @id AND login_provider = @loginProvider AND provider_key = @providerKey",
            new { id = user.Id, loginProvider, providerKey }, cancellationToken: cancellationToken));
    }

    public async Task<IList<UserLoginInfo>> GetLoginsAsync(StudioUser user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Provider, string Key, string? Display)>(new CommandDefinition(
            "SELECT login_provider, provider_key, provider_display_name FROM identity_user_logins WHERE user_id = @id", new { id = user.Id }, cancellationToken: cancellationToken));
        return rows.Select(r => new UserLoginInfo(r.Provider, r.Key, r.Display)).ToList();
    }

    public async Task<StudioUser?> FindByLoginAsync(string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT user_id FROM identity_user_logins WHERE login_provider = @loginProvider AND provider_key = @providerKey",
            new { loginProvider, providerKey }, cancellationToken: cancellationToken));
        return id is null ? null : await FindByIdAsync(id, cancellationToken);
    }

    // ---- authentication tokens ----

    public async Task SetTokenAsync(StudioUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO identity_user_tokens (user_id, login_provider, name, value) VALUES (@id, @loginProvider, @name, @value) " +
            "ON CONFLICT (user_id, login_provider, name) DO UPDATE SET value = excluded.value",
            new { id = user.Id, loginProvider, name, value }, cancellationToken: cancellationToken));
    }

    public async Task RemoveTokenAsync(StudioUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM identity_user_tokens WHERE user_id = @id AND login_provider = @loginProvider AND name = @name",
            new { id = user.Id, loginProvider, name }, cancellationToken: cancellationToken));
    }

    public async Task<string?> GetTokenAsync(StudioUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM identity_user_tokens WHERE user_id = @id AND login_provider = @loginProvider AND name = @name",
            new { id = user.Id, loginProvider, name }, cancellationToken: cancellationToken));
    }

    // ---- authenticator key (encrypted at rest) ----

    public async Task SetAuthenticatorKeyAsync(StudioUser user, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE identity_users SET authenticator_key = @key WHERE id = @id",
            new { id = user.Id, key = string.IsNullOrEmpty(key) ? null : secrets.Protect(key) }, cancellationToken: cancellationToken));
    }

    public async Task<string?> GetAuthenticatorKeyAsync(StudioUser user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT authenticator_key FROM identity_users WHERE id = @id", new { id = user.Id }, cancellationToken: cancellationToken));
        return stored is null ? null : secrets.Unprotect(stored);
    }

    // ---- recovery codes (hashed, single use) ----

    public async Task ReplaceCodesAsync(StudioUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM identity_recovery_codes WHERE user_id = @id", new { id = user.Id }, transaction, cancellationToken: cancellationToken));
        foreach (var hash in recoveryCodes.Select(Hash).Distinct(StringComparer.Ordinal))
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO identity_recovery_codes (user_id, code_hash) VALUES (@id, @hash)", new { id = user.Id, hash }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> RedeemCodeAsync(StudioUser user, string code, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // The DELETE is the check: of two concurrent redemptions of one code, only one removes the row.
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM identity_recovery_codes WHERE user_id = @id AND code_hash = @hash", new { id = user.Id, hash = Hash(code) }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<int> CountCodesAsync(StudioUser user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM identity_recovery_codes WHERE user_id = @id", new { id = user.Id }, cancellationToken: cancellationToken)), CultureInfo.InvariantCulture);
    }

    /// <summary>SHA-256 (hex) of a high-entropy secret (recovery code, link token), after trimming and upper-casing codes.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Trim().ToUpperInvariant())));

    // ---- mapping ----

    private DynamicParameters Parameters(StudioUser user)
    {
        var p = new DynamicParameters();
        p.Add("id", user.Id);
        p.Add("user_name", user.UserName);
        p.Add("normalized_user_name", user.NormalizedUserName);
        p.Add("email", user.Email);
        p.Add("normalized_email", user.NormalizedEmail);
        p.Add("email_confirmed", user.EmailConfirmed);
        p.Add("password_hash", user.PasswordHash);
        p.Add("security_stamp", user.SecurityStamp);
        p.Add("concurrency_stamp", user.ConcurrencyStamp);
        p.Add("phone_number", user.PhoneNumber);
        p.Add("phone_number_confirmed", user.PhoneNumberConfirmed);
        p.Add("two_factor_enabled", user.TwoFactorEnabled);
        p.Add("lockout_end_utc", Utc(user.LockoutEnd));
        p.Add("lockout_enabled", user.LockoutEnabled);
        p.Add("access_failed_count", user.AccessFailedCount);
        p.Add("display_name", user.DisplayName ?? "");
        p.Add("culture", user.Culture);
        p.Add("created_utc", Utc(user.CreatedUtc));
        p.Add("reseller_id", user.ResellerId);
        return p;
    }

    private static StudioUser Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        UserName = r.GetString(1),
        NormalizedUserName = r.GetString(2),
        Email = r.IsDBNull(3) ? null : r.GetString(3),
        NormalizedEmail = r.IsDBNull(4) ? null : r.GetString(4),
        EmailConfirmed = Convert.ToBoolean(r.GetValue(5), CultureInfo.InvariantCulture),
        PasswordHash = r.IsDBNull(6) ? null : r.GetString(6),
        SecurityStamp = r.IsDBNull(7) ? null : r.GetString(7),
        ConcurrencyStamp = r.IsDBNull(8) ? null : r.GetString(8),
        PhoneNumber = r.IsDBNull(9) ? null : r.GetString(9),
        PhoneNumberConfirmed = Convert.ToBoolean(r.GetValue(10), CultureInfo.InvariantCulture),
        TwoFactorEnabled = Convert.ToBoolean(r.GetValue(11), CultureInfo.InvariantCulture),
        LockoutEnd = r.IsDBNull(12) ? null : new DateTimeOffset(StoredUtc.Read(r.GetValue(12))),
        LockoutEnabled = Convert.ToBoolean(r.GetValue(13), CultureInfo.InvariantCulture),
        AccessFailedCount = Convert.ToInt32(r.GetValue(14), CultureInfo.InvariantCulture),
        DisplayName = r.GetString(15),
        Culture = r.IsDBNull(16) ? null : r.GetString(16),
        CreatedUtc = StoredUtc.Read(r.GetValue(17)),
        ResellerId = r.IsDBNull(18) ? null : r.GetString(18),
    };

    private static bool IsUniqueViolation(DbException e) =>
        e.SqlState == "23505" || e.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);

    public void Dispose() { }
}
