using BenchmarkDotNet.Running;
using Studio.Bench;

// One program, three kinds of measurement (see bench/README.md):
//   resolution [BenchmarkDotNet args]  TenantTable.Match with 10 and 10,000 tenants
//   tenant-query [BenchmarkDotNet args] the operator's tenant list query over 10,000 tenants
//   memory [count]                     retained managed bytes per registered, inactive tenant
//   activation [count]                 cold activation of tenants through the real host, SQLite (+ PostgreSQL)
//   bookings [iterations] [workers]    availability over 90 days with 10,000 bookings; booking throughput under contention
var mode = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
switch (mode)
{
    case "resolution":
        BenchmarkRunner.Run<TenantResolutionBenchmarks>(args: rest);
        return 0;
    case "tenant-query":
        BenchmarkRunner.Run<TenantQueryBenchmarks>(args: rest);
        return 0;
    case "memory":
        return await MemoryMode.RunAsync(rest);
    case "activation":
        return await ActivationMode.RunAsync(rest);
    case "bookings":
        return await BookingsMode.RunAsync(rest);
    default:
        Console.Error.WriteLine("usage: Studio.Bench resolution [BenchmarkDotNet options] | tenant-query [BenchmarkDotNet options] | memory [tenants] | activation [tenants] | bookings [iterations] [workers]");
        return 2;
}
