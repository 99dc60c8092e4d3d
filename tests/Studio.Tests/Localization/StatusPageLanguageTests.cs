using System.Net;
using Studio.Tests.Infrastructure;
using Xunit;

namespace Studio.Tests.Localization;

/// <summary>
/// The host's own status pages run outside any tenant: no tenant chooses their language, the browser's
/// Accept-Language does (among the platform's six languages), else English.
/// </summary>
public sealed class StatusPageLanguageTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<(HttpResponseMessage Response, string Body)> UnknownHostAsync(string? acceptLanguage)
    {
        var client = Factory.ClientFor("nobody-" + Guid.NewGuid().ToString("N")[..8] + ".test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (acceptLanguage is not null)
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("es")]
    [InlineData("es-MX,es;q=0.9")]
    [InlineData("ja, es;q=0.8, en;q=0.5")]
    public async Task Unknown_host_page_answers_in_Spanish_when_the_browser_asks_for_it(string acceptLanguage)
    {
        var (response, body) = await UnknownHostAsync(acceptLanguage);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("<h1>Sitio no encontrado</h1>", body);
            Assert.Contains("No hay ningún estudio en esta dirección", body);
            Assert.DoesNotContain("Site not found", body);
            Assert.StartsWith("es", Assert.Single(response.Content.Headers.ContentLanguage));
            Assert.Contains("<html lang=\"es", body);
            Assert.Contains("Accept-Language", response.Headers.Vary);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en-GB")]
    [InlineData("ja, zh;q=0.8")]
    [InlineData("*")]
    public async Task Unknown_host_page_answers_in_English_otherwise(string? acceptLanguage)
    {
        var (response, body) = await UnknownHostAsync(acceptLanguage);
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("<h1>Site not found</h1>", body);
            Assert.Contains("There is no studio at this address.", body);
            Assert.StartsWith("en", Assert.Single(response.Content.Headers.ContentLanguage));
        }
    }
}
