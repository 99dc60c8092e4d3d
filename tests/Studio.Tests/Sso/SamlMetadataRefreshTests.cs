using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>IdP metadata fetched server-side from a URL (a loopback server here): import, due refresh (key rollover), caps.</summary>
public sealed class SamlMetadataRefreshTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    internal static string Metadata(TestSamlIdp idp) => $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{idp.EntityId}">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(idp.Certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{idp.SsoUrl}"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    /// <summary>A loopback HTTP server answering every GET with whatever <paramref name="body"/> returns now.</summary>
    internal sealed class MetadataServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        /// <param name="status">The status code to answer now (200 when not given).</param>
        public MetadataServer(Func<string> body, Func<int>? status = null)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/metadata";
            }
            _listener.Prefixes.Add(Url[..(Url.LastIndexOf('/') + 1)]);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    Interlocked.Increment(ref _requests);
                    context.Response.StatusCode = status?.Invoke() ?? 200;
                    var bytes = Encoding.UTF8.GetBytes(body());
                    context.Response.ContentType = "application/samlmetadata+xml";
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }
        private int _requests;
        public int Requests => Volatile.Read(ref _requests);
        public string Url { get; }
        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task Metadata_is_imported_from_a_url_and_a_due_refresh_picks_up_the_idps_new_certificate()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var oldKey = new TestSamlIdp();
        using var newKey = new TestSamlIdp();
        var current = oldKey;
        using var server = new MetadataServer(() => Metadata(current));

        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var settings = await sp.GetRequiredService<SamlMetadataFetcher>().ImportAsync(server.Url, new SamlProviderSettings { MetadataRefreshHours = 1 });
            Assert.Equal(oldKey.EntityId, settings.IdpEntityId);
            return await sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
            {
                Id = "corp", Protocol = SsoProtocols.Saml, Label = "Corp", Enabled = true, Saml = settings with { MetadataFetchedUtc = DateTime.UtcNow.AddHours(-2) },
            }, null, AuditActor.System);
        });

        current = newKey; // the IdP rolled its key over
        var (changed, stored) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var n = await sp.GetRequiredService<SamlMetadataFetcher>().RefreshDueAsync();
            return (n, await sp.GetRequiredService<ISsoProviderStore>().GetAsync("corp"));
        });
        Assert.Equal(1, changed);
        Assert.Equal([newKey.CertificatePem], stored!.Saml!.SigningCertificates);
        Assert.True(stored.Saml.MetadataFetchedUtc > DateTime.UtcNow.AddMinutes(-1));

        // Not due again yet: nothing is fetched.
        Assert.Equal(0, await Factory.InTenantAsync(t.Name, sp => sp.GetRequiredService<SamlMetadataFetcher>().RefreshDueAsync()));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_resilience_pipeline_and_a_lasting_one_is_a_clear_message()
    {
        // Polly's telemetry for this pipeline stays below Warning (SamlServices): no ExpectLog, any warning fails the test.
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        var failures = 1;
        using var flaky = new MetadataServer(() => Metadata(idp), () => Interlocked.Decrement(ref failures) >= 0 ? 503 : 200);
        using var down = new MetadataServer(() => "", () => 500);

        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var fetcher = sp.GetRequiredService<SamlMetadataFetcher>();
            var settings = await fetcher.ImportAsync(flaky.Url, new SamlProviderSettings());
            Assert.Equal(idp.EntityId, settings.IdpEntityId);
            Assert.Equal(2, flaky.Requests);

            var e = await Assert.ThrowsAsync<SamlMetadataException>(() => fetcher.FetchAsync(down.Url));
            Assert.Equal("The metadata address answered 500.", e.Message);
            Assert.Equal(3, down.Requests); // the first attempt and two retries
            return 0;
        });
    }

    [Fact]
    public async Task An_unreachable_metadata_url_is_one_warning_an_audit_entry_and_an_admin_status_never_an_error_log()
    {
        ExpectLog("Studio.Modules.Sso.Services.Saml.SamlMetadataFetcher", Microsoft.Extensions.Logging.LogLevel.Warning,
            "SAML metadata refresh of provider corp failed: The metadata address could not be reached.");
        var t = await Factory.AsAsync(await CreateTenantAsync(features: ["Studio.Sso.Saml"]));
        using var idp = new TestSamlIdp();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        } // nothing listens there any more: connection refused, attempt after attempt
        var unreachable = $"http://127.0.0.1:{port}/metadata";

        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var fetcher = sp.GetRequiredService<SamlMetadataFetcher>();
            var e = await Assert.ThrowsAsync<SamlMetadataException>(() => fetcher.ImportAsync(unreachable, new SamlProviderSettings()));
            Assert.Equal("The metadata address could not be reached.", e.Message);
            await sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
            {
                Id = "corp", Protocol = SsoProtocols.Saml, Label = "Corp", Enabled = true, Saml = new SamlProviderSettings
                {
                    IdpEntityId = idp.EntityId, SsoUrl = idp.SsoUrl, SigningCertificates = [idp.CertificatePem],
                    MetadataUrl = unreachable, MetadataRefreshHours = 1, MetadataFetchedUtc = DateTime.UtcNow.AddHours(-2),
                },
            }, null, AuditActor.System);
            Assert.Equal(0, await fetcher.RefreshDueAsync());
            return 0;
        });

        Assert.DoesNotContain(TestLogs, entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        var audited = Assert.Single(await Factory.AuditAsync(t.Name, "sso.saml.metadata."));
        Assert.Equal("sso.saml.metadata.refresh-failed", audited.Action);
        var page = await GetStringAsync(t.Client, "admin/sso");
        Assert.Contains("The last metadata refresh failed", page);
        Assert.Contains("The metadata address could not be reached.", page);

        // Once the IdP answers again, the status goes away.
        using var server = new MetadataServer(() => Metadata(idp));
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var store = sp.GetRequiredService<ISsoProviderStore>();
            var stored = (await store.GetAsync("corp"))!;
            await store.SaveAsync(stored with { Saml = stored.Saml! with { MetadataUrl = server.Url } }, null, AuditActor.System);
            Assert.Equal(1, await sp.GetRequiredService<SamlMetadataFetcher>().RefreshDueAsync());
            return 0;
        });
        Assert.DoesNotContain("The last metadata refresh failed", await GetStringAsync(t.Client, "admin/sso"));
    }

    [Fact]
    public async Task Oversized_or_foreign_metadata_is_refused_with_a_clear_message()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var big = new MetadataServer(() => "<x>" + new string('a', SamlIdpMetadata.MaxBytes) + "</x>");
        using var notSaml = new MetadataServer(() => "<html><body>hello</body></html>");
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var fetcher = sp.GetRequiredService<SamlMetadataFetcher>();
            var tooLarge = await Assert.ThrowsAsync<SamlMetadataException>(() => fetcher.ImportAsync(big.Url, new SamlProviderSettings()));
            Assert.Contains("larger than", tooLarge.Message);
            var unreadable = await Assert.ThrowsAsync<SamlMetadataException>(() => fetcher.ImportAsync(notSaml.Url, new SamlProviderSettings()));
            Assert.Contains("could not be read", unreadable.Message);
            var notHttps = await Assert.ThrowsAsync<SamlMetadataException>(() => fetcher.ImportAsync("http://idp.example.test/metadata", new SamlProviderSettings()));
            Assert.Contains("https", notHttps.Message);
            return 0;
        });
    }
}
