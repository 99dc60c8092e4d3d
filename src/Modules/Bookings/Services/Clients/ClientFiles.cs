using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.Localization;
using Studio.Localization;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>A problem with one row (CSV: its spreadsheet row, the header being row 1; vCard: the card's number) or the whole file (row 0).</summary>
public sealed record ClientImportError(int Row, string? Field, string Message);

/// <summary>A client read from a file: the fields the file gave (others keep their stored value on update) and its problems.</summary>
public sealed record ClientImportRow(int Row, Client Client, IReadOnlySet<string> Fields, IReadOnlyList<ClientImportError> Errors);

/// <summary>The fields of <see cref="Client"/> a file can set.</summary>
public static class ClientFields
{
    public const string Kind = nameof(Client.Kind), Name = nameof(Client.Name), ArtistName = nameof(Client.ArtistName),
        Email = nameof(Client.Email), Phone = nameof(Client.Phone), Street = nameof(Client.Street),
        PostalCode = nameof(Client.PostalCode), City = nameof(Client.City), Country = nameof(Client.Country),
        Culture = nameof(Client.Culture), Currency = nameof(Client.Currency),
        DefaultDepositPercent = nameof(Client.DefaultDepositPercent), Vip = nameof(Client.Vip), Archived = nameof(Client.Archived);

    /// <summary>The localizer key of a field's label (as in the client form).</summary>
    public static string Label(string field) => field switch
    {
        Kind => Localizable.Text("Kind"),
        Name => Localizable.Text("Name"),
        ArtistName => Localizable.Text("Artist name"),
        Email => Localizable.Text("E-mail address"),
        Phone => Localizable.Text("Phone"),
        Street => Localizable.Text("Street"),
        PostalCode => Localizable.Text("Postal code"),
        City => Localizable.Text("City"),
        Country => Localizable.Text("Country"),
        Culture => Localizable.Text("Language"),
        Currency => Localizable.Text("Currency"),
        DefaultDepositPercent => Localizable.Text("Default deposit %"),
        Vip => Localizable.Text("VIP"),
        Archived => Localizable.Text("Archived"),
        _ => field,
    };

    /// <summary><paramref name="target"/> with the <paramref name="fields"/> of <paramref name="source"/>.</summary>
    public static Client Merge(Client target, Client source, IReadOnlySet<string> fields)
    {
        foreach (var field in fields)
        {
            target = field switch
            {
                Kind => target with { Kind = source.Kind },
                Name => target with { Name = source.Name },
                ArtistName => target with { ArtistName = source.ArtistName },
                Email => target with { Email = source.Email },
                Phone => target with { Phone = source.Phone },
                Street => target with { Street = source.Street },
                PostalCode => target with { PostalCode = source.PostalCode },
                City => target with { City = source.City },
                Country => target with { Country = source.Country },
                Culture => target with { Culture = source.Culture },
                Currency => target with { Currency = source.Currency },
                DefaultDepositPercent => target with { DefaultDepositPercent = source.DefaultDepositPercent },
                Vip => target with { Vip = source.Vip },
                Archived => target with { Archived = source.Archived },
                _ => target,
            };
        }
        return target;
    }

    /// <summary>A two-letter code as is; otherwise a country's English, native or display name turned into its code.</summary>
    public static string? CountryCode(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length == 2)
            return string.IsNullOrEmpty(text) ? null : text.ToUpperInvariant();
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try { region = new RegionInfo(culture.Name); }
            catch (ArgumentException) { continue; }
            if (string.Equals(region.EnglishName, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(region.NativeName, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(region.ThreeLetterISORegionName, text, StringComparison.OrdinalIgnoreCase))
                return region.TwoLetterISORegionName;
        }
        return text;
    }
}

/// <summary>
/// Clients as CSV (CsvHelper): UTF-8 with a byte-order mark, comma-separated, one header row with the columns of
/// <see cref="Columns"/>. Reading accepts comma, semicolon or tab separators, headers in any case (spaces, dashes and
/// underscores ignored, a few common aliases), and only the columns it knows — an unknown column is refused, so a
/// misspelt header never silently drops data. A column left out keeps the stored value when a row updates a client;
/// an empty cell clears it.
/// </summary>
public sealed class ClientCsv(IStringLocalizer<ClientCsv> localizer)
{
    /// <summary>Column names written, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["kind", "name", "artist_name", "email", "phone", "street", "postal_code", "city", "country", "culture", "currency",
         "default_deposit_percent", "vip", "archived"];

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["kind"] = ClientFields.Kind, ["type"] = ClientFields.Kind,
        ["name"] = ClientFields.Name, ["fullname"] = ClientFields.Name,
        ["artistname"] = ClientFields.ArtistName, ["artist"] = ClientFields.ArtistName,
        ["email"] = ClientFields.Email, ["emailaddress"] = ClientFields.Email, ["mail"] = ClientFields.Email,
        ["phone"] = ClientFields.Phone, ["telephone"] = ClientFields.Phone, ["phonenumber"] = ClientFields.Phone,
        ["street"] = ClientFields.Street, ["address"] = ClientFields.Street,
        ["postalcode"] = ClientFields.PostalCode, ["postcode"] = ClientFields.PostalCode, ["zip"] = ClientFields.PostalCode, ["zipcode"] = ClientFields.PostalCode,
        ["city"] = ClientFields.City, ["town"] = ClientFields.City,
        ["country"] = ClientFields.Country,
        ["culture"] = ClientFields.Culture, ["language"] = ClientFields.Culture,
        ["currency"] = ClientFields.Currency,
        ["defaultdepositpercent"] = ClientFields.DefaultDepositPercent, ["deposit"] = ClientFields.DefaultDepositPercent, ["depositpercent"] = ClientFields.DefaultDepositPercent,
        ["vip"] = ClientFields.Vip,
        ["archived"] = ClientFields.Archived,
    };

    /// <summary>The clients as a CSV file.</summary>
    public static byte[] Write(IEnumerable<Client> clients)
    {
        using var buffer = new MemoryStream();
        // A cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe
        // (OWASP "CSV injection"); Read removes it again.
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true, NewLine = "\r\n" };
        using (var csv = CsvWriter.Create(buffer, options, true))
        {
            csv.WriteRecord(Columns.ToArray());
            foreach (var c in clients)
            {
                csv.WriteRecord(
                [
                    c.Kind, c.Name, c.ArtistName ?? "", c.Email ?? "", c.Phone ?? "", c.Street ?? "", c.PostalCode ?? "",
                    c.City ?? "", c.Country ?? "", c.Culture ?? "", c.Currency ?? "",
                    c.DefaultDepositPercent?.ToString(CultureInfo.InvariantCulture) ?? "", c.Vip ? "yes" : "no", c.Archived ? "yes" : "no",
                ]);
            }
        }
        return buffer.ToArray();
    }

    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    /// <summary>
    /// Reads the rows of a CSV file; a problem with the file as a whole comes back as one error of row 0. Rows are
    /// numbered by the line they start on (the header is line 1), as a spreadsheet numbers them.
    /// </summary>
    public (IReadOnlyList<ClientImportRow> Rows, ClientImportError? FileError) Read(string text, int maxRows)
    {
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            IncludeValuesInExceptions = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            MaxRecordSize = 64 * 1024,
        };
        try
        {
            using var reader = CsvReader.FromText(text, options);
            reader.ReadHeader();
            var header = reader.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return ([], new ClientImportError(0, null, localizer["The file is empty."]));
            var map = new string?[header.Length];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var key = new string(header[i].Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
                if (key.Length == 0)
                    continue; // an empty header cell: a trailing separator, say
                if (!Headers.TryGetValue(key, out var field))
                    return ([], new ClientImportError(0, null, localizer["Unknown column \"{0}\". Known columns: {1}.", header[i], string.Join(", ", Columns)]));
                if (!seen.Add(field))
                    return ([], new ClientImportError(0, null, localizer["The column \"{0}\" appears twice.", header[i]]));
                map[i] = field;
            }
            if (!seen.Contains(ClientFields.Name))
                return ([], new ClientImportError(0, null, localizer["The file needs a \"name\" column."]));

            var rows = new List<ClientImportRow>();
            while (reader.Read())
            {
                var row = (int)reader.LineNumber;
                var record = new string[reader.FieldCount];
                for (var i = 0; i < record.Length; i++)
                    record[i] = reader.GetString(i);
                if (record.All(string.IsNullOrWhiteSpace))
                    continue;
                if (rows.Count == maxRows)
                    return ([], new ClientImportError(0, null, localizer["The file holds more than {0} clients; split it.", maxRows]));
                var errors = new List<ClientImportError>();
                if (record.Length > header.Length && record.Skip(header.Length).Any(v => !string.IsNullOrWhiteSpace(v)))
                    errors.Add(new ClientImportError(row, null, localizer["The row has more cells than the header has columns."]));
                var client = new Client();
                for (var i = 0; i < map.Length; i++)
                {
                    if (map[i] is not { } field)
                        continue;
                    var value = i < record.Length ? Unescape(record[i].Trim()) : "";
                    client = Set(client, field, value, row, errors);
                }
                rows.Add(new ClientImportRow(row, client, seen, errors));
            }
            return (rows, null);
        }
        catch (CsvFormatException e)
        {
            return ([], new ClientImportError(0, null, localizer["The file is not valid CSV (near line {0}): check its quotes.", e.LineNumber]));
        }
    }

    private Client Set(Client client, string field, string value, int row, List<ClientImportError> errors)
    {
        string? text = value.Length == 0 ? null : value;
        switch (field)
        {
            case ClientFields.Kind: return client with { Kind = text ?? ClientRules.Person };
            case ClientFields.Name: return client with { Name = value };
            case ClientFields.ArtistName: return client with { ArtistName = text };
            case ClientFields.Email: return client with { Email = text };
            case ClientFields.Phone: return client with { Phone = text };
            case ClientFields.Street: return client with { Street = text };
            case ClientFields.PostalCode: return client with { PostalCode = text };
            case ClientFields.City: return client with { City = text };
            case ClientFields.Country: return client with { Country = ClientFields.CountryCode(text) };
            case ClientFields.Culture: return client with { Culture = text };
            case ClientFields.Currency: return client with { Currency = text };
            case ClientFields.DefaultDepositPercent:
                if (text is null)
                    return client with { DefaultDepositPercent = null };
                if (int.TryParse(text.TrimEnd('%').Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
                    return client with { DefaultDepositPercent = percent };
                errors.Add(new ClientImportError(row, field, localizer["\"{0}\" is not a whole percentage.", value]));
                return client;
            case ClientFields.Vip:
            case ClientFields.Archived:
                bool? flag = text?.ToLowerInvariant() switch
                {
                    null or "no" or "false" or "0" or "n" => false,
                    "yes" or "true" or "1" or "y" => true,
                    _ => null,
                };
                if (flag is null)
                {
                    errors.Add(new ClientImportError(row, field, localizer["\"{0}\" is not yes or no.", value]));
                    return client;
                }
                return field == ClientFields.Vip ? client with { Vip = flag.Value } : client with { Archived = flag.Value };
            default: return client;
        }
    }
}

/// <summary>
/// Clients as vCards. Written: KIND (4.0), FN, N (a person's last word as family name), ORG (companies), NICKNAME
/// (artist name), EMAIL, TEL, ADR (street, city, postal code, country code), LANG (4.0; X-STUDIO-LANG in 3.0), REV,
/// and X-STUDIO-CURRENCY / X-STUDIO-DEPOSIT-PERCENT / X-STUDIO-VIP for what vCard has no property for. Read: the
/// same, from any vCard 3.0 or 4.0 (Apple, Google and Outlook exports included); the most preferred EMAIL, TEL and
/// ADR are taken and other properties ignored. A card is a company when KIND is org, or (3.0) when it has an ORG and
/// no name of a person. Company member contacts are not carried by vCards.
/// </summary>
public sealed class ClientVCards(IStringLocalizer<ClientVCards> localizer)
{
    /// <summary>The clients as one .vcf file of vCards of <paramref name="version"/> (3.0 or 4.0).</summary>
    public static byte[] Write(IEnumerable<Client> clients, string version)
    {
        if (version is not ("3.0" or "4.0"))
            throw new ArgumentOutOfRangeException(nameof(version));
        var four = version == "4.0";
        var output = new StringBuilder();
        foreach (var c in clients)
        {
            VCard.WriteLine(output, "BEGIN:VCARD");
            VCard.WriteLine(output, "VERSION:" + version);
            var company = c.Kind == ClientRules.Company;
            if (four)
                VCard.WriteLine(output, "KIND:" + (company ? "org" : "individual"));
            VCard.WriteLine(output, "FN:" + VCard.Escape(c.Name));
            if (company)
            {
                if (!four)
                    VCard.WriteLine(output, "N:;;;;");
                VCard.WriteLine(output, "ORG:" + VCard.Escape(c.Name));
            }
            else
            {
                var space = c.Name.LastIndexOf(' ');
                var (family, given) = space < 0 ? (c.Name, "") : (c.Name[(space + 1)..], c.Name[..space]);
                VCard.WriteLine(output, $"N:{VCard.Escape(family)};{VCard.Escape(given)};;;");
            }
            if (c.ArtistName is { } artist)
                VCard.WriteLine(output, "NICKNAME:" + VCard.Escape(artist));
            if (c.Email is { } email)
                VCard.WriteLine(output, (four ? "EMAIL:" : "EMAIL;TYPE=INTERNET:") + VCard.Escape(email));
            if (c.Phone is { } phone)
                VCard.WriteLine(output, (four ? "TEL:" : "TEL;TYPE=VOICE:") + VCard.Escape(phone));
            if (c.Street is not null || c.City is not null || c.PostalCode is not null || c.Country is not null)
                VCard.WriteLine(output, $"ADR:;;{VCard.Escape(c.Street)};{VCard.Escape(c.City)};;{VCard.Escape(c.PostalCode)};{VCard.Escape(c.Country)}");
            if (c.Culture is { } culture)
                VCard.WriteLine(output, (four ? "LANG:" : "X-STUDIO-LANG:") + culture);
            if (c.Currency is { } currency)
                VCard.WriteLine(output, "X-STUDIO-CURRENCY:" + currency);
            if (c.DefaultDepositPercent is { } deposit)
                VCard.WriteLine(output, "X-STUDIO-DEPOSIT-PERCENT:" + deposit.ToString(CultureInfo.InvariantCulture));
            if (c.Vip)
                VCard.WriteLine(output, "X-STUDIO-VIP:yes");
            VCard.WriteLine(output, "REV:" + c.UpdatedUtc.ToUniversalTime().ToString(four ? "yyyyMMdd'T'HHmmss'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            VCard.WriteLine(output, "END:VCARD");
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(output.ToString());
    }

    /// <summary>Reads the cards of a .vcf file; a malformed file comes back as one error of row 0.</summary>
    public (IReadOnlyList<ClientImportRow> Rows, ClientImportError? FileError) Read(string text, int maxRows)
    {
        IReadOnlyList<VCardEntry> cards;
        try { cards = VCard.Read(text); }
        catch (VCardFormatException e) { return ([], new ClientImportError(0, null, localizer[e.Message, e.Arguments])); }
        if (cards.Count > maxRows)
            return ([], new ClientImportError(0, null, localizer["The file holds more than {0} clients; split it.", maxRows]));
        var rows = new List<ClientImportRow>();
        for (var i = 0; i < cards.Count; i++)
            rows.Add(ToRow(cards[i], i + 1));
        return (rows, null);
    }

    private ClientImportRow ToRow(VCardEntry card, int row)
    {
        var errors = new List<ClientImportError>();
        var fields = new HashSet<string>(StringComparer.Ordinal) { ClientFields.Name };
        var client = new Client();

        var n = card.First("N")?.Components ?? [];
        var personName = string.Join(" ", new[] { n.ElementAtOrDefault(3), n.ElementAtOrDefault(1), n.ElementAtOrDefault(2), n.ElementAtOrDefault(0), n.ElementAtOrDefault(4) }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()));
        var org = card.First("ORG")?.Components.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p))?.Trim();
        var kind = card.First("KIND")?.Text.Trim().ToLowerInvariant();
        if (kind is not null)
        {
            fields.Add(ClientFields.Kind);
            client = client with { Kind = kind == "org" ? ClientRules.Company : kind is "individual" ? ClientRules.Person : kind };
            if (kind is not ("org" or "individual"))
                errors.Add(new ClientImportError(row, ClientFields.Kind, localizer["KIND \"{0}\" cannot be imported; use individual or org.", kind]));
        }
        else if (org is not null && personName.Length == 0)
        {
            fields.Add(ClientFields.Kind);
            client = client with { Kind = ClientRules.Company };
        }
        var fn = card.First("FN")?.Text.Trim();
        var name = !string.IsNullOrEmpty(fn) ? fn : client.Kind == ClientRules.Company ? org : personName;
        client = client with { Name = name ?? "" };

        if (card.First("NICKNAME")?.Text is { } nickname)
        {
            fields.Add(ClientFields.ArtistName);
            // NICKNAME is a comma list; the first is the artist name.
            client = client with { ArtistName = VCard.SplitUnescaped(card.First("NICKNAME")!.RawValue, ',').Select(VCard.Unescape).FirstOrDefault()?.Trim() };
        }
        if (card.First("EMAIL") is { } email)
        {
            fields.Add(ClientFields.Email);
            var address = email.Text.Trim();
            client = client with { Email = address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? address[7..] : address };
        }
        if (card.First("TEL") is { } tel)
        {
            fields.Add(ClientFields.Phone);
            var number = tel.Text.Trim();
            client = client with { Phone = number.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? number[4..] : number };
        }
        if (card.First("ADR") is { } adr)
        {
            var parts = adr.Components;
            fields.UnionWith([ClientFields.Street, ClientFields.City, ClientFields.PostalCode, ClientFields.Country]);
            // The street may span lines; and some writers put the extended address (part 1) apart from it.
            var street = string.Join(", ", new[] { parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(1) }
                .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Replace("\n", ", ", StringComparison.Ordinal).Trim()));
            client = client with
            {
                Street = street,
                City = parts.ElementAtOrDefault(3)?.Trim(),
                PostalCode = parts.ElementAtOrDefault(5)?.Trim(),
                Country = ClientFields.CountryCode(parts.ElementAtOrDefault(6)),
            };
        }
        if ((card.First("LANG") ?? card.First("X-STUDIO-LANG")) is { } lang)
        {
            fields.Add(ClientFields.Culture);
            client = client with { Culture = lang.Text.Trim() };
        }
        if (card.First("X-STUDIO-CURRENCY") is { } currency)
        {
            fields.Add(ClientFields.Currency);
            client = client with { Currency = currency.Text.Trim() };
        }
        if (card.First("X-STUDIO-DEPOSIT-PERCENT") is { } deposit)
        {
            fields.Add(ClientFields.DefaultDepositPercent);
            if (int.TryParse(deposit.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
                client = client with { DefaultDepositPercent = percent };
            else
                errors.Add(new ClientImportError(row, ClientFields.DefaultDepositPercent, localizer["\"{0}\" is not a whole percentage.", deposit.Text]));
        }
        if (card.First("X-STUDIO-VIP") is { } vip)
        {
            fields.Add(ClientFields.Vip);
            client = client with { Vip = vip.Text.Trim().ToLowerInvariant() is "yes" or "true" or "1" };
        }
        return new ClientImportRow(row, client, fields, errors);
    }
}
