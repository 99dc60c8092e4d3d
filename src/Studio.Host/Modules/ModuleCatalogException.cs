namespace Studio.Host.Modules;

/// <summary>A broken module set: stops start-up with a message naming the module and the problem.</summary>
public sealed class ModuleCatalogException(string message) : Exception(message);
