using BenchmarkDotNet.Running;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Perf;

// `dotnet run -c Release --project perf/GpuDiff.Perf [-- backend]` prints the throughput table
// (host by default); `... -- bdn` runs the BenchmarkDotNet suite instead.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromTypes([typeof(WorkloadBenchmarks), typeof(SparseWorkloadBenchmarks)]).Run(args[1..]);
    return;
}

var backend = args.Length > 0 ? BackendNames.Parse(args[0], "backend argument") : BackendKind.Host;
using var engine = new DerivativeEngine(new EngineOptions { Backend = backend });
ThroughputTable.Print(engine, Console.Out);
