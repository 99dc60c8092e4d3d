using Studio.Modules;

[assembly: Module("Currencies")]
[assembly: Feature(Studio.Currencies.CurrenciesFeature.Id, "Currencies",
    Description = "A base currency for prices, approximate prices in the visitor's currency from the ECB's daily reference rates, manual rates.",
    Category = "Studio", Dependencies = ["Studio.Audit"])]
