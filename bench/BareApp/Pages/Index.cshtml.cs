using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BareApp.Pages;

public class IndexModel : PageModel
{
    /// <summary>Cards of the home page: the same kind of content as the Studio home page's navigation cards.</summary>
    public IReadOnlyList<(string Text, string Url)> Links { get; } = [("Privacy", "/Privacy")];

    public void OnGet()
    {
    }
}
