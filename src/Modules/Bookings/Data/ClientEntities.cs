namespace Studio.Modules.Bookings.Data;

/// <summary>A client of the studio: a person or a company (whose member contacts are people).</summary>
public sealed record Client
{
    public long Id { get; init; }
    /// <summary>person | company</summary>
    public string Kind { get; init; } = "person";
    public string Name { get; init; } = "";
    public string? ArtistName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Street { get; init; }
    public string? PostalCode { get; init; }
    public string? City { get; init; }
    /// <summary>ISO 3166 alpha-2.</summary>
    public string? Country { get; init; }
    /// <summary>Preferred language (e.g. fr-FR) and currency (ISO 4217).</summary>
    public string? Culture { get; init; }
    public string? Currency { get; init; }
    /// <summary>Overrides the service's deposit percentage for this client.</summary>
    public int? DefaultDepositPercent { get; init; }
    public bool Vip { get; init; }
    /// <summary>The portal account (tenant user id) linked to this record, if any.</summary>
    public string? UserId { get; init; }
    public bool Archived { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
}

/// <summary>A person's membership in a company.</summary>
public sealed record ClientContact(long CompanyId, long PersonId, string Role);

/// <summary>A dated note in a client's history.</summary>
public sealed record ClientNote(long Id, long ClientId, string Author, string Body, DateTime CreatedUtc);
