using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Sso;

/// <summary>
/// A real, independent IdP: pysaml2 (Debian python3-pysaml2, signing with xmlsec1 — another signer than .NET) reads
/// the tenant's SP metadata, checks our signed HTTP-Redirect AuthnRequest and answers it; SHA-256 signs the person
/// in, pysaml2's rsa-sha1 default is refused.
/// </summary>
public sealed class PySaml2IdpTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string EntityId = "https://pysaml2.idp.test/idp", SsoUrl = "https://pysaml2.idp.test/sso";

    private static bool Available() => File.Exists("/usr/bin/xmlsec1") && File.Exists("/usr/bin/python3")
        && Directory.Exists("/usr/lib/python3/dist-packages/saml2");

    private sealed record IdpAnswer(string Response, string Acs, string InResponseTo, bool RedirectSignatureValid);

    private static async Task<IdpAnswer> AnswerAsync(string folder, string metadataXml, string query, bool sha1)
    {
        var metadataFile = Path.Combine(folder, "sp-metadata.xml");
        await File.WriteAllTextAsync(metadataFile, metadataXml);
        var job = JsonSerializer.Serialize(new
        {
            entity_id = EntityId, sso_url = SsoUrl, key_file = Path.Combine(folder, "idp.key"), cert_file = Path.Combine(folder, "idp.crt"),
            sp_metadata_file = metadataFile, query, name_id = "carol@bigstudio.test", sha1,
            attributes = new Dictionary<string, string[]> { ["mail"] = ["carol@bigstudio.test"], ["displayName"] = ["Carol"], ["groups"] = ["studio-admins"] },
        });
        var start = new ProcessStartInfo("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Sso", "pysaml2_idp.py"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(job);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "pysaml2 failed: " + await error);
        var json = JsonDocument.Parse(await output).RootElement;
        return new IdpAnswer(json.GetProperty("response").GetString()!, json.GetProperty("acs").GetString()!,
            json.GetProperty("in_response_to").GetString()!, json.GetProperty("redirect_signature_valid").GetBoolean());
    }

    private Task<List<string>> RejectionsAsync(string tenant) => Factory.InTenantAsync(tenant, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT after_json FROM audit_entries WHERE action = 'sso.saml.rejected' ORDER BY id")).ToList();
    });

    [SkippableFact]
    public async Task Pysaml2_answers_our_signed_request_sha256_signs_in_and_its_sha1_default_is_refused()
    {
        Skip.If(!Available() && Environment.GetEnvironmentVariable("CI") != "true", "python3-pysaml2 and xmlsec1 are not installed.");
        Assert.True(Available(), "python3-pysaml2 / xmlsec1 are missing but CI=true (.ci/run installs them).");

        var folder = Directory.CreateTempSubdirectory("studio-pysaml2-").FullName;
        try
        {
            using var rsa = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=pysaml2 test IdP", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllTextAsync(Path.Combine(folder, "idp.key"), rsa.ExportRSAPrivateKeyPem());
            await File.WriteAllTextAsync(Path.Combine(folder, "idp.crt"), certificate.ExportCertificatePem());

            var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
            await SamlFlowTests.AddProviderAsync(Factory, t.Name, EntityId, SsoUrl, certificate.ExportCertificatePem(),
                // pysaml2 names the attributes it knows by their URI (FriendlyName "mail"), as real IdPs do.
                mapping: new Studio.Modules.Sso.Data.ClaimMapping { Email = "urn:mace:dir:attribute-def:mail", Name = "urn:mace:dir:attribute-def:displayName", Groups = "groups" });
            var metadata = await GetStringAsync(t.Client, "/sso/saml/corp/metadata");

            // SHA-256: accepted, and pysaml2 verified our redirect signature with the certificate of our metadata.
            using (var login = await t.Client.GetAsync("/sso/saml/corp/login?returnUrl=%2Fadmin%2Fsettings"))
            {
                var answer = await AnswerAsync(folder, metadata, login.Headers.Location!.Query.TrimStart('?'), sha1: false);
                Assert.True(answer.RedirectSignatureValid, "pysaml2 did not verify the AuthnRequest's redirect signature");
                Assert.Equal($"http://{t.Host}/sso/saml/corp/acs", answer.Acs);
                using var acs = await t.Client.PostAsync("/sso/saml/corp/acs", new FormUrlEncodedContent([new("SAMLResponse", answer.Response)]));
                Assert.Equal(HttpStatusCode.Redirect, acs.StatusCode);
                Assert.True(acs.Headers.Location!.OriginalString == "/admin/settings",
                    "refused: " + string.Join(" | ", await RejectionsAsync(t.Name)) + "\n" + System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(answer.Response)));
                await GetStringAsync(t.Client, "/admin/settings");
            }

            // rsa-sha1 (pysaml2's default): refused, audited as a weak algorithm.
            var other = Factory.ClientFor(t.Host);
            using (var login = await other.GetAsync("/sso/saml/corp/login"))
            {
                var answer = await AnswerAsync(folder, metadata, login.Headers.Location!.Query.TrimStart('?'), sha1: true);
                using var acs = await other.PostAsync("/sso/saml/corp/acs", new FormUrlEncodedContent([new("SAMLResponse", answer.Response)]));
                Assert.Equal(HttpStatusCode.Redirect, acs.StatusCode);
                Assert.EndsWith("/sso/error", acs.Headers.Location!.OriginalString);
            }
            Assert.Contains("WeakAlgorithm", Assert.Single(await RejectionsAsync(t.Name)));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
