using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Audit;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Modules.Sso.Services.Saml;

namespace Studio.E2E.Tests;

/// <summary>
/// A real IdP with its own login page: Debian's SimpleSAMLphp served by <c>php -S</c> on loopback. The tenant imports
/// its metadata from the URL, the IdP learns our SP from our metadata, and a person signs in through the IdP's login
/// page in Chromium and lands in the tenant's admin area with the role mapped from the IdP's group.
/// </summary>
public sealed class SamlSimpleSamlPhpTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string WwwRoot = "/usr/share/simplesamlphp/www";

    private static bool Installed() => Directory.Exists(WwwRoot) && File.Exists("/usr/bin/php");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Php(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <param name="binding">How the AuthnRequest goes to the IdP: HTTP-Redirect, or HTTP-POST (a form the page posts
    /// to the IdP's origin, which the platform CSP allows for that page only).</param>
    [SkippableTheory]
    [InlineData("redirect")]
    [InlineData("post")]
    public async Task A_person_signs_in_through_the_SimpleSAMLphp_login_page_into_the_tenants_admin_area(string binding)
    {
        Skip.If(!Installed() && Environment.GetEnvironmentVariable("CI") != "true", "simplesamlphp / php-cli are not installed.");
        Assert.True(Installed(), "simplesamlphp / php-cli are missing but CI=true (.ci/run installs them).");
        var chromium = fixture.Chromium;
        _ = chromium;

        var id = Names.Unique();
        var host = $"ssp-{id}.localhost";
        await fixture.Server.CreateTenantAsync(new TenantCreateRequest { Name = $"ssp-{id}", Hosts = [host], Features = ["Studio.Sso.Saml"] });
        var tenant = $"ssp-{id}";

        var folder = Directory.CreateTempSubdirectory("studio-ssp-").FullName;
        var port = FreePort();
        var idpBase = $"http://127.0.0.1:{port}/simplesaml/";
        Process? php = null;
        try
        {
            foreach (var sub in new[] { "config", "metadata", "cert", "log", "data", "tmp", "www" })
                Directory.CreateDirectory(Path.Combine(folder, sub));
            File.CreateSymbolicLink(Path.Combine(folder, "www", "simplesaml"), WwwRoot);
            using (var rsa = RSA.Create(2048))
            {
                using var certificate = new CertificateRequest("CN=SimpleSAMLphp test IdP", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllTextAsync(Path.Combine(folder, "cert", "idp.key"), rsa.ExportPkcs8PrivateKeyPem());
                await File.WriteAllTextAsync(Path.Combine(folder, "cert", "idp.crt"), certificate.ExportCertificatePem());
            }
            string Dir(string sub) => Php(Path.Combine(folder, sub) + "/");
            await File.WriteAllTextAsync(Path.Combine(folder, "config", "config.php"), $$"""
                <?php
                $config = [
                  'baseurlpath' => {{Php(idpBase)}}, 'certdir' => {{Dir("cert")}}, 'loggingdir' => {{Dir("log")}}, 'datadir' => {{Dir("data")}},
                  'tempdir' => {{Php(Path.Combine(folder, "tmp"))}}, 'metadatadir' => {{Dir("metadata")}},
                  'secretsalt' => {{Php(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))}}, 'auth.adminpassword' => {{Php(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))}},
                  'technicalcontact_email' => 'na@example.org', 'timezone' => 'UTC',
                  'logging.level' => SimpleSAML\Logger::WARNING, 'logging.handler' => 'file', 'logging.logfile' => 'simplesamlphp.log',
                  'enable.saml20-idp' => true, 'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
                  'session.cookie.secure' => false, 'store.type' => 'phpsession', 'metadata.sources' => [['type' => 'flatfile']],
                ];
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "config", "authsources.php"), """
                <?php
                $config = [
                  'admin' => ['core:AdminPassword'],
                  'example-userpass' => ['exampleauth:UserPass',
                    'dana:secret-pass' => ['uid' => ['dana'], 'mail' => ['dana@bigstudio.test'], 'displayName' => ['Dana Director'], 'groups' => ['studio-admins', 'everyone']]],
                ];
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata", "saml20-idp-hosted.php"), """
                <?php
                $metadata['__DYNAMIC:1__'] = ['host' => '__DEFAULT__', 'privatekey' => 'idp.key', 'certificate' => 'idp.crt',
                  'auth' => 'example-userpass', 'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'];
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata", "saml20-sp-remote.php"), "<?php $metadata = [];\n");

            var start = new ProcessStartInfo("/usr/bin/php", ["-S", $"127.0.0.1:{port}", "-t", Path.Combine(folder, "www")])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
            };
            start.Environment["SIMPLESAMLPHP_CONFIG_DIR"] = Path.Combine(folder, "config");
            php = Process.Start(start)!;
            php.OutputDataReceived += (_, _) => { };
            php.ErrorDataReceived += (_, _) => { };
            php.BeginOutputReadLine();
            php.BeginErrorReadLine();

            // The tenant imports the IdP's metadata from its URL (fetched server-side, as the admin page does).
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            byte[] idpMetadata = [];
            for (var attempt = 0; attempt < 50 && idpMetadata.Length == 0; attempt++)
            {
                try { idpMetadata = await http.GetByteArrayAsync($"{idpBase}saml2/idp/metadata.php"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            Assert.NotEmpty(idpMetadata);
            await fixture.Server.InTenantAsync(tenant, sp => sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
            {
                Id = "corp", Protocol = SsoProtocols.Saml, Label = "Big Studio", Enabled = true, JustInTimeProvisioning = true,
                GroupRoles = new Dictionary<string, string> { ["studio-admins"] = StudioRoles.Admin },
                Saml = SamlIdpMetadata.Apply(idpMetadata, new SamlProviderSettings
                {
                    Mapping = new ClaimMapping { Email = "mail", Name = "displayName", Groups = "groups" },
                }) with { SsoBinding = binding },
            }, null, AuditActor.System));

            // The IdP learns our SP from our metadata: entity id, ACS, and the key our AuthnRequests are signed with.
            // (*.localhost resolves in Chromium, not in HttpClient: ask the loopback address with the tenant's Host.)
            using var metadataRequest = new HttpRequestMessage(HttpMethod.Get, fixture.Server.UrlFor("127.0.0.1", "/sso/saml/corp/metadata"));
            metadataRequest.Headers.Host = $"{host}:{fixture.Server.Port}";
            using var metadataResponse = await http.SendAsync(metadataRequest);
            Assert.Equal(HttpStatusCode.OK, metadataResponse.StatusCode);
            var spMetadata = XDocument.Parse(await metadataResponse.Content.ReadAsStringAsync());
            XNamespace md = "urn:oasis:names:tc:SAML:2.0:metadata", ds = "http://www.w3.org/2000/09/xmldsig#";
            var entityId = spMetadata.Root!.Attribute("entityID")!.Value;
            var acs = spMetadata.Descendants(md + "AssertionConsumerService").Single().Attribute("Location")!.Value;
            var spSlo = spMetadata.Descendants(md + "SingleLogoutService").Single().Attribute("Location")!.Value;
            var spCertificate = spMetadata.Descendants(ds + "X509Certificate").First().Value;
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata", "saml20-sp-remote.php"), $"""
                <?php
                $metadata[{Php(entityId)}] = [
                  'AssertionConsumerService' => {Php(acs)}, 'certData' => {Php(spCertificate)}, 'validate.authnrequest' => true,
                  'SingleLogoutService' => {Php(spSlo)}, 'validate.logout' => true, 'sign.logout' => true,
                  'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'simplesaml.nameidattribute' => 'mail',
                  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'saml20.sign.assertion' => true,
                ];
                """);

            await using var browser = await BrowserPage.OpenAsync(fixture);
            var page = browser.Page;
            browser.Expect(new Uri($"http://127.0.0.1:{port}/favicon.ico"), 404);
            await page.GotoAsync(fixture.Server.UrlFor(host, "/sso/saml/corp/login?returnUrl=%2Fadmin%2Fsettings").AbsoluteUri);
            await page.WaitForPageAsync(url => url.StartsWith($"http://127.0.0.1:{port}/", StringComparison.Ordinal));
            await page.Locator("#username").FillAsync("dana");
            await page.Locator("#password").FillAsync("secret-pass");
            await page.Locator("#password").PressAsync("Enter");
            await page.WaitForPageAsync(fixture.Server.UrlFor(host, "/admin/settings").AbsoluteUri);
            var settings = await page.GotoAsync(fixture.Server.UrlFor(host, "/admin/settings").AbsoluteUri);
            Assert.Equal(200, settings!.Status);
            await browser.ScreenshotAsync($"{fixture.Engine}-saml-simplesamlphp-{binding}-signed-in");

            // The account was provisioned with the mapped role and linked to the IdP.
            var roles = await fixture.Server.InTenantAsync(tenant, async sp =>
            {
                var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StudioUser>>();
                var user = await users.FindByEmailAsync("dana@bigstudio.test");
                Assert.NotNull(user);
                return await users.GetRolesAsync(user);
            });
            Assert.Contains(StudioRoles.Admin, roles);

            // Single logout from the UI: the sign-out page's button ends the studio session and, through a signed
            // LogoutRequest, the SimpleSAMLphp session; its signed LogoutResponse comes back to our SLO endpoint.
            Assert.NotNull(await fixture.Server.InTenantAsync(tenant, async sp => (await sp.GetRequiredService<ISsoProviderStore>().GetAsync("corp"))!.Saml!.SloUrl));
            await browser.GotoAsync(fixture.Server.UrlFor(host, "/account/sign-out"));
            Assert.Contains("Big Studio", await page.Locator("main, body").First.InnerTextAsync());
            await page.Locator("#sign-out-external button").ClickAsync();
            try { await page.WaitForPageAsync(fixture.Server.UrlFor(host, "/").AbsoluteUri); }
            catch (TimeoutException e)
            {
                var log = Directory.GetFiles(Path.Combine(folder, "log")).Select(File.ReadAllText);
                throw new TimeoutException($"Single logout did not come back: at {page.Url}{Environment.NewLine}" +
                    string.Join(Environment.NewLine, browser.Responses.TakeLast(6).Select(r => $"{r.Status} {r.Url}")) + Environment.NewLine +
                    (await page.ContentAsync())[..Math.Min(3000, (await page.ContentAsync()).Length)] + Environment.NewLine + string.Join(Environment.NewLine, log), e);
            }
            Assert.NotNull(browser.FindResponse(u => u.Port == port && u.AbsolutePath.EndsWith("/saml2/idp/SingleLogoutService.php", StringComparison.Ordinal)));
            Assert.NotNull(browser.FindResponse(u => u.AbsolutePath == "/sso/saml/corp/slo" && u.Query.Contains("SAMLResponse=", StringComparison.Ordinal)));
            // Signed out here (the admin area asks to sign in) and at the IdP (its login page asks again).
            await browser.GotoAsync(fixture.Server.UrlFor(host, "/admin/settings"));
            Assert.Contains("/account/sign-in", page.Url);
            await page.GotoAsync(fixture.Server.UrlFor(host, "/sso/saml/corp/login?returnUrl=%2Fadmin%2Fsettings").AbsoluteUri);
            await page.WaitForPageAsync(url => url.StartsWith($"http://127.0.0.1:{port}/", StringComparison.Ordinal));
            await page.Locator("#username").WaitForAsync();
            var audit = await fixture.Server.InTenantAsync(tenant, async sp =>
            {
                await using var connection = await sp.GetRequiredService<Studio.Data.ITenantDatabase>().OpenConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM audit_entries WHERE action = 'sso.saml.rejected'";
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            });
            Assert.Equal(0, audit);
            browser.AssertClean();
        }
        finally
        {
            if (php is { HasExited: false })
            {
                php.Kill();
                await php.WaitForExitAsync();
            }
            php?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }
}
