using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Events;

namespace Studio.Modules.Settings.Pages.Admin.Events;

/// <summary>
/// The studio's event deliveries (what its features' handlers — confirmation e-mails and other integrations — were
/// given): recent ones, those waiting for a retry, and those given up (dead letters), which can be requeued once the
/// cause is fixed. Under /admin: owners and admins only; always the current tenant's.
/// </summary>
public sealed class IndexModel(IEventDeliveries deliveries, IStringLocalizer<IndexModel> localizer) : PageModel
{
    /// <summary>Statuses the list can be filtered by.</summary>
    public static readonly IReadOnlyList<string> Statuses =
        [EventDeliveryStatus.Dead, EventDeliveryStatus.Pending, EventDeliveryStatus.Delivering, EventDeliveryStatus.Delivered, EventDeliveryStatus.Skipped];

    /// <summary>The filter (empty: every status).</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    /// <summary>The event to requeue (empty: every dead letter).</summary>
    [BindProperty] public Guid? EventId { get; set; }

    public IReadOnlyList<EventDelivery> Items { get; private set; } = [];

    public int DeadCount { get; private set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Status is not null && !Statuses.Contains(Status))
        {
            ModelState.AddModelError(nameof(Status), localizer["Unknown status '{0}'.", Status]);
            Status = null;
        }
        Items = await deliveries.ListAsync(Status, 200, cancellationToken);
        DeadCount = await deliveries.CountDeadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(CancellationToken cancellationToken)
    {
        var requeued = await deliveries.RetryDeadAsync(EventId, cancellationToken);
        Message = requeued == 0
            ? localizer["Nothing to retry: no delivery was given up."]
            : localizer["{0} deliveries will be tried again shortly.", requeued];
        return RedirectToPage(new { status = Status });
    }

    /// <summary>The status's label, localized.</summary>
    public string Label(string status) => status switch
    {
        EventDeliveryStatus.Dead => localizer["Given up"],
        EventDeliveryStatus.Pending => localizer["Waiting"],
        EventDeliveryStatus.Delivering => localizer["Being delivered"],
        EventDeliveryStatus.Delivered => localizer["Delivered"],
        EventDeliveryStatus.Skipped => localizer["Skipped (feature off)"],
        _ => status,
    };
}
