using BenchmarkDotNet.Attributes;
using GpuDiff.Backends;
using GpuDiff.Engine;

namespace GpuDiff.Perf;

/// <summary>
/// BenchmarkDotNet view of the throughput table's dense workloads (W1-W4, the same list `gpudiff
/// bench` runs): GpuDiff's host backend against the analytic baseline and the dense dual.
/// </summary>
[MemoryDiagnoser]
public class WorkloadBenchmarks
{
    private DerivativeEngine engine = null!;
    private Workload workload = null!;
    private double[] x = [];
    private double[][] outputs = [];

    /// <summary>The workloads by id.</summary>
    public static IEnumerable<string> Ids => Workload.Dense.Select(w => w.Id);

    /// <summary>The workload of this run.</summary>
    [ParamsSource(nameof(Ids))]
    public string Id { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        workload = Workload.Of(Id);
        x = PointGenerator.Uniform((long)workload.Points * workload.Inputs, ThroughputTable.Seed);
        outputs = workload.OutStrides.Select(s => new double[(long)workload.Points * s]).ToArray();
    }

    [Benchmark(Baseline = true)]
    public void Analytic() => Parallel.For(0L, workload.Points, p => workload.Analytic(x, p, outputs));

    [Benchmark]
    public void DenseDual() => Parallel.For(0L, workload.Points, p => workload.DenseDual(x, p, outputs));

    [Benchmark]
    public void GpuDiff() => workload.GpuDiff(engine, x, outputs);

    [GlobalCleanup]
    public void Cleanup() => engine.Dispose();
}
