using Studio.Host.Modules;

namespace Studio.Tests;

/// <summary>Validation of the module set and dependency closure, on hand-made manifests.</summary>
public sealed class FeatureCatalogTests
{
    internal sealed class ManualModuleSource(params ModuleDescriptor[] modules) : IModuleSource
    {
        public IReadOnlyList<ModuleDescriptor> GetModules() => modules;

        public IReadOnlyList<ThemeDescriptor> GetThemes() => [];
    }

    internal static ModuleDescriptor Module(string name, params (string Id, string[] Dependencies)[] features) =>
        new(name, null, features.Select(f => new FeatureDescriptor(f.Id, f.Id, "", "Tests", f.Dependencies, false, false, name)).ToList());

    [Fact]
    public void Valid_set_orders_dependencies_first_and_computes_closures()
    {
        var catalog = new FeatureCatalog(new ManualModuleSource(
            Module("Sms", ("Sms", ["Core"]), ("Sms.Bookings", ["Sms", "Bookings"])),
            Module("Bookings", ("Bookings", ["Core"])),
            Module("Core", ("Core", []))));
        var order = catalog.OrderedFeatures.Select(f => f.Id).ToList();
        Assert.True(order.IndexOf("Core") < order.IndexOf("Sms"));
        Assert.True(order.IndexOf("Sms") < order.IndexOf("Sms.Bookings"));
        Assert.True(order.IndexOf("Bookings") < order.IndexOf("Sms.Bookings"));
        Assert.Equal(new HashSet<string> { "Core", "Bookings", "Sms", "Sms.Bookings" }, catalog.WithDependencies(["Sms.Bookings"]).ToHashSet());
        Assert.Equal(new HashSet<string> { "Bookings", "Sms.Bookings" }, catalog.WithDependents(["Bookings"]).ToHashSet());
        Assert.Equal(new HashSet<string> { "Core", "Sms", "Bookings", "Sms.Bookings" }, catalog.WithDependents(["Core"]).ToHashSet());
        var closure = catalog.WithDependencies(["Sms.Bookings"]);
        Assert.True(closure.ToList().IndexOf("Core") < closure.ToList().IndexOf("Sms.Bookings"));
    }

    [Fact]
    public void Missing_dependency_names_the_module_the_feature_and_the_missing_id()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => new FeatureCatalog(new ManualModuleSource(
            Module("Core", ("Core", [])),
            Module("Invoices", ("Invoices", ["Core", "Payments"])))));
        Assert.Contains("Module 'Invoices'", e.Message);
        Assert.Contains("'Payments'", e.Message);
        Assert.Contains("missing dependency", e.Message);
    }

    [Fact]
    public void Dependency_cycle_names_the_module_and_the_cycle()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => new FeatureCatalog(new ManualModuleSource(
            Module("Alpha", ("A", ["B"])),
            Module("Beta", ("B", ["C"])),
            Module("Gamma", ("C", ["A"])))));
        Assert.Matches("Module '(Alpha|Beta|Gamma)'", e.Message);
        Assert.Contains("dependency cycle", e.Message);
        Assert.Contains("A -> B -> C -> A", e.Message);
    }

    [Fact]
    public void Self_dependency_is_a_cycle()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => new FeatureCatalog(new ManualModuleSource(Module("Loop", ("L", ["L"])))));
        Assert.Contains("Module 'Loop'", e.Message);
        Assert.Contains("dependency cycle", e.Message);
    }

    [Fact]
    public void Duplicate_feature_id_names_both_modules()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => new FeatureCatalog(new ManualModuleSource(
            Module("Bookings", ("Studio.Bookings", [])),
            Module("BookingsFork", ("Studio.Bookings", [])))));
        Assert.Contains("'BookingsFork'", e.Message);
        Assert.Contains("'Bookings'", e.Message);
        Assert.Contains("'Studio.Bookings'", e.Message);
        Assert.Contains("duplicate feature id", e.Message);
    }

    [Fact]
    public void Module_without_features_is_refused()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => new FeatureCatalog(new ManualModuleSource(Module("Empty"))));
        Assert.Contains("Module 'Empty'", e.Message);
    }

    [Fact]
    public void Unknown_feature_in_a_closure_is_reported_by_id()
    {
        var catalog = new FeatureCatalog(new ManualModuleSource(Module("Core", ("Core", []))));
        var e = Assert.Throws<UnknownFeatureException>(() => catalog.WithDependencies(["Nope"]));
        Assert.Equal("Nope", e.FeatureId);
        Assert.Contains("'Nope'", e.Message);
    }
}
