using Microsoft.AspNetCore.Mvc.ModelBinding;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

internal static class ClientPageErrors
{
    /// <summary>Every problem of <paramref name="client"/> on its field (so a form shows them all at once); true when there were any.</summary>
    public static bool AddAll(ModelStateDictionary state, Studio.Modules.Bookings.Services.Clients.ClientRules rules, Studio.Modules.Bookings.Data.Client client)
    {
        if (rules.Check(client, out var problems) is not null)
            return false;
        foreach (var problem in problems)
            Add(state, problem);
        return true;
    }

    /// <summary>Puts a validation error on its field of the client form (prefix "Input."), or on the whole form.</summary>
    public static void Add(ModelStateDictionary state, BookingValidationException error, string prefix = "Input.") =>
        state.AddModelError(error.Field is null ? "" : prefix + error.Field, error.Message);
}
