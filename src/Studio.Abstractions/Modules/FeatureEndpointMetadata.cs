namespace Studio.Modules;

/// <summary>
/// Endpoint metadata naming the feature an endpoint belongs to. The host adds it to every page and endpoint of
/// a module; an endpoint whose feature is not enabled on the current tenant answers 404.
/// </summary>
public sealed record FeatureEndpointMetadata(string FeatureId);
