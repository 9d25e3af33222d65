using BenchmarkDotNet.Attributes;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Perf;

/// <summary>
/// BenchmarkDotNet view of the table's sparse rows: W2 as a sum of elements (n = 8 and 64) and W5's
/// banded Jacobian, each from a plan built once in the setup, against the analytic baseline.
/// </summary>
[MemoryDiagnoser]
public class SparseWorkloadBenchmarks
{
    private DerivativeEngine engine = null!;
    private double[] x = [];
    private double[][] outputs = [];
    private Action run = null!;
    private Action<double[], long, double[][]> analytic = null!;
    private int points;

    /// <summary>The workload of this run.</summary>
    [Params("W2-8-elements", "W2-64-elements", "W5")]
    public string Id { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        if (Id == "W5")
        {
            points = 20_000;
            x = PointGenerator.Uniform(points * 256L, ThroughputTable.Seed);
            var plan = engine.PlanSparse(SparseKind.Jacobian, new Bratu1D(256, 2.0), x);
            var values = new double[(long)points * plan.PointStride];
            outputs = [new double[values.LongLength]];
            run = () => plan.ComputeInto(x, values);
            analytic = (x, p, o) => AnalyticBaselines.BratuJacobian(x, o[0], 256, 2.0, p);
            return;
        }
        int n = Id == "W2-8-elements" ? 8 : 64;
        points = n == 8 ? 100_000 : 10_000;
        x = PointGenerator.Uniform((long)points * n, ThroughputTable.Seed);
        var sums = engine.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(n), x);
        var result = new double[(long)points * sums.PointStride];
        outputs = [new double[(long)points * n], new double[(long)points * n * n]];
        run = () => sums.ComputeInto(x, result);
        analytic = (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], n, p);
    }

    [Benchmark(Baseline = true)]
    public void Analytic() => Parallel.For(0L, points, p => analytic(x, p, outputs));

    [Benchmark]
    public void GpuDiff() => run();

    [GlobalCleanup]
    public void Cleanup() => engine.Dispose();
}
