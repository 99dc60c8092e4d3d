using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Sso;

/// <summary>Identity's <see cref="IExternalSignIn"/>: linking, provisioning, roles from groups, 2FA, isolation, audit.</summary>
public sealed class ExternalSignInTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Features = ["Studio.Sso.Saml"];

    private static readonly ExternalSignInPolicy Jit = new(true,
        new Dictionary<string, string> { ["studio-admins"] = StudioRoles.Admin, ["studio-engineers"] = StudioRoles.Engineer }, StudioRoles.FrontDesk, false);

    private static ExternalIdentity Person(string subject, string? email, params string[] groups) =>
        new("bigstudio", "Big Studio", subject, email, "Alice Example", groups, MultiFactor: false);

    /// <summary>Runs a sign-in in the tenant's container; returns the result and the Set-Cookie headers it made.</summary>
    private Task<(ExternalSignInResult Result, string Cookies)> SignInAsync(string tenant, ExternalIdentity identity, ExternalSignInPolicy policy) =>
        Factory.InTenantAsync(tenant, async sp =>
        {
            var context = new DefaultHttpContext { RequestServices = sp };
            context.Request.Scheme = "http";
            context.Request.Host = new HostString(tenant + ".test");
            var result = await sp.GetRequiredService<IExternalSignIn>().SignInAsync(context, identity, policy, rememberMe: false);
            return (result, string.Join("\n", context.Response.Headers.SetCookie.ToArray()));
        });

    private Task<IList<string>> RolesAsync(string tenant, string userId) =>
        Factory.InTenantAsync(tenant, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            return await users.GetRolesAsync((await users.FindByIdAsync(userId))!);
        });

    [Fact]
    public async Task A_new_person_is_provisioned_with_the_mapped_role_then_found_by_subject_and_roles_follow_groups()
    {
        var t = await CreateTenantAsync(Features);
        var (first, cookies) = await SignInAsync(t.Name, Person("alice-1", "alice@bigstudio.com", "studio-engineers"), Jit);
        Assert.True(first.Succeeded, first.Error);
        Assert.Contains(".Studio.Session." + t.Name + "=", cookies);
        Assert.Equal([StudioRoles.Engineer], await RolesAsync(t.Name, first.UserId!));

        // The same subject with another e-mail is the same account; a new group gives the mapped role instead.
        var (second, _) = await SignInAsync(t.Name, Person("alice-1", "alice.new@bigstudio.com", "studio-admins", "unknown"), Jit);
        Assert.True(second.Succeeded);
        Assert.Equal(first.UserId, second.UserId);
        Assert.Equal([StudioRoles.Admin], await RolesAsync(t.Name, first.UserId!));

        // No group that maps: the default role.
        var (third, _) = await SignInAsync(t.Name, Person("bob-2", "bob@bigstudio.com"), Jit);
        Assert.True(third.Succeeded);
        Assert.Equal([StudioRoles.FrontDesk], await RolesAsync(t.Name, third.UserId!));

        var audit = await Factory.AuditAsync(t.Name, "identity.");
        Assert.Contains(audit, a => a.Action == "identity.external.linked" && a.Target == first.UserId);
        Assert.Contains(audit, a => a.Action == "identity.roles.changed" && a.Target == first.UserId);
        Assert.Equal(3, audit.Count(a => a.Action == "identity.sign-in.succeeded" && a.After!.Contains("\"sso\"")));
    }

    [Fact]
    public async Task An_existing_account_with_the_same_e_mail_is_linked_and_an_unproven_password_goes()
    {
        var t = await CreateTenantAsync(Features);
        var owner = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner], "owner@bigstudio.com");
        var noJit = Jit with { JustInTimeProvisioning = false, GroupRoles = new Dictionary<string, string>() };
        var (linked, _) = await SignInAsync(t.Name, Person("owner-sub", "OWNER@bigstudio.com"), noJit);
        Assert.True(linked.Succeeded);
        Assert.Equal(owner.Id, linked.UserId);
        Assert.Equal([StudioRoles.Owner], await RolesAsync(t.Name, owner.Id));

        // Someone else at the provider with the owner's address (another subject) is refused.
        var (other, _) = await SignInAsync(t.Name, Person("someone-else", "owner@bigstudio.com"), noJit);
        Assert.False(other.Succeeded);
        Assert.False(string.IsNullOrEmpty(other.Error));

        // An unconfirmed sign-up's password is not proof of anything: linking removes it.
        var squatter = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var u = new StudioUser { UserName = "carol@bigstudio.com", Email = "carol@bigstudio.com", DisplayName = "Carol", LockoutEnabled = true, CreatedUtc = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(u, TestAccounts.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(u, StudioRoles.Client)).Succeeded);
            return u;
        });
        var (carol, _) = await SignInAsync(t.Name, Person("carol-sub", "carol@bigstudio.com"), noJit);
        Assert.True(carol.Succeeded);
        Assert.Equal(squatter.Id, carol.UserId);
        Assert.False(await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            return await users.HasPasswordAsync((await users.FindByIdAsync(squatter.Id))!);
        }));
    }

    [Fact]
    public async Task Without_provisioning_or_a_role_a_stranger_is_refused_and_another_tenant_never_links()
    {
        var a = await CreateTenantAsync(Features);
        var b = await CreateTenantAsync(Features);
        var alice = await Factory.CreateUserAsync(a.Name, [StudioRoles.Engineer], "alice@bigstudio.com");
        var noJit = Jit with { JustInTimeProvisioning = false };

        // Tenant B has no Alice: her identity neither reaches tenant A's account nor creates one.
        var (refused, cookies) = await SignInAsync(b.Name, Person("alice-1", "alice@bigstudio.com"), noJit);
        Assert.False(refused.Succeeded);
        Assert.Null(refused.UserId);
        Assert.DoesNotContain(".Studio.Session.", cookies);
        Assert.Null(await Factory.InTenantAsync(b.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync("alice@bigstudio.com")));

        var (noRole, _) = await SignInAsync(b.Name, Person("x", "x@bigstudio.com", "nothing"), Jit with { DefaultRole = null });
        Assert.False(noRole.Succeeded);
        var (noEmail, _) = await SignInAsync(b.Name, Person("y", "not-an-address", "studio-admins"), Jit);
        Assert.False(noEmail.Succeeded);
        Assert.Equal(3, (await Factory.AuditAsync(b.Name, "identity.sign-in.failed")).Count);

        var (ok, _) = await SignInAsync(a.Name, Person("alice-1", "alice@bigstudio.com"), noJit);
        Assert.Equal(alice.Id, ok.UserId);
    }

    [Fact]
    public async Task Two_factor_is_asked_unless_the_providers_mfa_is_trusted_and_a_locked_account_is_refused()
    {
        var t = await CreateTenantAsync(["Studio.Sso.Saml", "Studio.TwoFactor"]);
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Admin], "dana@bigstudio.com");
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var u = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(u);
            return await users.SetTwoFactorEnabledAsync(u, true);
        });
        var dana = Person("dana", "dana@bigstudio.com") with { MultiFactor = true };

        var (untrusted, cookies) = await SignInAsync(t.Name, dana, Jit);
        Assert.False(untrusted.Succeeded);
        Assert.True(untrusted.RequiresTwoFactor);
        Assert.DoesNotContain(".Studio.Session." + t.Name + "=", cookies);

        var (trusted, trustedCookies) = await SignInAsync(t.Name, dana, Jit with { TrustProviderMultiFactor = true });
        Assert.True(trusted.Succeeded);
        Assert.Contains(".Studio.Session." + t.Name + "=", trustedCookies);

        // Without MFA asserted, trust changes nothing.
        var (noMfa, _) = await SignInAsync(t.Name, dana with { MultiFactor = false }, Jit with { TrustProviderMultiFactor = true });
        Assert.True(noMfa.RequiresTwoFactor);

        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            return await users.SetLockoutEndDateAsync((await users.FindByIdAsync(user.Id))!, DateTimeOffset.UtcNow.AddHours(1));
        });
        var (locked, _) = await SignInAsync(t.Name, dana, Jit with { TrustProviderMultiFactor = true });
        Assert.False(locked.Succeeded);
        Assert.False(locked.RequiresTwoFactor);
    }
}
