using Dapper;
using Studio.Data;
using Studio.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>IdP metadata could not be fetched or read; the message is localized and safe to show.</summary>
public sealed class SamlMetadataException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Fetches IdP metadata server-side (https, or http on loopback only; 10 s in all; at most
/// <see cref="SamlIdpMetadata.MaxBytes"/>; retries, backoff and a circuit breaker from the client's resilience pipeline) and refreshes the providers whose
/// metadata URL is due (<see cref="SamlProviderSettings.MetadataRefreshHours"/>). A refresh never changes the IdP's
/// entity id: that is a new provider, not a key rollover.
/// </summary>
public sealed class SamlMetadataFetcher(IHttpClientFactory clients, ISsoProviderStore providers, IAuditTrail audit, TimeProvider clock,
    IStringLocalizer<SamlMetadataFetcher> T, ILogger<SamlMetadataFetcher> logger, ITenantDatabase database)
{
    /// <summary>The last failed refresh of a provider's metadata (cleared by the next successful one).</summary>
    public sealed record RefreshFailure(string ProviderId, DateTime FailedUtc, string Error);

    public const string ClientName = "Studio.Sso.Metadata";

    /// <summary>The whole fetch (all attempts and the body) takes at most this long.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The metadata document at <paramref name="url"/>.</summary>
    public async Task<byte[]> FetchAsync(string url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            throw new SamlMetadataException(T["The metadata address must be an https address."]);
        // Retries, backoff, the circuit breaker and the 10 s limit up to the response headers are the client's
        // resilience pipeline (SamlServices); the body is read under the same 10 s limit and the size cap.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TotalTimeout);
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
                throw new SamlMetadataException(T["The metadata address answered {0}.", (int)response.StatusCode]);
            if (response.Content.Headers.ContentLength > SamlIdpMetadata.MaxBytes)
                throw new SamlMetadataException(T["The metadata is larger than {0} KB.", SamlIdpMetadata.MaxBytes / 1024]);
            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, limit.Token)) > 0)
            {
                if (buffer.Length + read > SamlIdpMetadata.MaxBytes)
                    throw new SamlMetadataException(T["The metadata is larger than {0} KB.", SamlIdpMetadata.MaxBytes / 1024]);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested &&
            e is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException or IOException)
        {
            // Unreachable, timed out (TimeoutRejectedException / cancellation by the limit) or the circuit is open.
            throw new SamlMetadataException(T["The metadata address could not be reached."], e);
        }
    }

    /// <summary>Fetches and reads the metadata at <paramref name="url"/> into <paramref name="settings"/>.</summary>
    public async Task<SamlProviderSettings> ImportAsync(string url, SamlProviderSettings settings, CancellationToken cancellationToken = default)
    {
        var xml = await FetchAsync(url, cancellationToken);
        try
        {
            return SamlIdpMetadata.Apply(xml, settings) with { MetadataUrl = url, MetadataFetchedUtc = clock.GetUtcNow().UtcDateTime };
        }
        catch (FormatException e)
        {
            throw new SamlMetadataException(T["The metadata could not be read: it must describe one SAML 2.0 identity provider with a signing certificate."], e);
        }
    }

    /// <summary>Refreshes every SAML provider whose metadata URL is due; returns how many changed.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var provider in await providers.ListAsync(cancellationToken))
        {
            if (provider.Saml is not { MetadataUrl: { Length: > 0 } url } saml ||
                (saml.MetadataFetchedUtc is { } fetched && fetched.AddHours(Math.Max(1, saml.MetadataRefreshHours)) > now))
                continue;
            try
            {
                var fresh = await ImportAsync(url, saml, cancellationToken);
                if (fresh.IdpEntityId != saml.IdpEntityId)
                    throw new SamlMetadataException(T["The metadata now names another identity provider; it was not applied."]);
                await providers.SaveAsync(provider with { Saml = fresh }, null, AuditActor.System, cancellationToken);
                await SetFailureAsync(provider.Id, null, cancellationToken);
                changed++;
            }
            catch (Exception e) when (e is SamlMetadataException or SsoValidationException)
            {
                // An expected operational event (the IdP is down, moved, answers garbage): one warning for the operator,
                // an audit entry and the admin page's status — the resilience pipeline's own telemetry stays below
                // Warning (SamlServices), so a dead IdP does not flood the logs with errors every round.
                logger.LogWarning("SAML metadata refresh of provider {Provider} failed: {Reason}", provider.Id, e.Message);
                await audit.RecordAsync(new AuditRecord(AuditActor.System, "sso.saml.metadata.refresh-failed", provider.Id,
                    After: new { url, error = e.Message }), cancellationToken);
                await SetFailureAsync(provider.Id, e.Message, cancellationToken);
            }
        }
        return changed;
    }

    /// <summary>The providers whose last metadata refresh failed (the admin page shows them).</summary>
    public async Task<IReadOnlyDictionary<string, RefreshFailure>> FailuresAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ProviderId, object FailedUtc, string Error)>(new CommandDefinition(
            "SELECT provider_id, failed_utc, error FROM sso_metadata_status", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.ProviderId, r => new RefreshFailure(r.ProviderId, StoredUtc.Read(r.FailedUtc), r.Error), StringComparer.Ordinal);
    }

    /// <summary>Records (or, with a null <paramref name="error"/>, clears) the last refresh failure of a provider.</summary>
    private async Task SetFailureAsync(string providerId, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (error is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sso_metadata_status WHERE provider_id = @providerId",
                new { providerId }, cancellationToken: cancellationToken));
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sso_metadata_status (provider_id, failed_utc, error) VALUES (@providerId, @now, @error) " +
            "ON CONFLICT (provider_id) DO UPDATE SET failed_utc = excluded.failed_utc, error = excluded.error",
            new { providerId, now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime), error = error.Length > 500 ? error[..500] : error },
            cancellationToken: cancellationToken));
    }
}

/// <summary>Refreshes due IdP metadata while the tenant is active (tenant setting <c>Sso:MetadataRefreshMinutes</c>, default 15; 0 off).</summary>
public sealed class SamlMetadataRefresher(IServiceProvider services, TimeSpan interval, TimeProvider clock, ILogger<SamlMetadataRefresher> logger)
    : TenantBackgroundLoop(clock, logger)
{
    protected override TimeSpan Interval { get; } = interval;

    protected override string RoundName => "SAML metadata refresh";

    // Activation itself needs no round: the first one comes an interval later.
    protected override bool WaitBeforeFirstRound => true;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SamlMetadataFetcher>().RefreshDueAsync(cancellationToken);
    }
}
