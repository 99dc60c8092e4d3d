using System.Globalization;
using Studio.Localization;

namespace Studio.Tests;

/// <summary>Dates follow each culture's own order and words, at the middle length pages use.</summary>
public sealed class DateFormatsTests
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Theory]
    [InlineData("en-GB", "Wed, 25 Nov 2026", "25 Nov 2026")]
    [InlineData("en-US", "Wed, Nov 25, 2026", "Nov 25, 2026")]
    [InlineData("fr-FR", "mer. 25 nov. 2026", "25 nov. 2026")]
    [InlineData("de-DE", "Mi, 25. Nov. 2026", "25. Nov. 2026")]
    [InlineData("it-IT", "mer 25 nov 2026", "25 nov 2026")]
    [InlineData("es-ES", "mié, 25 de nov de 2026", "25 de nov de 2026")]
    [InlineData("pt-PT", "quarta, 25 de nov. de 2026", "25 de nov. de 2026")]
    public void Each_culture_writes_the_date_its_own_way(string culture, string withWeekday, string withoutWeekday)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        Assert.Equal(withWeekday, DateFormats.WithWeekday(Day, info));
        Assert.Equal(withoutWeekday, DateFormats.WithoutWeekday(Day, info));
    }
}
