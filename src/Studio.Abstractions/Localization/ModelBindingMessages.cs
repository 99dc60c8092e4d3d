using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Studio.Localization;

/// <summary>
/// Model binding writes its own messages in English ("The value 'x' is not valid for Y."). A page calls
/// <see cref="Localize"/> from <c>OnPageHandlerExecuting</c> to replace them with localized ones naming the value,
/// before its own validation adds more.
/// </summary>
public static class ModelBindingMessages
{
    /// <summary>Replaces every binding error in <paramref name="modelState"/> with a localized message.</summary>
    public static void Localize(ModelStateDictionary modelState, IStringLocalizer localizer)
    {
        foreach (var entry in modelState.Values)
        {
            if (entry.Errors.Count == 0)
                continue;
            var value = entry.AttemptedValue;
            entry.Errors.Clear();
            entry.Errors.Add(string.IsNullOrEmpty(value)
                ? localizer["A value is required."]
                : localizer["\"{0}\" is not a valid value.", value]);
        }
    }
}
