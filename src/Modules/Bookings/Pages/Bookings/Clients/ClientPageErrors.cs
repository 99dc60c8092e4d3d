using Microsoft.AspNetCore.Mvc.ModelBinding;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

internal static class ClientPageErrors
{
    /// <summary>Puts a validation error on its field of the client form (prefix "Input."), or on the whole form.</summary>
    public static void Add(ModelStateDictionary state, BookingValidationException error, string prefix = "Input.") =>
        state.AddModelError(error.Field is null ? "" : prefix + error.Field, error.Message);
}
