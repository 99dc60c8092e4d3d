using Studio.Modules;

// The test assembly is itself a module, discovered by the host like any other: it gives tests an endpoint they
// control (a gate to hold a request in flight), a dependent feature for closure tests, and a broken migration.
[assembly: Module("Probe")]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.Probe, "Probe",
    Description = "Test endpoints that report the tenant activation serving a request.", Category = "Tests")]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.Extra, "Probe extra",
    Description = "Depends on the probe, for dependency-closure tests.", Category = "Tests",
    Dependencies = [Studio.Tests.Probe.ProbeFeatures.Probe])]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.BrokenMigration, "Broken migration",
    Description = "Its migration fails on purpose.", Category = "Tests")]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.ThrowingMigration, "Throwing migration",
    Description = "Its migration throws an exception that is not a database error.", Category = "Tests")]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.FlakyMigration, "Flaky migration",
    Description = "Its migration meets a transient database error while FlakyMigration.Failures lasts.", Category = "Tests")]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.Always, "Probe always on",
    Description = "Enabled on every tenant, cannot be disabled.", Category = "Tests", AlwaysEnabled = true)]
[assembly: Feature(Studio.Tests.Probe.ProbeFeatures.OperatorOnly, "Probe for the operator",
    Description = "Only the Default tenant may have it.", Category = "Tests", DefaultTenantOnly = true)]
// Two features that subscribe to a test event (EventProbe.cs), for the event outbox tests. Listed after the
// probe's own: a type without [ForFeature] belongs to the module's first feature.
[assembly: Feature(Studio.Tests.Probe.EventProbe.FeatureA, "Event probe A",
    Description = "Subscribes a recording and a flaky handler to the test event.", Category = "Tests")]
[assembly: Feature(Studio.Tests.Probe.EventProbe.FeatureB, "Event probe B",
    Description = "Subscribes another recording handler to the test event.", Category = "Tests")]

namespace Studio.Tests.Probe;

/// <summary>Feature ids of the test module.</summary>
public static class ProbeFeatures
{
    public const string Probe = "Tests.Probe";
    public const string Extra = "Tests.Probe.Extra";
    public const string BrokenMigration = "Tests.BrokenMigration";
    public const string ThrowingMigration = "Tests.ThrowingMigration";
    public const string FlakyMigration = "Tests.FlakyMigration";
    public const string Always = "Tests.Probe.Always";
    public const string OperatorOnly = "Tests.Probe.OperatorOnly";
}
