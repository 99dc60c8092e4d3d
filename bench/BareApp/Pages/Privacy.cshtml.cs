using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BareApp.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

