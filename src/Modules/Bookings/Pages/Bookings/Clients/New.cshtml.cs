using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>A new client (person or company).</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class NewModel(IClientDirectory directory, ClientRules rules, IStringLocalizer<NewModel> localizer) : PageModel
{
    [BindProperty] public ClientInput Input { get; set; } = new();

    [TempData] public string? Message { get; set; }

    public void OnGet(string? kind)
    {
        Input.Kind = kind == "company" ? "company" : "person";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var client = Input.ToClient(new Client());
        if (client is null)
        {
            ModelState.AddModelError("Input.DefaultDepositPercent", localizer["The default deposit must be a whole number between 0 and 100."]);
            return Page();
        }
        if (ClientPageErrors.AddAll(ModelState, rules, client))
            return Page();
        try
        {
            var saved = await directory.SaveAsync(client, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
            Message = localizer["Client {0} created.", saved.Name];
            return Redirect(Url.Content($"~/studio/clients/{saved.Id}"));
        }
        catch (BookingValidationException e)
        {
            ClientPageErrors.Add(ModelState, e);
            return Page();
        }
    }
}
