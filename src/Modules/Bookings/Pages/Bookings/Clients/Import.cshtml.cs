using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Services.Clients;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>Imports clients from a CSV or vCard file: all rows or none, with a report of every problem by row.</summary>
[Authorize(Policy = StudioPolicies.Staff)]
// The form may carry more than the import takes (up to the server's request limit), so that an oversized file gets
// the import's own message; only MaxBytes + 1 bytes of it are ever read into memory.
[RequestFormLimits(MultipartBodyLengthLimit = 30L * 1024 * 1024)]
public sealed class ImportModel(ClientImport import, IStringLocalizer<ImportModel> localizer) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }

    public ClientImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), localizer["Choose a CSV or vCard file."]);
            return Page();
        }
        // Read at most one byte over the limit: a huge upload is refused without being held in memory.
        using var buffer = new MemoryStream();
        await using (var stream = Upload.OpenReadStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while (buffer.Length <= ClientImport.MaxBytes && (read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
                buffer.Write(chunk, 0, read);
        }
        var name = Path.GetFileName(Upload.FileName);
        Report = await import.ImportAsync(buffer.ToArray(), name.Length > 200 ? name[..200] : name,
            AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
        if (!Report.Succeeded)
            ModelState.AddModelError(nameof(Upload), localizer["Nothing was imported: fix the problems below and import the file again."]);
        return Page();
    }
}
