using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Host.Modules;
using Studio.Tests.Infrastructure;
using static Studio.Tests.FeatureCatalogTests;

namespace Studio.Tests;

/// <summary>A broken module set stops the host's start-up with an error naming the module and the problem.</summary>
public sealed class BrokenManifestTests
{
    /// <summary>The installed modules and themes plus hand-made broken ones.</summary>
    private sealed class BrokenModuleSource(params ModuleDescriptor[] extra) : IModuleSource
    {
        private readonly AssemblyModuleSource _installed = new();

        public IReadOnlyList<ModuleDescriptor> GetModules() => [.. _installed.GetModules(), .. extra];

        public IReadOnlyList<ThemeDescriptor> GetThemes() => _installed.GetThemes();
    }

    /// <summary>The installed modules and themes without one module, as a build that lost its folder would have them.</summary>
    private sealed class IncompleteModuleSource(string withoutModule) : IModuleSource
    {
        private readonly AssemblyModuleSource _installed = new();

        public IReadOnlyList<ModuleDescriptor> GetModules() => _installed.GetModules().Where(m => m.Name != withoutModule).ToList();

        public IReadOnlyList<ThemeDescriptor> GetThemes() => _installed.GetThemes();
    }

    private static Task<ModuleCatalogException> StartupFailureAsync(params ModuleDescriptor[] broken) =>
        StartupFailureAsync(new BrokenModuleSource(broken));

    private static async Task<ModuleCatalogException> StartupFailureAsync(IModuleSource source, string? defaultTheme = null)
    {
        await using var factory = new StudioFactory();
        var withBrokenModules = factory.WithWebHostBuilder(builder =>
        {
            if (defaultTheme is not null)
                builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(
                    new Dictionary<string, string?> { ["Studio:DefaultTheme"] = defaultTheme }));
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(source)));
        });
        var thrown = Record.Exception(() => withBrokenModules.CreateClient());
        Assert.NotNull(thrown);
        for (var e = thrown; e is not null; e = e.InnerException ?? (e as AggregateException)?.InnerExceptions.FirstOrDefault())
            if (e is ModuleCatalogException catalogError)
                return catalogError;
        throw new Xunit.Sdk.XunitException("Start-up failed, but not with a ModuleCatalogException: " + thrown);
    }

    [Fact]
    public async Task Missing_dependency_stops_startup_naming_the_module()
    {
        var e = await StartupFailureAsync(Module("Invoicing", ("Studio.Invoicing", ["Studio.Payments"])));
        Assert.Contains("Module 'Invoicing'", e.Message);
        Assert.Contains("'Studio.Payments'", e.Message);
        Assert.Contains("missing dependency", e.Message);
    }

    [Fact]
    public async Task Dependency_cycle_stops_startup_naming_the_module()
    {
        var e = await StartupFailureAsync(
            Module("Chicken", ("Studio.Chicken", ["Studio.Egg"])),
            Module("Egg", ("Studio.Egg", ["Studio.Chicken"])));
        Assert.Matches("Module '(Chicken|Egg)'", e.Message);
        Assert.Contains("dependency cycle", e.Message);
        Assert.Contains("Studio.Chicken", e.Message);
        Assert.Contains("Studio.Egg", e.Message);
    }

    [Fact]
    public async Task Duplicate_feature_id_across_two_modules_stops_startup_naming_both()
    {
        var e = await StartupFailureAsync(Module("HelloFork", ("Studio.Hello", [])));
        Assert.Contains("'HelloFork'", e.Message);
        Assert.Contains("'Hello'", e.Message);
        Assert.Contains("'Studio.Hello'", e.Message);
        Assert.Contains("duplicate feature id", e.Message);
    }

    [Theory]
    [InlineData("Settings", "Studio.Settings")]
    [InlineData("Tenants", "Studio.Tenants")]
    [InlineData("Api", "Studio.Api")]
    public async Task A_build_without_a_module_the_platform_requires_does_not_start_and_names_it(string module, string feature)
    {
        var e = await StartupFailureAsync(new IncompleteModuleSource(module));
        Assert.Contains($"module '{module}'", e.Message);
        Assert.Contains($"'{feature}'", e.Message);
        Assert.Contains("missing module", e.Message);
    }

    [Fact]
    public async Task A_default_theme_that_is_not_installed_stops_startup_naming_it()
    {
        var e = await StartupFailureAsync(new AssemblyModuleSource(), defaultTheme: "Nebula");
        Assert.Contains("'Nebula'", e.Message);
        Assert.Contains("missing theme", e.Message);
        Assert.Contains("'Aurora'", e.Message);
    }
}
