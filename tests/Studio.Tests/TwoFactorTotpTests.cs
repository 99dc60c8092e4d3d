using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Studio.Data;
using Studio.Modules.TwoFactor.Data;
using Studio.Modules.TwoFactor.Services;
using Studio.Modules.TwoFactor.Settings;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// The TOTP engine against RFC 6238's own test vectors, the ±1-step window, and replay refusal (same step, an
/// earlier step, two concurrent submissions) with a fake clock, on the tenant's real database.
/// </summary>
public sealed class TwoFactorTotpTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string Feature = "Studio.TwoFactor";

    // RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the hash's key length.
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    public static TheoryData<long, string, string> Rfc6238Vectors => new()
    {
        { 59L, "SHA1", "94287082" }, { 59L, "SHA256", "46119246" }, { 59L, "SHA512", "90693936" },
        { 1111111109L, "SHA1", "07081804" }, { 1111111109L, "SHA256", "68084774" }, { 1111111109L, "SHA512", "25091201" },
        { 1111111111L, "SHA1", "14050471" }, { 1111111111L, "SHA256", "67062674" }, { 1111111111L, "SHA512", "99943326" },
        { 1234567890L, "SHA1", "89005924" }, { 1234567890L, "SHA256", "91819424" }, { 1234567890L, "SHA512", "93441116" },
        { 2000000000L, "SHA1", "69279037" }, { 2000000000L, "SHA256", "90698825" }, { 2000000000L, "SHA512", "38618901" },
        { 20000000000L, "SHA1", "65353130" }, { 20000000000L, "SHA256", "77737706" }, { 20000000000L, "SHA512", "47863826" },
    };

    private static (byte[] Seed, OtpHashMode Mode) Algorithm(string name) => name switch
    {
        "SHA1" => (Sha1Seed, OtpHashMode.Sha1),
        "SHA256" => (Sha256Seed, OtpHashMode.Sha256),
        _ => (Sha512Seed, OtpHashMode.Sha512),
    };

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Rfc6238_test_vectors_are_computed_and_accepted(long unixSeconds, string algorithm, string expected)
    {
        var (seed, mode) = Algorithm(algorithm);
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(expected, TotpEngine.Compute(seed, time, mode, digits: 8));
        Assert.Equal(unixSeconds / 30, TotpEngine.Match(seed, expected, time, mode, digits: 8));
        // One digit off is not the same code.
        var wrong = expected[..7] + (char)('0' + (expected[7] - '0' + 1) % 10);
        Assert.Null(TotpEngine.Match(seed, wrong, time, mode, digits: 8));
    }

    [Fact]
    public void A_code_is_accepted_one_step_either_side_and_refused_two_steps_away()
    {
        var key = KeyGeneration.GenerateRandomKey(20);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_010);
        var step = TotpEngine.StepAt(now);

        Assert.Equal(step, TotpEngine.Match(key, TotpEngine.Compute(key, now), now));
        Assert.Equal(step - 1, TotpEngine.Match(key, TotpEngine.Compute(key, now.AddSeconds(-30)), now));
        Assert.Equal(step + 1, TotpEngine.Match(key, TotpEngine.Compute(key, now.AddSeconds(30)), now));
        Assert.Null(TotpEngine.Match(key, TotpEngine.Compute(key, now.AddSeconds(-60)), now));
        Assert.Null(TotpEngine.Match(key, TotpEngine.Compute(key, now.AddSeconds(60)), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("<script>")]
    public void Malformed_codes_are_not_valid(string? code) =>
        Assert.Null(TotpEngine.Match(KeyGeneration.GenerateRandomKey(20), code, DateTimeOffset.UtcNow));

    [Fact]
    public void Spaces_and_dashes_inside_a_code_are_ignored()
    {
        var key = KeyGeneration.GenerateRandomKey(20);
        var now = DateTimeOffset.UtcNow;
        var code = TotpEngine.Compute(key, now);
        Assert.NotNull(TotpEngine.Match(key, code[..3] + " " + code[3..], now));
        Assert.NotNull(TotpEngine.Match(key, code[..3] + "-" + code[3..], now));
    }

    [Fact]
    public async Task The_same_code_is_never_accepted_twice_nor_an_earlier_one()
    {
        var tenant = await CreateTenantAsync([Feature]);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var key = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await WithTenantAsync(tenant.Name, async services =>
        {
            var verifier = new TotpVerifier(services.GetRequiredService<TotpStepStore>(), clock);
            var now = clock.GetUtcNow();
            var current = TotpEngine.Compute(TotpEngine.DecodeKey(key), now);
            var previous = TotpEngine.Compute(TotpEngine.DecodeKey(key), now.AddSeconds(-30));

            Assert.True(await verifier.VerifyAsync("ana", key, current));
            Assert.False(await verifier.VerifyAsync("ana", key, current));   // same step: replay
            Assert.False(await verifier.VerifyAsync("ana", key, previous));  // earlier step, still in the window
            Assert.True(await verifier.VerifyAsync("bob", key, current));    // per user

            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.False(await verifier.VerifyAsync("ana", key, current));   // now step -1, but spent
            Assert.True(await verifier.VerifyAsync("ana", key, TotpEngine.Compute(TotpEngine.DecodeKey(key), clock.GetUtcNow())));
            Assert.Equal(TotpEngine.StepAt(clock.GetUtcNow()), await services.GetRequiredService<TotpStepStore>().LastStepAsync("ana"));
        });
    }

    [Fact]
    public async Task A_code_valid_only_for_a_future_step_spends_that_step()
    {
        var tenant = await CreateTenantAsync([Feature]);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var key = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await WithTenantAsync(tenant.Name, async services =>
        {
            var verifier = new TotpVerifier(services.GetRequiredService<TotpStepStore>(), clock);
            var next = TotpEngine.Compute(TotpEngine.DecodeKey(key), clock.GetUtcNow().AddSeconds(30));
            var current = TotpEngine.Compute(TotpEngine.DecodeKey(key), clock.GetUtcNow());
            Assert.True(await verifier.VerifyAsync("ana", key, next));
            // The current step is earlier than the one just accepted.
            Assert.False(await verifier.VerifyAsync("ana", key, current));
            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.False(await verifier.VerifyAsync("ana", key, next));
        });
    }

    [Fact]
    public async Task Of_concurrent_submissions_of_one_code_exactly_one_passes()
    {
        var tenant = await CreateTenantAsync([Feature]);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));
        var key = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        var code = TotpEngine.Compute(TotpEngine.DecodeKey(key), clock.GetUtcNow());
        await WithTenantAsync(tenant.Name, async services =>
        {
            var database = services.GetRequiredService<ITenantDatabase>();
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                new TotpVerifier(new TotpStepStore(database, clock), clock).VerifyAsync("ana", key, code))));
            Assert.Equal(1, results.Count(accepted => accepted));
        });
    }

    [Fact]
    public void Enrolment_uri_names_the_brand_and_the_account_and_the_qr_is_plain_svg()
    {
        var key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        var enrolment = AuthenticatorEnrolment.Create("Blue Room & Co", "ana@example.test", key);

        Assert.Equal("otpauth://totp/Blue%20Room%20%26%20Co:ana%40example.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Blue%20Room%20%26%20Co&digits=6&period=30", enrolment.Uri);
        Assert.Equal("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp", enrolment.ManualKey);
        Assert.StartsWith("<svg", enrolment.QrSvg.TrimStart());
        // Nothing the Content-Security-Policy would block: no script, no inline style, no event handler.
        Assert.DoesNotContain("<script", enrolment.QrSvg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", enrolment.QrSvg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" on", enrolment.QrSvg.Replace(" one", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        // The manual key decodes to the same secret the QR carries.
        Assert.Equal(TotpEngine.DecodeKey(key), TotpEngine.DecodeKey(enrolment.ManualKey));
    }

    [Theory]
    [InlineData(null, null, TwoFactorPolicy.Optional, 30)]
    [InlineData("RequiredForStaff", "7", TwoFactorPolicy.RequiredForStaff, 7)]
    [InlineData("optional", "0", TwoFactorPolicy.Optional, 0)]
    [InlineData("Requried", "-3", TwoFactorPolicy.RequiredForStaff, 30)]
    [InlineData("5", "many", TwoFactorPolicy.RequiredForStaff, 30)]
    public void Settings_are_read_safely(string? policy, string? days, TwoFactorPolicy expectedPolicy, int expectedDays)
    {
        var values = new Dictionary<string, string?>();
        if (policy is not null) values["TwoFactor:Policy"] = policy;
        if (days is not null) values["TwoFactor:RememberDeviceDays"] = days;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var settings = TwoFactorSettings.From(configuration.GetSection(TwoFactorSettings.Section));

        Assert.Equal(expectedPolicy, settings.Policy);
        Assert.Equal(expectedDays, settings.RememberDeviceDays);
        Assert.Equal(expectedDays == 0 ? null : TimeSpan.FromDays(expectedDays), settings.RememberDevice);
    }

    private async Task WithTenantAsync(string name, Func<IServiceProvider, Task> action)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await action(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }
}
