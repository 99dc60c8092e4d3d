using Microsoft.AspNetCore.Html;
using Studio.Currencies;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>
/// Approximate prices in the visitor's display currency beside the base prices of the portal, through the optional
/// <see cref="IDisplayPrices"/> contract: registered only where the Currencies feature is on, so without it nothing
/// is shown. Bookings never references the Currencies module; amounts charged stay in the base currency.
/// </summary>
public sealed class ApproximatePrices(IEnumerable<IDisplayPrices> prices)
{
    private readonly IDisplayPrices? _prices = prices.FirstOrDefault();

    /// <summary>True when the Currencies feature is on (the display-currency picker can be shown).</summary>
    public bool Available => _prices is not null;

    /// <summary>
    /// " ≈ $123.45 (rate of 24 Nov 2026)" in a <c>span.bk-approx</c>, or nothing when the visitor sees the base
    /// currency or no rate is known.
    /// </summary>
    public async Task<IHtmlContent> HtmlAsync(decimal amount, string currency, CancellationToken cancellationToken = default)
    {
        if (_prices is null || await _prices.ApproximateAsync(Money.Of(amount, currency), cancellationToken) is not { } approximate)
            return HtmlString.Empty;
        var html = new HtmlContentBuilder();
        html.AppendHtml(" <span class=\"bk-approx\">");
        html.Append(approximate.Label);
        html.AppendHtml("</span>");
        return html;
    }
}
