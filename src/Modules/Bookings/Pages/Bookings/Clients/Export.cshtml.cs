using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>Downloads every client as CSV (<c>?format=csv</c>) or vCard (<c>vcard4</c>, <c>vcard3</c>).</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class ExportModel(ClientImport files, TenantContext tenant, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken cancellationToken)
    {
        var chosen = format is "vcard3" or "vcard4" ? format : "csv";
        var (bytes, contentType, extension) = await files.ExportAsync(chosen, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
        var name = $"clients-{tenant.Name}-{clock.GetUtcNow():yyyyMMdd}.{extension}";
        return File(bytes, contentType, name);
    }
}
