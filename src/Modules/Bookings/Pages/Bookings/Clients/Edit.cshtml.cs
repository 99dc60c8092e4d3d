using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>
/// One client: edit the record; a company's member contacts (find a person, add with a role, change the role,
/// remove); the companies a person belongs to; dated notes. Every form works without JavaScript.
/// </summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class EditModel(ClientDirectory directory, ClientRules rules, IBookingEngine bookings, TimeProvider clock, IStringLocalizer<EditModel> localizer) : PageModel
{
    public const int MaxFound = 20;

    public Client Client { get; private set; } = new();
    public IReadOnlyList<(ClientContact Contact, Client Person)> Members { get; private set; } = [];
    public IReadOnlyList<(ClientContact Contact, Client Company)> Companies { get; private set; } = [];
    public IReadOnlyList<ClientNote> Notes { get; private set; } = [];
    public IReadOnlyList<Client> Found { get; private set; } = [];
    /// <summary>The client's next sessions (soonest first) and latest past ones (latest first).</summary>
    public IReadOnlyList<Booking> Upcoming { get; private set; } = [];
    public IReadOnlyList<Booking> Past { get; private set; } = [];

    public const int SessionsShown = 10;

    [BindProperty] public ClientInput Input { get; set; } = new();
    [BindProperty] public string? NoteBody { get; set; }
    [BindProperty] public long PersonId { get; set; }
    [BindProperty] public string? Role { get; set; }
    /// <summary>Finds people to add as member contacts (GET ?find=…).</summary>
    [BindProperty(SupportsGet = true)] public string? Find { get; set; }

    [TempData] public string? Message { get; set; }

    private AuditActor Actor => AuditActor.FromPrincipal(User, AuditActor.Anonymous);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Input = ClientInput.From(Client);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var client = Input.ToClient(Client);
        if (client is null)
        {
            ModelState.AddModelError("Input.DefaultDepositPercent", localizer["The default deposit must be a whole number between 0 and 100."]);
            return Page();
        }
        if (ClientPageErrors.AddAll(ModelState, rules, client))
            return Page();
        return await RunAsync(async () =>
        {
            await directory.SaveAsync(client, Actor, cancellationToken);
            return localizer["Client saved."];
        }, id);
    }

    public async Task<IActionResult> OnPostNoteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Input = ClientInput.From(Client);
        return await RunAsync(async () =>
        {
            await directory.AddNoteAsync(id, NoteBody ?? "", Actor, cancellationToken);
            return localizer["Note added."];
        }, id, "NoteBody");
    }

    public async Task<IActionResult> OnPostAddContactAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Input = ClientInput.From(Client);
        return await RunAsync(async () =>
        {
            await directory.SetContactAsync(new ClientContact(id, PersonId, Role ?? ""), Actor, cancellationToken);
            return localizer["Member contact saved."];
        }, id, "Role");
    }

    public async Task<IActionResult> OnPostRemoveContactAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Input = ClientInput.From(Client);
        return await RunAsync(async () =>
        {
            await directory.RemoveContactAsync(id, PersonId, Actor, cancellationToken);
            return localizer["Member contact removed."];
        }, id);
    }

    private async Task<IActionResult> RunAsync(Func<Task<string>> work, long id, string? prefix = null)
    {
        try
        {
            Message = await work();
            return Redirect(Url.Content($"~/studio/clients/{id}"));
        }
        catch (BookingValidationException e)
        {
            if (prefix is null)
                ClientPageErrors.Add(ModelState, e);
            else
                ModelState.AddModelError(prefix, e.Message);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await directory.GetAsync(id, cancellationToken) is not { } client)
            return false;
        Client = client;
        Notes = await directory.ListNotesAsync(id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        Upcoming = await bookings.ListAsync(new BookingQuery(FromUtc: now, ClientId: id, Limit: SessionsShown), cancellationToken);
        Past = (await bookings.ListAsync(new BookingQuery(ToUtc: now, ClientId: id, Limit: 500), cancellationToken))
            .Where(b => b.EndUtc <= now).OrderByDescending(b => b.StartUtc).Take(SessionsShown).ToList();
        if (client.Kind == "company")
        {
            var members = new List<(ClientContact, Client)>();
            foreach (var contact in await directory.ListContactsAsync(id, cancellationToken))
                if (await directory.GetAsync(contact.PersonId, cancellationToken) is { } person)
                    members.Add((contact, person));
            Members = members;
            if (!string.IsNullOrWhiteSpace(Find))
            {
                var text = Find.Trim();
                var page = await directory.SearchAsync(text.Length > 200 ? text[..200] : text, "person", 1, MaxFound, cancellationToken);
                Found = page.Items.Where(p => members.All(m => m.Item1.PersonId != p.Id)).ToList();
            }
        }
        else
        {
            var companies = new List<(ClientContact, Client)>();
            foreach (var contact in await directory.ListCompaniesOfAsync(id, cancellationToken))
                if (await directory.GetAsync(contact.CompanyId, cancellationToken) is { } company)
                    companies.Add((contact, company));
            Companies = companies;
        }
        return true;
    }
}
