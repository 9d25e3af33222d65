using BenchmarkDotNet.Attributes;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Perf;

/// <summary>BenchmarkDotNet view of the W3 workload: GpuDiff's host backend against the analytic Jacobian.</summary>
[MemoryDiagnoser]
public class HostBackendBenchmarks
{
    private DerivativeEngine engine = null!;
    private double[] q = [];
    private double[] j = [];

    [Params(100_000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        var random = new Random(42);
        q = Enumerable.Range(0, Points * 6).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        j = new double[Points * 18];
    }

    [Benchmark(Baseline = true)]
    public void AnalyticArmJacobian() => Parallel.For(0L, Points, p => AnalyticBaselines.ArmJacobian(q, j, p));

    [Benchmark]
    public DerivativeResult GpuDiffArmJacobian() => engine.Jacobian(new PlanarArm6(), q);

    [GlobalCleanup]
    public void Cleanup() => engine.Dispose();
}
