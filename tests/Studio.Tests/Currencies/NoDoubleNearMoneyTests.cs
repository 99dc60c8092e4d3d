using System.Reflection;
using System.Text.RegularExpressions;

namespace Studio.Tests.Currencies;

/// <summary>
/// "No double anywhere near money": binary floating point cannot hold 0.10 exactly, so money is always decimal
/// (Studio.Currencies.Money). Two checks, each proven to bite on a planted example first:
/// <list type="bullet">
/// <item>reflection over every Studio assembly: no <c>double</c>/<c>float</c> field, property, parameter or return
/// value whose name has a money word (price, amount, rate, fee, total, deposit, money, cost, charge, balance);
/// async/iterator state machines are included, so a local of an async method is checked too;</item>
/// <item>a source scan of src/: in every file that deals with money (uses <c>Money</c> or <c>decimal</c>), no
/// <c>(double)</c>/<c>(float)</c> cast, no <c>double</c>/<c>float</c> declaration, no <c>Convert.ToDouble</c>.</item>
/// </list>
/// </summary>
public sealed partial class NoDoubleNearMoneyTests
{
    private static readonly string[] MoneyWords = ["price", "prices", "amount", "amounts", "rate", "rates", "fee", "fees", "total", "totals",
        "deposit", "deposits", "money", "cost", "costs", "charge", "charges", "balance", "owed", "subtotal"];

    // ---------------------------------------------------------------- reflection

