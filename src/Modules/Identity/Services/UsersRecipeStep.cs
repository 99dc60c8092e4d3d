using System.Text.Json;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Recipe step <c>users</c>: accounts with roles,
/// <c>{"name":"users","items":[{"email":..,"name":..,"roles":["owner"],"password":".."}]}</c>. Without a password the
/// user gets an invitation e-mail (with the Email feature) to set one. An existing address is left as it is.
/// </summary>
public sealed class UsersRecipeStep(AccountService accounts, AccountEmails emails) : IRecipeStep
{
    public string Name => "users";

    public async Task ExecuteAsync(JsonElement step, TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!step.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            throw new RecipeException("Step 'users' needs an \"items\" array.");
        // Invitations sent by a recipe link to this address (there is no request to take it from).
        emails.BaseUrl = step.TryGetProperty("baseUrl", out var baseUrl) ? baseUrl.GetString() : null;
        foreach (var item in items.EnumerateArray())
        {
            var email = item.TryGetProperty("email", out var e) ? e.GetString() : null;
            if (!AccountService.IsEmail(email))
                throw new RecipeException($"Step 'users': '{email}' is not a valid e-mail address.");
            var name = item.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var roles = item.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
                ? r.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            if (roles.Count == 0)
                throw new RecipeException($"Step 'users': {email} needs at least one role.");
            foreach (var role in roles)
                if (!accounts.AllowedRoles.Contains(role))
                    throw new RecipeException($"Step 'users': the role '{role}' cannot be given in this tenant (use one of: {string.Join(", ", accounts.AllowedRoles)}).");
            var password = item.TryGetProperty("password", out var p) ? p.GetString() : null;
            if (string.IsNullOrEmpty(password) && emails.BaseUrl is null)
                throw new RecipeException($"Step 'users': {email} has no password, so an invitation is sent, which needs the step's \"baseUrl\".");
            if (await accounts.FindByEmailAsync(email!) is not null)
                continue;
            var result = await accounts.CreateAsync(email!, name, roles, string.IsNullOrEmpty(password) ? null : password, emailConfirmed: !string.IsNullOrEmpty(password), cancellationToken);
            if (!result.Succeeded)
                throw new RecipeException($"Step 'users': {email}: {result.Error}");
            if (string.IsNullOrEmpty(password))
                await accounts.SendInvitationAsync(result.User!, cancellationToken);
        }
    }
}
