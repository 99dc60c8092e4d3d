using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Api.Services;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Localization;

/// <summary>
/// The management API answers its problems (RFC 7807) in the client's language: <c>Accept-Language</c> among the
/// tenant's offered languages picks the title and the detail (API clients keep no language cookie), and without
/// it — or with a language the platform does not offer — the tenant's default language (English here) stays.
/// </summary>
public sealed class ApiProblemLocalizationTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<HttpClient> ClientAsync(string? language, bool withKey = true)
    {
        var record = await RecordAsync("Default");
        if (!record.Features.Contains("Studio.Api") || !record.Features.Contains("Studio.Audit"))
            await ChangeFeaturesAsync("Default", ["Studio.Api", "Studio.Audit"], []);
        var client = Factory.ClientFor("localhost", handleCookies: false);
        if (withKey)
        {
            var created = await Factory.InTenantAsync("Default", sp =>
                sp.GetRequiredService<ApiKeyStore>().CreateAsync("l10n " + Guid.NewGuid().ToString("N")[..6], null, "tests"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Key);
        }
        if (language is not null)
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {Truncate(body)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Problems_are_in_the_language_the_client_asks_for()
    {
        var german = await ClientAsync("de");

        // A malformed query: 400 with the standard title and the detail naming the parameter, in German.
        using (var response = await german.GetAsync("api/v1/tenants?page=0"))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("Ungültige Anfrage", problem.GetProperty("title").GetString());
            Assert.Equal("„page“ muss eine ganze Zahl von 1 bis 2147483647 sein.", problem.GetProperty("detail").GetString());
            Assert.Equal("de-DE", response.Content.Headers.ContentLanguage.Single());
        }

        // A validation problem (the platform refuses the name): the title is German, and errors are listed.
        using (var response = await german.PostAsync("api/v1/tenants",
                   new StringContent(JsonSerializer.Serialize(new { name = "Not A Valid Name!" }), Encoding.UTF8, "application/json")))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("Mindestens ein Validierungsfehler ist aufgetreten.", problem.GetProperty("title").GetString());
            Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Value.GetArrayLength() > 0);
        }

        // A body that is not JSON: the position is kept in the translated detail.
        using (var response = await german.PostAsync("api/v1/tenants", new StringContent("{\"name\": ", Encoding.UTF8, "application/json")))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.StartsWith("Der Anfragetext ist für diesen Vorgang kein gültiges JSON:", problem.GetProperty("detail").GetString());
        }

        // Not found, in Italian and in French (a regional tag keeps its region).
        using (var response = await (await ClientAsync("it")).GetAsync($"api/v1/tenants/{NewName()}"))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("Non trovato", problem.GetProperty("title").GetString());
            Assert.Equal("Questo spazio non esiste.", problem.GetProperty("detail").GetString());
        }
        using (var response = await (await ClientAsync("fr-CH, en;q=0.5")).GetAsync($"api/v1/tenants/{NewName()}"))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("Cet espace n'existe pas.", problem.GetProperty("detail").GetString());
            Assert.Equal("fr-CH", response.Content.Headers.ContentLanguage.Single());
        }

        // The authentication challenge too (no key at all).
        using (var response = await (await ClientAsync("es", withKey: false)).GetAsync("api/v1/tenants"))
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("No autorizado", problem.GetProperty("title").GetString());
            Assert.StartsWith("Se requiere una clave de API válida", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Without_an_offered_language_the_problems_stay_in_the_tenants_default_language()
    {
        foreach (var language in new string?[] { null, "ja", "*" })
        {
            using var response = await (await ClientAsync(language)).GetAsync($"api/v1/tenants/{NewName()}");
            var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("Not Found", problem.GetProperty("title").GetString());
            Assert.Equal("No such tenant.", problem.GetProperty("detail").GetString());
        }
    }
}
