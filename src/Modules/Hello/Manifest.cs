using Studio.Modules;

// The worked example of docs/architecture.md ("write a module in 15 minutes"); integration tests use it too.
[assembly: Module("Hello")]
[assembly: Feature("Studio.Hello", "Hello",
    Description = "A guest book: visitors leave a greeting. The smallest complete module, kept as an example.",
    Category = "Examples")]
