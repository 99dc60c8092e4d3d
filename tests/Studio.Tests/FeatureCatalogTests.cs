using Studio.Host.Modules;

namespace Studio.Tests;

/// <summary>Validation of the module set and dependency closure, on hand-made manifests.</summary>
public sealed class FeatureCatalogTests
{
    internal sealed class ManualModuleSource(params ModuleDescriptor[] modules) : IModuleSource
    {
        public IReadOnlyList<ThemeDescriptor> Themes { get; init; } = [];

        public IReadOnlyList<ModuleDescriptor> GetModules() => modules;

        public IReadOnlyList<ThemeDescriptor> GetThemes() => Themes;
    }

    internal static ThemeDescriptor Theme(string id, string? baseTheme = null) => new(id, id, baseTheme, "", null);

    private static FeatureCatalog WithThemes(params ThemeDescriptor[] themes) =>
        new(new ManualModuleSource(Module("Core", ("Core", []))) { Themes = themes });

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

    [Fact]
    public void Theme_chain_runs_from_the_theme_through_its_base_themes()
    {
        var catalog = WithThemes(Theme("Dusk", "Midnight"), Theme("Midnight", "Aurora"), Theme("Aurora"));
        Assert.Equal(["Dusk", "Midnight", "Aurora"], catalog.ThemeChain("dusk"));
        Assert.Equal(["Aurora"], catalog.ThemeChain("Aurora"));
        Assert.Empty(catalog.ThemeChain("Nowhere"));
    }

    [Fact]
    public void Missing_base_theme_names_the_theme_and_the_missing_base()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => WithThemes(Theme("Aurora"), Theme("Midnight", "Twilight")));
        Assert.Contains("Theme 'Midnight'", e.Message);
        Assert.Contains("'Twilight'", e.Message);
        Assert.Contains("missing base theme", e.Message);
    }

    [Fact]
    public void Missing_base_theme_further_up_the_chain_names_the_theme_that_declares_it()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => WithThemes(Theme("Dusk", "Midnight"), Theme("Midnight", "Twilight")));
        Assert.Contains("Theme 'Midnight' extends 'Twilight'", e.Message);
        Assert.Contains("missing base theme", e.Message);
    }

    [Fact]
    public void Base_theme_cycle_names_a_theme_of_the_cycle()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => WithThemes(Theme("Day", "Night"), Theme("Night", "Dawn"), Theme("Dawn", "Day")));
        Assert.Matches("Theme '(Day|Night|Dawn)'", e.Message);
        Assert.Contains("base-theme cycle", e.Message);
    }

    [Fact]
    public void Theme_that_extends_itself_is_a_cycle()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => WithThemes(Theme("Aurora"), Theme("Loop", "loop")));
        Assert.Contains("Theme 'Loop'", e.Message);
        Assert.Contains("base-theme cycle", e.Message);
    }

    [Fact]
    public void Duplicate_theme_id_is_refused_whatever_its_case()
    {
        var e = Assert.Throws<ModuleCatalogException>(() => WithThemes(Theme("Aurora"), Theme("aurora")));
        Assert.Contains("'aurora'", e.Message);
        Assert.Contains("duplicate theme id", e.Message);
    }
}
