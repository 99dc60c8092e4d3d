using Studio.Modules;

[assembly: Module("Domains")]
[assembly: Feature("Studio.Domains", "Custom domains",
    Description = "The studio owner's own host names: add one, prove it with a DNS TXT record, remove, choose the primary host the others redirect to.",
    Category = "Platform")]
