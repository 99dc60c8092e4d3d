using System.Globalization;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>The client form's fields, as typed (the deposit as text so a bad number gets our own message).</summary>
public sealed class ClientInput
{
    public string? Kind { get; set; } = "person";
    public string? Name { get; set; }
    public string? ArtistName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Street { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    public string? Country { get; set; }
    public string? Culture { get; set; }
    public string? Currency { get; set; }
    public string? DefaultDepositPercent { get; set; }
    public bool Vip { get; set; }
    public bool Archived { get; set; }
    /// <summary>The record's UpdatedUtc ticks when the form was shown (concurrency check).</summary>
    public string? Version { get; set; }

    public static ClientInput From(Client c) => new()
    {
        Kind = c.Kind, Name = c.Name, ArtistName = c.ArtistName, Email = c.Email, Phone = c.Phone, Street = c.Street,
        PostalCode = c.PostalCode, City = c.City, Country = c.Country, Culture = c.Culture, Currency = c.Currency,
        DefaultDepositPercent = c.DefaultDepositPercent?.ToString(CultureInfo.InvariantCulture), Vip = c.Vip, Archived = c.Archived,
        Version = c.Id == 0 ? null : c.UpdatedUtc.Ticks.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The client with these fields, or null when the deposit is not a whole number.</summary>
    public Client? ToClient(Client basis)
    {
        int? deposit = null;
        if (!string.IsNullOrWhiteSpace(DefaultDepositPercent))
        {
            if (!int.TryParse(DefaultDepositPercent.Trim().TrimEnd('%').Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                return null;
            deposit = value;
        }
        return basis with
        {
            Kind = Kind ?? "", Name = Name ?? "", ArtistName = ArtistName, Email = Email, Phone = Phone, Street = Street,
            PostalCode = PostalCode, City = City, Country = Country, Culture = Culture, Currency = Currency,
            DefaultDepositPercent = deposit, Vip = Vip, Archived = Archived,
            UpdatedUtc = long.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 && ticks <= DateTime.MaxValue.Ticks
                ? new DateTime(ticks, DateTimeKind.Utc) : default,
        };
    }
}
