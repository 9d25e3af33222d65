using System.Diagnostics;
using BenchmarkDotNet.Running;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Perf;

// `dotnet run -c Release --project perf/GpuDiff.Perf` prints the throughput table;
// `... -- bdn` runs the BenchmarkDotNet suite instead.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkRunner.Run<HostBackendBenchmarks>(args: args[1..]);
    return;
}

const double BandwidthBytesPerSecond = 10e9; // assumed host DRAM write bandwidth for the floor column
using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
Console.WriteLine($"host backend: {engine.Device}; baseline: hand-written analytic derivatives, Parallel.For, same process");
Console.WriteLine($"{"workload",-34} {"points",9} {"GpuDiff pts/s",14} {"analytic pts/s",15} {"ratio",6} {"floor pts/s",12}");

Row("W1 2x2 Jacobian", 1_000_000, 2, 4, x => engine.Jacobian(new SeedTwoByTwo(), x), (x, p, o) => AnalyticBaselines.SeedJacobian(x, o[0], p), 4);
Row("W2 Rosenbrock n=8 grad+Hessian", 100_000, 8, 8 + 64, x => { engine.Gradient(new Rosenbrock(8), x); engine.Hessian(new Rosenbrock(8), x); },
    (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], 8, p), 8, 64);
Row("W2 Rosenbrock n=64 grad+Hessian", 10_000, 64, 64 + 4096, x => { engine.Gradient(new Rosenbrock(64), x); engine.Hessian(new Rosenbrock(64), x); },
    (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], 64, p), 64, 4096);
Row("W3 6-link arm Jacobian", 1_000_000, 6, 18, x => engine.Jacobian(new PlanarArm6(), x), (x, p, o) => AnalyticBaselines.ArmJacobian(x, o[0], p), 18);
Row("W4 Brown n=32 Jacobian", 10_000, 32, 1024, x => engine.Jacobian(new BrownAlmostLinear(32), x), (x, p, o) => AnalyticBaselines.BrownJacobian(x, o[0], 32, p), 1024);

void Row(string name, int points, int n, int outDoubles, Action<double[]> gpudiff, Action<double[], long, double[][]> analytic, params int[] outStrides)
{
    var random = new Random(42);
    var x = new double[(long)points * n];
    for (long i = 0; i < x.Length; i++) x[i] = 2 * random.NextDouble() - 1;
    var outputs = outStrides.Select(s => new double[(long)points * s]).ToArray();
    double ours = Best(() => gpudiff(x));
    double theirs = Best(() => Parallel.For(0L, points, p => analytic(x, p, outputs)));
    double floor = BandwidthBytesPerSecond / (8.0 * outDoubles);
    Console.WriteLine($"{name,-34} {points,9:N0} {points / ours,14:N0} {points / theirs,15:N0} {theirs / ours,6:F2} {floor,12:N0}");
}

static double Best(Action run)
{
    run(); // warm-up: JIT and first-touch of the result pages
    double best = double.MaxValue;
    for (int i = 0; i < 5; i++)
    {
        var sw = Stopwatch.StartNew();
        run();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    return best;
}
