using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin;

/// <summary>The studio's booking policy: currency, hold time, notice, window, slot step, deposit, buffers.</summary>
public sealed class IndexModel(IBookingCatalog catalog, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    [BindProperty] public PolicyInput Input { get; set; } = new();

    /// <summary>The base currency of the Currencies feature, when it sets the currency (the field is then read-only).</summary>
    public string? BaseCurrency { get; private set; }

    public sealed class PolicyInput
    {
        public string Currency { get; set; } = "EUR";
        public int HoldMinutes { get; set; }
        public int MinNoticeMinutes { get; set; }
        public int MaxAdvanceDays { get; set; }
        public int SlotStepMinutes { get; set; }
        public int DefaultDepositPercent { get; set; }
        public int BufferBeforeMinutes { get; set; }
        public int BufferAfterMinutes { get; set; }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var p = await catalog.GetPolicyAsync(cancellationToken);
        BaseCurrency = await catalog.BaseCurrencyAsync(cancellationToken);
        Input = new PolicyInput
        {
            Currency = p.Currency, HoldMinutes = p.HoldMinutes, MinNoticeMinutes = p.MinNoticeMinutes, MaxAdvanceDays = p.MaxAdvanceDays,
            SlotStepMinutes = p.SlotStepMinutes, DefaultDepositPercent = p.DefaultDepositPercent,
            BufferBeforeMinutes = p.BufferBeforeMinutes, BufferAfterMinutes = p.BufferAfterMinutes,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // With the Currencies feature the base currency is set there; the policy keeps it for when the feature is off.
        BaseCurrency = await catalog.BaseCurrencyAsync(cancellationToken);
        if (BaseCurrency is not null)
            Input.Currency = BaseCurrency;
        var policy = new BookingPolicy
        {
            Currency = Input.Currency ?? "", HoldMinutes = Input.HoldMinutes, MinNoticeMinutes = Input.MinNoticeMinutes,
            MaxAdvanceDays = Input.MaxAdvanceDays, SlotStepMinutes = Input.SlotStepMinutes, DefaultDepositPercent = Input.DefaultDepositPercent,
            BufferBeforeMinutes = Input.BufferBeforeMinutes, BufferAfterMinutes = Input.BufferAfterMinutes,
        };
        if (!await TryAsync(() => catalog.SavePolicyAsync(policy, Actor, cancellationToken)))
            return Page();
        Message = localizer["The booking policy is saved."];
        return RedirectToPage();
    }
}
