using OtpNet;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>
/// RFC 6238 time-based one-time passwords over Otp.NET: 30-second steps, 6 digits, HMAC-SHA1 for authenticator
/// apps (the only parameters every app honours). Both computing and checking a code go through here, so the RFC's
/// test vectors exercise the same path sign-in uses.
/// </summary>
public static class TotpEngine
{
    /// <summary>Length of a time step.</summary>
    public const int StepSeconds = 30;

    /// <summary>Digits of an authenticator-app code.</summary>
    public const int Digits = 6;

    /// <summary>Steps accepted either side of the current one: ±1 (±30 s of clock drift), never more.</summary>
    public const int Window = 1;

    /// <summary>The time step containing <paramref name="utc"/> (seconds since the Unix epoch / 30).</summary>
    public static long StepAt(DateTimeOffset utc) => utc.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for <paramref name="key"/> at <paramref name="utc"/>.</summary>
    public static string Compute(byte[] key, DateTimeOffset utc, OtpHashMode mode = OtpHashMode.Sha1, int digits = Digits) =>
        new Totp(key, StepSeconds, mode, digits).ComputeTotp(utc.UtcDateTime);

    /// <summary>
    /// The step <paramref name="code"/> belongs to when it is valid at <paramref name="utc"/> within ±<see cref="Window"/>
    /// steps, else null. Malformed input (wrong length, not digits) is simply not valid. Replay is the caller's
    /// concern (<see cref="TotpVerifier"/>).
    /// </summary>
    public static long? Match(byte[] key, string? code, DateTimeOffset utc, OtpHashMode mode = OtpHashMode.Sha1, int digits = Digits)
    {
        code = Normalize(code);
        if (code is null || code.Length != digits || key.Length == 0)
            return null;
        var totp = new Totp(key, StepSeconds, mode, digits);
        return totp.VerifyTotp(utc.UtcDateTime, code, out var step, new VerificationWindow(Window, Window)) ? step : null;
    }

    /// <summary>Removes the spaces and dashes people type or paste inside a code; null when anything else is not a digit.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return null;
        var digits = new string(code.Where(c => c is not (' ' or '-')).ToArray());
        return digits.Length is > 0 and <= 10 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>Decodes a base32 authenticator key (case and spaces ignored); empty when it is not base32.</summary>
    public static byte[] DecodeKey(string? base32)
    {
        if (string.IsNullOrWhiteSpace(base32))
            return [];
        var clean = new string(base32.Where(c => !char.IsWhiteSpace(c)).ToArray()).TrimEnd('=').ToUpperInvariant();
        if (clean.Length == 0 || !clean.All(c => c is >= 'A' and <= 'Z' or >= '2' and <= '7'))
            return [];
        return Base32Encoding.ToBytes(clean);
    }
}