    /// <summary>Members of <paramref name="types"/> typed double/float whose name contains a money word.</summary>
    internal static List<string> FloatingMoneyMembers(IEnumerable<Type> types)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<string>();
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(all))
                Check(field.FieldType, field.Name, $"{type.FullName}.{field.Name} (field)");
            foreach (var property in type.GetProperties(all))
                Check(property.PropertyType, property.Name, $"{type.FullName}.{property.Name} (property)");
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var parameter in method.GetParameters())
                    Check(parameter.ParameterType, parameter.Name ?? "", $"{type.FullName}.{method.Name}({parameter.Name}) (parameter)");
                if (method is MethodInfo info && IsMoneyName(method.Name) && IsFloating(info.ReturnType))
                    found.Add($"{type.FullName}.{method.Name} (returns {info.ReturnType.Name})");
            }
        }
        return found;

        void Check(Type memberType, string name, string where)
        {
            if (IsFloating(memberType) && IsMoneyName(name))
                found.Add(where);
        }
    }

    private static bool IsFloating(Type type)
    {
        type = type.IsByRef ? type.GetElementType()! : type;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
            type = type.GetElementType()!;
        return type == typeof(double) || type == typeof(float) || type == typeof(Half);
    }

    /// <summary>True when the identifier (camelCase/PascalCase/snake_case; compiler names like &lt;total&gt;5__2 too) has a money word.</summary>
    internal static bool IsMoneyName(string name) =>
        WordRegex().Matches(name).Select(m => m.Value.ToLowerInvariant()).Any(w => MoneyWords.Contains(w));

    [GeneratedRegex("[A-Z]?[a-z]+|[A-Z]+(?![a-z])")]
    private static partial Regex WordRegex();

    private static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.Where(t => t is not null)!; }
    }

    private static IReadOnlyList<Assembly> StudioAssemblies()
    {
        var assemblies = Directory.GetFiles(AppContext.BaseDirectory, "Studio.*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("Studio.Tests", StringComparison.Ordinal))
            .Select(f => Assembly.LoadFrom(f))
            .ToList();
        Assert.Contains(assemblies, a => a.GetName().Name == "Studio.Host");
        Assert.Contains(assemblies, a => a.GetName().Name == "Studio.Modules.Bookings");
        Assert.Contains(assemblies, a => a.GetName().Name == "Studio.Modules.Currencies");
        Assert.Contains(assemblies, a => a.GetName().Name == "Studio.Abstractions");
        return assemblies;
    }

    /// <summary>A planted offender: what the reflection check must find.</summary>
    private sealed class PlantedInvoice
    {
        public double TotalPrice { get; set; }
        public float taxRate = 0.2f;
        public static decimal Fine(decimal amount, double hours) => amount * (decimal)hours;
        public static double? DepositFor(double amount) => amount;
        public static async Task<int> LocalsToo()
        {
            double total = 0.1;
            await Task.Yield();
            return (int)total;
        }
    }

    [Fact]
    public void The_reflection_check_finds_a_planted_double_price()
    {
        var found = FloatingMoneyMembers([typeof(PlantedInvoice), .. typeof(PlantedInvoice).GetNestedTypes(BindingFlags.NonPublic)]);
        Assert.Contains(found, f => f.EndsWith("PlantedInvoice.TotalPrice (property)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.EndsWith("PlantedInvoice.taxRate (field)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.EndsWith("PlantedInvoice.DepositFor(amount) (parameter)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.EndsWith("PlantedInvoice.DepositFor (returns Nullable`1)", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("<total>", StringComparison.Ordinal)); // the async method's local
        Assert.DoesNotContain(found, f => f.Contains("Fine(hours)", StringComparison.Ordinal)); // hours are no money word
        Assert.True(IsMoneyName("HourlyRate") && IsMoneyName("deposit_percent") && IsMoneyName("PRICE"));
        Assert.False(IsMoneyName("Generated") || IsMoneyName("Operator") || IsMoneyName("Separate") || IsMoneyName("Ratio"));
    }

    [Fact]
    public void No_Studio_assembly_has_a_double_or_float_named_like_money()
    {
        var found = StudioAssemblies().SelectMany(TypesOf).ToList() is var types ? FloatingMoneyMembers(types) : [];
        Assert.True(found.Count == 0, "double/float near money (use decimal or Studio.Currencies.Money):\n" + string.Join("\n", found));
    }

    // ---------------------------------------------------------------- source scan

    /// <summary>Offending lines ("file:line: text") of one source file that deals with money.</summary>
    internal static List<string> FloatingInMoneyCode(string file, string source)
    {
        var found = new List<string>();
        if (!MoneyCodeRegex().IsMatch(source))
            return found;
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var code = CommentRegex().Replace(line, "");
            if (FloatingRegex().IsMatch(code))
                found.Add($"{file}:{i + 1}: {line.Trim()}");
        }
        return found;
    }

    [GeneratedRegex(@"\bMoney\b|\bdecimal\b")]
    private static partial Regex MoneyCodeRegex();

    // A cast, a declaration (type then a name, incl. nullable/array and `double d =>` patterns, but not the type
    // patterns `double or float`), a generic argument, a conversion to binary floating point, or a d/f literal.
    [GeneratedRegex(@"\((double|float|Half)\)|\b(double|float|Half)(\?|\[\])?\s+(?!(or|and|not|when)\b)[A-Za-z_@]|<\s*(double|float)\s*[,>]|\bConvert\.To(Double|Single)\b|\b\d+(\.\d+)?[dDfF]\b")]
    private static partial Regex FloatingRegex();

    [GeneratedRegex(@"//.*$|""(?:[^""\\]|\\.)*""")]
    private static partial Regex CommentRegex();

    [Fact]
    public void The_source_scan_finds_planted_floating_point_in_money_code()
    {
        const string planted = """
            public sealed class Invoice
            {
                public decimal Total { get; set; }
                public double Discount;                     // a declaration
                public decimal Net() => Total - (decimal)(double)Total * 0.1m;   // a cast
                public float? Tip { get; set; }
                public List<double> Lines = [];
                public decimal Vat => Total * (decimal)Convert.ToDouble("0.2");
                public decimal Round => Total * 1.5d;
                public decimal Read(object v) => v switch { double d => (decimal)d, _ => 0m };
                public bool IsNumber(object v) => v is double or float;
                // double in a comment is fine, and "double x" in a string too
            }
            """;
        var found = FloatingInMoneyCode("Planted.cs", planted);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10], found.Select(f => int.Parse(f.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        // A file with no money in it is not this check's business (durations, coordinates, ratios…).
        Assert.Empty(FloatingInMoneyCode("Geometry.cs", "public double Width; var x = (double)y;"));
    }

    [Fact]
    public void No_money_source_file_uses_double_or_float()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Studio.sln")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        var src = Path.Combine(dir.FullName, "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("BookingPricing.cs", StringComparison.Ordinal));
        var found = files.SelectMany(f => FloatingInMoneyCode(Path.GetRelativePath(dir.FullName, f), File.ReadAllText(f))).ToList();
        Assert.True(found.Count == 0, "double/float in code that handles money (use decimal or Studio.Currencies.Money):\n" + string.Join("\n", found));
    }
}
