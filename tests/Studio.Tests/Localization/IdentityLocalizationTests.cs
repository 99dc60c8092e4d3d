using System.Net;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Identity;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Localization;

/// <summary>
/// The accounts area speaks the visitor's language: a studio whose language is French shows its sign-in and staff
/// pages in French (role names and Identity's own password rules included), and an e-mail to someone whose account
/// language is German is written in German, whatever the studio's language.
/// </summary>
public sealed class IdentityLocalizationTests(EmailStudioFactory factory) : StudioTest<EmailStudioFactory>(factory)
{
    private static readonly string[] Features = ["Studio.Email", "Studio.Audit"];

    private static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        using var page = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        fields["__RequestVerificationToken"] = TestAccounts.Antiforgery(await page.Content.ReadAsStringAsync());
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_french_studio_shows_its_account_pages_in_french()
    {
        var t = await CreateTenantAsync(Features, r => r with { Culture = "fr-FR" });

        using var signIn = await t.Client.GetAsync("account/sign-in");
        var page = await TextAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains(">Se connecter<", page);
        Assert.Contains("Mot de passe oublié ?", page);
        Assert.DoesNotContain("Forgot your password?", page);

        using var refused = await SubmitAsync(Factory.ClientFor(t.Host), "account/sign-in",
            new() { ["Email"] = "nobody@example.test", ["Password"] = "wrong-password-x" });
        Assert.Contains("L’adresse e-mail ou le mot de passe est incorrect", await TextAsync(refused));

        // The staff page names roles by their French labels, never by their codes.
        var owner = await Factory.ClientAsAsync(t, StudioRoles.Owner);
        using var staff = await owner.GetAsync("admin/staff");
        var staffPage = await TextAsync(staff);
        Assert.Contains(">Propriétaire<", staffPage);
        Assert.Contains(">Ingénieur du son<", staffPage);
        Assert.Contains(">Accueil<", staffPage);
        Assert.DoesNotContain(">frontdesk<", staffPage);

        // ASP.NET Core Identity's own messages (here its password rule) come in French too.
        using var weak = await SubmitAsync(owner, "account/password",
            new() { ["CurrentPassword"] = TestAccounts.Password, ["NewPassword"] = "short" });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("Les mots de passe doivent comporter au moins 10 caractères.", await TextAsync(weak));
    }

    [Fact]
    public async Task An_e_mail_to_a_german_speaking_account_is_written_in_german()
    {
        var t = await CreateTenantAsync(Features, r => r with { Culture = "fr-FR", DisplayName = "Salle Bleue" });
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Client], displayName: "Jonas");
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var account = (await users.FindByIdAsync(user.Id))!;
            account.Culture = "de-DE";
            Assert.True((await users.UpdateAsync(account)).Succeeded);
            return 0;
        });

        // The visitor asking sees the studio's French; the mail follows the account's German.
        using var asked = await SubmitAsync(t.Client, "account/forgot-password", new() { ["Email"] = user.Email! });
        Assert.Contains("Si cette adresse correspond à un compte", await TextAsync(asked));

        var mail = Assert.Single(await Factory.InTenantAsync(t.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return (await connection.QueryAsync<(string Subject, string Text, string Html)>(
                "SELECT subject, text_body, html_body FROM email_outbox ORDER BY id")).ToList();
        }));
        Assert.Equal("Wählen Sie ein neues Passwort für Salle Bleue", mail.Subject);
        Assert.StartsWith("Hallo Jonas,", mail.Text);
        Assert.Contains("Falls Sie das nicht waren, ignorieren Sie diese E-Mail", mail.Text);
        Assert.Contains("Sie erhalten diese E-Mail von Salle Bleue.", mail.Text);
        Assert.Contains("lang=\"de-DE\"", mail.Html);
    }
}
