using System.Security.Cryptography.X509Certificates;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>Everything a SAML Response is checked against, for one tenant and one IdP.</summary>
public sealed record SamlValidationContext
{
    /// <summary>The IdP's entity id: Response and Assertion Issuer must equal it.</summary>
    public required string IdpEntityId { get; init; }
    /// <summary>The only certificates a signature may verify with (never the one in KeyInfo).</summary>
    public required IReadOnlyList<X509Certificate2> IdpSigningCertificates { get; init; }
    /// <summary>This tenant's SP entity id: every AudienceRestriction must contain it.</summary>
    public required string SpEntityId { get; init; }
    /// <summary>This tenant's ACS URL for this IdP: Destination and SubjectConfirmation Recipient must equal it.</summary>
    public required string AcsUrl { get; init; }
    /// <summary>The AuthnRequest id the response must answer, or null for an IdP-initiated response (allowed only when configured).</summary>
    public string? ExpectedInResponseTo { get; init; }
    /// <summary>
    /// Whether this IdP may send unsolicited (IdP-initiated) responses. Off by default: with no
    /// <see cref="ExpectedInResponseTo"/> and this off, the response is refused as <see cref="SamlRejection.Unsolicited"/>.
    /// </summary>
    public bool AllowUnsolicited { get; init; }
    /// <summary>"assertion" | "response" | "either": what must carry a valid signature.</summary>
    public string RequireSigned { get; init; } = "assertion";
    public bool AllowSha1 { get; init; }
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);
    public required DateTime NowUtc { get; init; }
    /// <summary>The tenant's SP decryption certificates (with private keys) for EncryptedAssertion.</summary>
    public IReadOnlyList<X509Certificate2> SpDecryptionCertificates { get; init; } = [];
    /// <summary>Upper bound of the decoded document, in bytes.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024;
}

/// <summary>The assertion of a Response that passed every check; values are read only from the signed element.</summary>
public sealed record SamlAssertion(string Id, string Issuer, string NameId, string? NameIdFormat, string? SessionIndex,
    string? InResponseTo, DateTime NotOnOrAfterUtc, string? AuthnContextClassRef, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes);

/// <summary>Why a Response was refused (audited; the user sees a generic, non-leaking page).</summary>
public enum SamlRejection
{
    Malformed, TooLarge, DtdProhibited, UnsupportedVersion, WrongDestination, WrongIssuer, StatusNotSuccess,
    NotSigned, SignatureInvalid, UntrustedCertificate, WeakAlgorithm, DisallowedTransform, BadReference, DuplicateId,
    AssertionCount, EncryptedAssertionUndecryptable, NotYetValid, Expired, WrongAudience, WrongRecipient,
    NotBearer, InResponseToMismatch, Unsolicited, MissingAuthnStatement, Replayed, UnknownRequest,
}

/// <summary>A refused Response: <see cref="Reason"/> for the audit, <see cref="Exception.Message"/> a technical detail (never shown to users).</summary>
public sealed class SamlValidationException(SamlRejection reason, string detail) : Exception(detail)
{
    public SamlRejection Reason { get; } = reason;
}

/// <summary>
/// Validates a SAML 2.0 Response (the decoded XML of an HTTP-POST <c>SAMLResponse</c>) against
/// <see cref="SamlValidationContext"/> — every check of shared/design/sso.md except the two that need the database
/// (InResponseTo consumed once, assertion id replay), which the ACS endpoint does after this returns.
/// </summary>
public interface ISamlResponseValidator
{
    /// <exception cref="SamlValidationException">Any check failed.</exception>
    SamlAssertion Validate(byte[] responseXml, SamlValidationContext context);
}
