using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Modules.Hello.Data;
using Studio.Modules.Hello.Services;
using Studio.Modules.Hello.Settings;

namespace Studio.Modules.Hello.Pages.Hello;

/// <summary>The guest book page.</summary>
public sealed class IndexModel(GreetingStore store, IOptions<HelloSettings> settings, IStringLocalizer<IndexModel> localizer) : PageModel
{
    [BindProperty]
    public GreetingInput Input { get; set; } = new();

    public IReadOnlyList<Greeting> Greetings { get; private set; } = [];

    public string Headline => settings.Value.Headline;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Greetings = await store.ListAsync(settings.Value.PageSize, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Input.Author) || Input.Author.Length > GreetingStore.MaxAuthor)
            ModelState.AddModelError("Input.Author", localizer["Please give your name (at most {0} characters).", GreetingStore.MaxAuthor]);
        if (string.IsNullOrWhiteSpace(Input.Message) || Input.Message.Length > GreetingStore.MaxMessage)
            ModelState.AddModelError("Input.Message", localizer["Please write a message (at most {0} characters).", GreetingStore.MaxMessage]);
        if (!ModelState.IsValid)
        {
            Greetings = await store.ListAsync(settings.Value.PageSize, cancellationToken);
            return Page();
        }
        await store.AddAsync(Input.Author!, Input.Message!, cancellationToken);
        return RedirectToPage();
    }

    public sealed class GreetingInput
    {
        [Display(Name = "Your name")]
        public string? Author { get; set; }

        [Display(Name = "Message")]
        public string? Message { get; set; }
    }
}
