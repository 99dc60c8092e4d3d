using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Data;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// Saves a changed tenant record (version-checked), applies it to this instance, and then tells the tenant's <see cref="ITenantChangeObserver"/>s what changed.
/// The shell that ran before the change is leased before the save, so a feature being disabled (the audit trail
/// itself) still records its own disabling; when that shell had no observers, the new shell's are used.
/// Only a Running tenant is told: a disabled or initialising one has no shell to run observers in. A change that
/// disables the tenant is told only to a shell already active, and a tenant that fails to activate is changed
/// anyway: the operator can always switch off or edit a tenant that cannot start.
/// </summary>
public sealed class TenantChangeNotifier(ITenantStore store, ShellHost shells, ILogger<TenantChangeNotifier> logger)
{
    /// <summary>Saves <paramref name="changed"/> over <paramref name="current"/>, applies it and notifies the observers.</summary>
    /// <exception cref="TenantConcurrencyException">The tenant changed since <paramref name="current"/> was read.</exception>
    public async Task<TenantRecord> SaveAsync(TenantRecord current, TenantRecord changed, CancellationToken cancellationToken)
    {
        TenantShell? before;
        if (changed.State == TenantState.Running)
        {
            (before, var failed) = await TryAcquireAsync(current, cancellationToken);
            if (failed)
                (current, changed) = await RebaseAsync(current, changed, cancellationToken);
        }
        else
        {
            // A change that stops the tenant (disabling it) never activates it: the operator must be able to switch
            // off a tenant that cannot start. Only a shell that is already running hears about it.
            before = shells.TryAcquireActive(current.Name);
        }
        try
        {
            var saved = await store.UpdateAsync(changed, cancellationToken);
            shells.Apply(saved);
            var change = Describe(current, saved);
            if (change is null || before is null)
                return saved;
            if (!await NotifyAsync(before, change, cancellationToken) && saved.State == TenantState.Running)
            {
                var (after, _) = await TryAcquireAsync(saved, cancellationToken);
                if (after is not null)
                {
                    try { await NotifyAsync(after, change, cancellationToken); }
                    finally { after.Leave(); }
                }
            }
            return saved;
        }
        finally { before?.Leave(); }
    }

    /// <summary>The fields that differ between two records, or null when nothing an observer cares about changed.</summary>
    public static TenantChange? Describe(TenantRecord before, TenantRecord after)
    {
        var old = Snapshot(before);
        var now = Snapshot(after);
        var changed = old.Keys.Where(k => JsonSerializer.Serialize(old[k].Compare) != JsonSerializer.Serialize(now[k].Compare)).ToList();
        if (changed.Count == 0)
            return null;
        var action = changed switch
        {
            ["Features"] => "tenant.features.changed",
            ["Brand"] => "tenant.brand.changed",
            ["Theme"] => "tenant.theme.changed",
            ["Settings"] => "tenant.settings.changed",
            _ when changed.All(k => k is "State" or "Error") => "tenant.state.changed",
            _ => "tenant.updated",
        };
        return new TenantChange(action, after.Name,
            changed.ToDictionary(k => k, k => old[k].Shown), changed.ToDictionary(k => k, k => now[k].Shown));
    }

    // Compare is what decides "changed"; Shown is what observers get (the connection string is never handed out).
    private static Dictionary<string, (object? Compare, object? Shown)> Snapshot(TenantRecord t) => new()
    {
        ["DisplayName"] = (t.DisplayName, t.DisplayName),
        ["State"] = (t.State.ToString(), t.State.ToString()),
        ["Error"] = (t.Error, t.Error),
        ["Hosts"] = (t.Hosts, t.Hosts),
        ["PrimaryHost"] = (t.PrimaryHost, t.PrimaryHost),
        ["Prefix"] = (t.Prefix, t.Prefix),
        ["ConnectionString"] = (t.ConnectionString, t.ConnectionString is null ? null : "***"),
        ["Features"] = (t.Features, t.Features),
        ["Theme"] = (t.Theme, t.Theme),
        ["Brand"] = (t.Brand, t.Brand),
        ["Culture"] = (t.Culture, t.Culture),
        ["TimeZone"] = (t.TimeZone, t.TimeZone),
        ["Settings"] = (t.SettingsJson, ParseSettings(t.SettingsJson)),
    };

    private static JsonNode? ParseSettings(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return json; }
    }

    /// <summary>The tenant's shell (activated if needed), or null; <c>Failed</c> when activating it failed.</summary>
    private async Task<(TenantShell? Shell, bool Failed)> TryAcquireAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        if (tenant.State != TenantState.Running)
            return (null, false);
        try { return (await shells.AcquireAsync(tenant, cancellationToken), false); }
        catch (MigrationException)
        {
            // The shell host has disabled the tenant and logged why; there is no shell to notify.
            return (null, true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever stops the tenant from starting (a master key that does not match its keys, its database
            // away) must not stop the operator from changing it: the change is saved without telling observers.
            logger.LogWarning(e, "Tenant {Tenant} could not be activated to notify its observers of a change; saving the change anyway", tenant.Name);
            return (null, true);
        }
    }

    /// <summary>
    /// A failed activation may have disabled the tenant (saving a new version) under the operator's change: the
    /// change is then applied over that record, keeping the recorded failure unless the change itself sets the state.
    /// Anything else that changed meanwhile is a real conflict, left to the store to refuse.
    /// </summary>
    private async Task<(TenantRecord Current, TenantRecord Changed)> RebaseAsync(TenantRecord current, TenantRecord changed, CancellationToken cancellationToken)
    {
        var latest = await store.FindAsync(current.Name, cancellationToken);
        if (latest is null || latest.Version == current.Version || Describe(current, latest)?.Action != "tenant.state.changed")
            return (current, changed);
        var stateUntouched = changed.State == current.State && changed.Error == current.Error;
        return (latest, changed with
        {
            Version = latest.Version,
            Revision = latest.Revision,
            State = stateUntouched ? latest.State : changed.State,
            Error = stateUntouched ? latest.Error : changed.Error,
        });
    }

    private async Task<bool> NotifyAsync(TenantShell shell, TenantChange change, CancellationToken cancellationToken)
    {
        await using var scope = shell.Services.CreateAsyncScope();
        var observers = scope.ServiceProvider.GetServices<ITenantChangeObserver>().ToList();
        foreach (var observer in observers)
        {
            try { await observer.OnTenantChangedAsync(change, cancellationToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The change is saved and applied; a failing observer must not make it look as if it were not.
                logger.LogError(e, "Observer {Observer} failed on {Action} of tenant {Tenant}", observer.GetType().Name, change.Action, change.Tenant);
            }
        }
        return observers.Count > 0;
    }
}
