using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Studio.Platform;

/// <summary>How an administration page shows the platform's refusals: as messages on the page, never a 500.</summary>
public static class PlatformPageErrors
{
    /// <summary>
    /// Runs a platform write. Validation errors become model errors, a version conflict a localized model error
    /// (then <paramref name="onError"/> renders the page again); a forbidden tenant answers 404, like an unknown one.
    /// </summary>
    public static async Task<IActionResult> RunPlatformWriteAsync(this PageModel page, Func<Task<IActionResult>> action,
        Func<Task<IActionResult>> onError, IStringLocalizer localizer)
    {
        try { return await action(); }
        catch (PlatformValidationException e)
        {
            foreach (var error in e.Errors)
                page.ModelState.AddModelError("", error);
        }
        catch (PlatformConcurrencyException e) { page.ModelState.AddModelError("", localizer[e.Message]); }
        catch (PlatformForbiddenException) { return page.NotFound(); }
        return await onError();
    }
}
