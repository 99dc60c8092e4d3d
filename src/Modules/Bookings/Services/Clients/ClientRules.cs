using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Studio.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>
/// What a client record may hold: trims, normalises (country and currency upper case, empty → null) and refuses
/// bad input with a localized message naming the field. Used by the directory and by imports, so a row of a file
/// is held to exactly the rules of the edit page.
/// </summary>
public sealed partial class ClientRules(IStringLocalizer<ClientRules> localizer)
{
    public const int MaxName = 200, MaxArtistName = 200, MaxEmail = 256, MaxPhone = 50, MaxStreet = 200,
        MaxPostalCode = 20, MaxCity = 100, MaxRole = 100, MaxNote = 4000;

    public const string Person = "person", Company = "company";

    private static readonly Lazy<HashSet<string>> Countries = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).TwoLetterISORegionName; } catch (ArgumentException) { return null; } })
            .Where(r => r is { Length: 2 } && r.All(char.IsAsciiLetterUpper)).Select(r => r!)
            .ToHashSet(StringComparer.Ordinal));

    private static readonly Lazy<HashSet<string>> Currencies = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
            .Where(r => r is { Length: 3 } && r.All(char.IsAsciiLetterUpper)).Select(r => r!)
            .ToHashSet(StringComparer.Ordinal));

    /// <summary>The normalised client, or the first problem as a <see cref="BookingValidationException"/>.</summary>
    public Client Normalise(Client client) => Check(client, out var errors) ?? throw errors[0];

    /// <summary>The normalised client, or null with every problem found (each with its field).</summary>
    public Client? Check(Client client, out IReadOnlyList<BookingValidationException> problems)
    {
        var errors = new List<BookingValidationException>();
        void Fail(string field, string message, params object[] args) => errors.Add(new BookingValidationException(localizer[message, args], field));

        var kind = Blank(client.Kind)?.ToLowerInvariant() ?? Person;
        if (kind is not (Person or Company))
            Fail(nameof(Client.Kind), Localizable.Text("The kind must be person or company."));

        var name = Blank(client.Name);
        if (name is null)
            Fail(nameof(Client.Name), Localizable.Text("The name is required."));
        else if (name.Length > MaxName)
            Fail(nameof(Client.Name), Localizable.Text("The name must be at most {0} characters."), MaxName);

        var artist = Blank(client.ArtistName);
        if (artist?.Length > MaxArtistName)
            Fail(nameof(Client.ArtistName), Localizable.Text("The artist name must be at most {0} characters."), MaxArtistName);

        var email = Blank(client.Email);
        if (email is not null && !IsEmail(email))
            Fail(nameof(Client.Email), Localizable.Text("\"{0}\" is not a valid e-mail address."), email);

        var phone = Blank(client.Phone);
        if (phone is not null && (phone.Length > MaxPhone || !PhoneRegex().IsMatch(phone) || phone.Count(char.IsAsciiDigit) < 3))
            Fail(nameof(Client.Phone), Localizable.Text("\"{0}\" is not a valid phone number (digits, spaces, + ( ) - . / only; at most {1} characters)."), phone, MaxPhone);

        var street = Blank(client.Street);
        if (street?.Length > MaxStreet)
            Fail(nameof(Client.Street), Localizable.Text("The street must be at most {0} characters."), MaxStreet);
        var postal = Blank(client.PostalCode);
        if (postal?.Length > MaxPostalCode)
            Fail(nameof(Client.PostalCode), Localizable.Text("The postal code must be at most {0} characters."), MaxPostalCode);
        var city = Blank(client.City);
        if (city?.Length > MaxCity)
            Fail(nameof(Client.City), Localizable.Text("The city must be at most {0} characters."), MaxCity);

        var country = Blank(client.Country)?.ToUpperInvariant();
        if (country is not null && !IsCountry(country))
            Fail(nameof(Client.Country), Localizable.Text("\"{0}\" is not a country code (two letters, ISO 3166, e.g. FR)."), country);

        var culture = Blank(client.Culture);
        if (culture is not null)
        {
            var known = NormaliseCulture(culture);
            if (known is null)
                Fail(nameof(Client.Culture), Localizable.Text("\"{0}\" is not a known language (e.g. en-GB, fr-FR)."), culture);
            culture = known;
        }

        var currency = Blank(client.Currency)?.ToUpperInvariant();
        if (currency is not null && !Currencies.Value.Contains(currency))
            Fail(nameof(Client.Currency), Localizable.Text("\"{0}\" is not a currency code (three letters, ISO 4217, e.g. EUR)."), currency);

        if (client.DefaultDepositPercent is < 0 or > 100)
            Fail(nameof(Client.DefaultDepositPercent), Localizable.Text("The default deposit must be between 0 and 100 %."));

        problems = errors;
        if (errors.Count > 0)
            return null;
        return client with
        {
            Kind = kind, Name = name!, ArtistName = artist, Email = email, Phone = phone, Street = street,
            PostalCode = postal, City = city, Country = country, Culture = culture, Currency = currency,
        };
    }

    /// <summary>A contact's role at its company, trimmed (may be empty).</summary>
    public string Role(string? role)
    {
        var value = role?.Trim() ?? "";
        if (value.Length > MaxRole)
            throw new BookingValidationException(localizer["The role must be at most {0} characters.", MaxRole], "Role");
        return value;
    }

    /// <summary>A note's text, trimmed; 1–4000 characters.</summary>
    public string Note(string? body)
    {
        var value = body?.Trim() ?? "";
        if (value.Length == 0)
            throw new BookingValidationException(localizer["The note is empty."], "Body");
        if (value.Length > MaxNote)
            throw new BookingValidationException(localizer["A note must be at most {0} characters.", MaxNote], "Body");
        return value;
    }

    /// <summary>An ISO 3166 alpha-2 code: one of the regions of the known cultures, or one the platform's region data knows.</summary>
    public static bool IsCountry(string code)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
            return false;
        if (Countries.Value.Contains(code))
            return true;
        try { return new RegionInfo(code).TwoLetterISORegionName == code; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>A predefined culture name in its canonical spelling, or null.</summary>
    public static string? NormaliseCulture(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 10)
            return null;
        try
        {
            var culture = CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
            return culture.Name.Length is > 0 and <= 10 ? culture.Name : null;
        }
        catch (CultureNotFoundException) { return null; }
    }

    public static bool IsEmail(string email)
    {
        if (email.Length > MaxEmail || email.Any(char.IsWhiteSpace) || email.Count(c => c == '@') != 1)
            return false;
        try
        {
            var address = new MailAddress(email);
            return address.Address == email && address.Host.Contains('.', StringComparison.Ordinal);
        }
        catch (FormatException) { return false; }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^[0-9+()\-./ ]+$")]
    private static partial Regex PhoneRegex();
}
