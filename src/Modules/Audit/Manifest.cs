using Studio.Modules;

[assembly: Module("Audit")]
[assembly: Feature("Studio.Audit", "Audit trail",
    Description = "An append-only, hash-chained record of administrative and security actions, with verify, filters, CSV export and retention.",
    Category = "Security")]
