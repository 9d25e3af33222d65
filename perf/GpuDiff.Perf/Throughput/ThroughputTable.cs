using System.Diagnostics;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;
using GpuDiff.Sparsity;

namespace GpuDiff.Perf;

/// <summary>
/// The throughput table W1-W5: GpuDiff on one engine against hand-written analytic derivatives on
/// the host (Parallel.For, same process, same points), with the memory floor beside each row.
/// Shared by the perf runner and `gpudiff bench`.
/// </summary>
internal static class ThroughputTable
{
    /// <summary>The seed of the benchmark points; perf/peers.py uses the same.</summary>
    public const ulong Seed = 42;

    /// <summary>
    /// One measured row, as `gpudiff bench --json` writes it; DenseDualPps is null where the row has
    /// no dense-dual baseline, ResidentPps where it has no resident timing (points already on the
    /// device, results left there, as JAX's resident figures are timed).
    /// </summary>
    public sealed record Measurement(string Backend, string Workload, int Points, double GpudiffPps, double AnalyticPps, double FloorPps,
        double? DenseDualPps = null, double? ResidentPps = null);

    /// <summary>Prints the table for this engine and returns its rows; the points are the same on every run.</summary>
    public static List<Measurement> Print(DerivativeEngine engine, TextWriter output)
    {
        var rows = new List<Measurement>();
        double bandwidth = engine.MeasureResultBandwidth();
        deviceBandwidth = engine.MeasureDeviceBandwidth();
        output.WriteLine($"backend {engine.Backend}: {engine.Device}; result bandwidth {bandwidth / 1e9:F1} GB/s, device fill {deviceBandwidth / 1e9:F1} GB/s (measured)");
        var head = PointGenerator.Uniform(3, Seed);
        output.WriteLine($"points: SplitMix64 seed {Seed}, uniform in [-1, 1), starting {head[0]:R}, {head[1]:R}, {head[2]:R}");
        output.WriteLine("baselines: hand-written analytic derivatives, and a plain dense dual (all n partials in arrays), on the host, Parallel.For, same process; floor = bandwidth / result bytes per point");
        output.WriteLine("resident: the points already on the device and the results left there (DeviceArray), as JAX's resident figures are timed; its floor is the device fill bandwidth over the result bytes");
        if (engine.RoutesOnCpu)
            output.WriteLine($"auto: each row's call is repeated for {SettleSeconds:0.#} s and PoCL's background compiles awaited before the timed rounds, so a row times the routes a long run settles to (first calls: perf/RESULTS.md)");
        output.WriteLine($"{"workload",-34} {"points",9} {"GpuDiff pts/s",14} {"analytic pts/s",15} {"ratio",6} {"dense dual pts/s",17} {"ratio",6} {"floor pts/s",13} {"of floor",8} {"resident pts/s",15} {"of floor",8}");
        // Both sides write into buffers allocated once, outside the timing.
        Workload w1 = Workload.Of("W1"), w3 = Workload.Of("W3");
        Row(rows, engine, output, bandwidth, w1);
        var w1Text = TextModel(engine, output, "W1-text", W1Text, 2);
        Row(rows, engine, output, bandwidth, "W1-text 2x2 Jacobian, model text", 1_000_000, 2, (x, o) => engine.ComputeInto(DerivativeKind.Jacobian, w1Text, x, o[0]),
            w1.Analytic, w1.OutStrides, w1.OutStrides.Sum(), dense: w1.DenseDual);
        Row(rows, engine, output, bandwidth, Workload.Of("W2-8"));
        Row(rows, engine, output, bandwidth, Workload.Of("W2-64"));
        SparseRows(engine, rows, output, bandwidth);
        Row(rows, engine, output, bandwidth, w3);
        var w3Text = TextModel(engine, output, "W3-text", W3Text, 6);
        Row(rows, engine, output, bandwidth, "W3-text 6-link arm, model text", 1_000_000, 6, (x, o) => engine.ComputeInto(DerivativeKind.Jacobian, w3Text, x, o[0]),
            w3.Analytic, w3.OutStrides, w3.OutStrides.Sum(), dense: w3.DenseDual);
        Row(rows, engine, output, bandwidth, Workload.Of("W4"));
        Row(rows, engine, output, bandwidth, "W5 Bratu n=256 sparse Jacobian", 20_000, 256, (x, o) => w5!.ComputeInto(x, o[0]),
            (x, p, o) => AnalyticBaselines.BratuJacobian(x, o[0], 256, 2.0, p), [3 * 256 - 2], 3 * 256 - 2,
            (x, o) => ResidentSparse(engine, "W5", x, o[0], (dx, dr) => w5!.Compute(dx, dr)));
        if (Selected("sweep")) SweepStages.Print(engine, output, (1 << 22) * Scale);
        return rows;
    }

    private static SparsePlan<Bratu1D>? w5;
    private static double deviceBandwidth;

    /// <summary>GPUDIFF_BENCH_UNCHECKED=1 builds the sparse plans without the per-call pattern check, to show what it costs.</summary>
    private static bool Check => Environment.GetEnvironmentVariable("GPUDIFF_BENCH_UNCHECKED") != "1";

    /// <summary>
    /// The sparse rows: W2 with the Hessian's pattern detected (gradient dense, Hessian sparse) and W2
    /// as a sum of elements; each plan is built once, outside the timing, over the row's own points
    /// (detecting at the first where the model makes no decision), and checks every call's points
    /// against its pattern where the pattern may vary (the default). What building a plan costs is
    /// printed beside them.
    /// </summary>
    private static void SparseRows(DerivativeEngine engine, List<Measurement> rows, TextWriter output, double bandwidth)
    {
        foreach (var (n, points) in new[] { (8, 100_000), (64, 10_000) })
        {
            var x = PointGenerator.Uniform((long)points * n, Seed);
            if (Selected($"W2-{n}-sparse"))
            {
                var plan = Timed(output, $"W2-{n}-sparse plan", points, () => engine.PlanSparse(SparseKind.Hessian, new Rosenbrock(n), x, checkEachCall: Check));
                var hessians = new double[(long)points * plan.PointStride];
                Row(rows, engine, output, bandwidth, $"W2-{n}-sparse grad+Hessian, detected", points, n, (x, o) =>
                {
                    engine.ComputeInto(DerivativeKind.Gradient, new Rosenbrock(n), x, o[0]);
                    plan.ComputeInto(x, hessians);
                }, (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], n, p), [n, n * n], n + plan.PointStride,
                (x, _) =>
                {
                    using var gradients = engine.Allocate((long)points * n);
                    return ResidentSparse(engine, $"W2-{n}-sparse", x, hessians, (dx, dh) =>
                    {
                        engine.Compute(DerivativeKind.Gradient, new Rosenbrock(n), dx, destination: gradients);
                        plan.Compute(dx, dh);
                    });
                });
            }
            if (Selected($"W2-{n}-elements"))
            {
                var plan = Timed(output, $"W2-{n}-elements plan", points, () => engine.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(n), x, checkEachCall: Check));
                var sums = new double[(long)points * plan.PointStride];
                Row(rows, engine, output, bandwidth, $"W2-{n}-elements grad+Hessian, sum", points, n, (x, o) => plan.ComputeInto(x, sums),
                    (x, p, o) => AnalyticBaselines.RosenbrockGradientHessian(x, o[0], o[1], n, p), [n, n * n], plan.PointStride,
                    (x, _) => ResidentSparse(engine, $"W2-{n}-elements", x, sums, (dx, dr) => plan.Compute(dx, dr)));
            }
        }
        if (Selected("W5"))
        {
            var x = PointGenerator.Uniform(20_000L * 256, Seed);
            w5 = Timed(output, "W5 plan", 20_000, () => engine.PlanSparse(SparseKind.Jacobian, new Bratu1D(256, 2.0), x, checkEachCall: Check));
        }
    }

    private static SparsePlan<TModel> Timed<TModel>(TextWriter output, string what, int points, Func<SparsePlan<TModel>> build) where TModel : struct, IModel
    {
        var watch = Stopwatch.StartNew();
        var plan = build();
        string detection = plan.PatternMayVary ? $"detection over {points:N0} points" : "detection at one point (the model makes no decision)";
        output.WriteLine($"{what}: {detection} and colouring {watch.Elapsed.TotalMilliseconds:F1} ms, {plan.ColourCount} colours, {plan.Pattern.Nonzeros} entries" +
            (plan.ChecksEachCall ? ", each call checked" : ""));
        return plan;
    }

    /// <summary>W1's model (the seed's f(x, y) = [x^2 + y, x y]) as text: the same formula as SeedTwoByTwo.</summary>
    public const string W1Text = "input x, y\noutput f1 = x^2 + y\noutput f2 = x * y";

    /// <summary>W3's six-link arm as text, in PlanarArm6's order.</summary>
    public const string W3Text = """
        input q1, q2, q3, q4, q5, q6
        let a1 = q1; let a2 = a1 + q2; let a3 = a2 + q3; let a4 = a3 + q4; let a5 = a4 + q5; let a6 = a5 + q6
        output x = cos(a1) + cos(a2) + cos(a3) + cos(a4) + cos(a5) + cos(a6)
        output y = sin(a1) + sin(a2) + sin(a3) + sin(a4) + sin(a5) + sin(a6)
        output heading = a6
        """;

    /// <summary>
    /// Compiles a text model under a name of this backend (so nothing is cached from another
    /// backend's run) and prints what its first use costs: parse, emit and load, then the first
    /// call, which compiles the kernel for this backend.
    /// </summary>
    private static ModelLanguage.TextModel TextModel(DerivativeEngine engine, TextWriter output, string id, string text, int n)
    {
        var watch = Stopwatch.StartNew();
        var model = ModelLanguage.ModelText.Parse(text, $"{id}_{BackendNames.Name(engine.Backend)}_{Environment.ProcessId}");
        double parse = watch.Elapsed.TotalMilliseconds;
        if (!Selected(id + " ")) return model;
        watch.Restart();
        engine.ComputeInto(DerivativeKind.Jacobian, model, new double[n], new double[n * model.Outputs]);
        output.WriteLine($"{id} first use: parse, emit and load {parse:F1} ms; first Jacobian call (kernel compile) {watch.Elapsed.TotalMilliseconds:F0} ms");
        return model;
    }

    /// <summary>The workload's id in machine-readable output: W1, W2-8, W2-64, W3, W4.</summary>
    private static string Id(string name) => name.StartsWith("W2 Rosenbrock n=", StringComparison.Ordinal)
        ? "W2-" + name["W2 Rosenbrock n=".Length..].Split(' ')[0]
        : name.Split(' ')[0];

    /// <summary>A dense workload's row, with both baselines and its resident form.</summary>
    private static void Row(List<Measurement> rows, DerivativeEngine engine, TextWriter output, double bandwidth, Workload w) =>
        Row(rows, engine, output, bandwidth, w.Name, w.Points, w.Inputs, (x, o) => w.GpuDiff(engine, x, o), w.Analytic, w.OutStrides, w.OutStrides.Sum(),
            dense: w.DenseDual, resident: (x, o) => w.Resident(engine, x, o));

    /// <summary>
    /// A row whose sides may write different amounts (a sparse result against a dense baseline): the
    /// buffers have room for either, and the floor counts <paramref name="resultDoubles"/>, what GpuDiff writes.
    /// <paramref name="residentOf"/> times the row's resident form given the points and the in-memory
    /// outputs (a sparse row's own); <paramref name="resident"/> is a dense row's call on device arrays,
    /// whose row is scaled by GPUDIFF_BENCH_SCALE.
    /// </summary>
    private static void Row(List<Measurement> rows, DerivativeEngine engine, TextWriter output, double bandwidth, string name, int points, int n, Action<double[], double[][]> gpudiff,
        Action<double[], long, double[][]> analytic, int[] outStrides, int resultDoubles, Func<double[], double[][], double>? residentOf = null,
        Action<double[], long, double[][]>? dense = null, Action<DeviceArray, DeviceArray[]>? resident = null)
    {
        string backend = BackendNames.Name(engine.Backend);
        if (!Selected(name)) return;
        if (resident is not null) points *= Scale; // the sparse rows' plans hold their own point counts
        var x = PointGenerator.Uniform((long)points * n, Seed);
        var outputs = outStrides.Select(s => new double[(long)points * s]).ToArray();
        var ourOutputs = outStrides.Select(s => new double[(long)points * s]).ToArray();
        Settle(engine, () => gpudiff(x, ourOutputs));
        var (ours, theirs) = BestInterleaved(() => gpudiff(x, ourOutputs), () => Parallel.For(0L, points, p => analytic(x, p, outputs)));
        double? dual = dense is not null && Environment.GetEnvironmentVariable("GPUDIFF_BENCH_DENSE_DUAL") != "0"
            ? DenseDualRate(name, points, x, outputs, outStrides, dense)
            : null;
        double? residentTime = residentOf?.Invoke(x, ourOutputs);
        if (resident is not null)
        {
            using var dx = engine.Upload(x);
            var douts = outStrides.Select(st => engine.Allocate((long)points * st)).ToArray();
            residentTime = Best(() => resident(dx, douts));
            // The resident results must be the ones the timed in-memory call gave.
            for (int k = 0; k < douts.Length; k++)
            {
                RequireSameBits($"{name}, output {k}", ourOutputs[k], douts[k]);
                douts[k].Dispose();
            }
        }
        double floor = bandwidth / (8.0 * resultDoubles);
        string dualColumns = dual is double d ? $"{d,17:N0} {points / ours / d,6:F2}" : $"{"",17} {"",6}";
        string residentColumn = residentTime is double r ? $"{points / r,15:N0} {points / r / (deviceBandwidth / (8.0 * resultDoubles)),8:P0}" : "";
        output.WriteLine($"{name,-34} {points,9:N0} {points / ours,14:N0} {points / theirs,15:N0} {theirs / ours,6:F2} {dualColumns} {floor,13:N0} {points / ours / floor,8:P0} {residentColumn}");
        rows.Add(new Measurement(backend, Id(name), points, points / ours, points / theirs, floor, dual, points / residentTime));
    }

    // GPUDIFF_BENCH_DENSE_DUAL=0 leaves the dense-dual baseline out.
    private static readonly Dictionary<(string, int), double> DenseDualRates = [];

    /// <summary>
    /// The dense dual's points/s. It is host code whatever the backend, so it is timed once per
    /// process and row, and over as many of the row's points as take about a second (a probe of
    /// 1,000 points says how many): on W2 n=64 all 10,000 points took a minute a run. Its results
    /// on those points must match the analytic code's.
    /// </summary>
    private static double DenseDualRate(string name, int points, double[] x, double[][] analytic, int[] outStrides, Action<double[], long, double[][]> dense)
    {
        if (DenseDualRates.TryGetValue((name, points), out double known)) return known;
        var dualOutputs = outStrides.Select(s => new double[(long)points * s]).ToArray();
        int probe = Math.Min(points, 1000);
        var sw = Stopwatch.StartNew();
        Parallel.For(0L, probe, p => dense(x, p, dualOutputs));
        int count = (int)Math.Clamp(probe / Math.Max(sw.Elapsed.TotalSeconds, 1e-9), probe, points);
        double seconds = Best(() => Parallel.For(0L, count, p => dense(x, p, dualOutputs)));
        for (int k = 0; k < analytic.Length; k++)
            for (long i = 0; i < (long)count * outStrides[k]; i++)
                if (Math.Abs(analytic[k][i] - dualOutputs[k][i]) > 1e-9 * Math.Max(1, Math.Abs(analytic[k][i])))
                    throw new InvalidOperationException($"{name}: the dense dual gives {dualOutputs[k][i]:R} where the analytic code gives {analytic[k][i]:R} (output {k}, index {i}).");
        return DenseDualRates[(name, points)] = count / seconds;
    }

    /// <summary>GPUDIFF_BENCH_SCALE=k times the points of every row with a resident form (a GPU needs far more than a million to fill it); 1 by default.</summary>
    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("GPUDIFF_BENCH_SCALE"), out int k) && k >= 1 ? k : 1;

    /// <summary>GPUDIFF_BENCH_ONLY="W1 ,W3 " runs only the rows whose names start with one of those.</summary>
    private static bool Selected(string name) =>
        Environment.GetEnvironmentVariable("GPUDIFF_BENCH_ONLY") is not string only
        || only.Split(',').Any(id => name.StartsWith(id, StringComparison.Ordinal));

    /// <summary>
    /// A sparse row's resident time: the points uploaded once, <paramref name="run"/> writing a device
    /// array of <paramref name="expected"/>'s length, whose bits must be the in-memory call's.
    /// </summary>
    private static double ResidentSparse(DerivativeEngine engine, string name, double[] x, double[] expected, Action<DeviceArray, DeviceArray> run)
    {
        using var dx = engine.Upload(x);
        using var result = engine.Allocate(expected.LongLength);
        double best = Best(() => run(dx, result));
        RequireSameBits(name, expected, result);
        return best;
    }

    /// <summary>A resident timing counts only if it computed the in-memory call's bits.</summary>
    private static void RequireSameBits(string what, double[] inMemory, DeviceArray resident)
    {
        var back = resident.ToArray();
        for (long i = 0; i < back.LongLength; i++)
            if (BitConverter.DoubleToInt64Bits(back[i]) != BitConverter.DoubleToInt64Bits(inMemory[i]))
                throw new InvalidOperationException($"{what}: the resident result differs from the in-memory one at index {i}.");
    }

    /// <summary>
    /// Under Auto on a CPU-only machine a kernel runs on the host until it has cost the host 2 s
    /// (0.5 s for second-order ones), then PoCL compiles it in the background and the faster of the
    /// two takes over (CpuRouter). A row's rounds last a second or two, so the table would time
    /// whatever stage a row's kernels had reached; it times where a long run settles instead:
    /// the row's call repeated for <see cref="SettleSeconds"/>, then the compiles awaited.
    /// </summary>
    private static void Settle(DerivativeEngine engine, Action call)
    {
        if (!engine.RoutesOnCpu) return;
        var watch = Stopwatch.StartNew();
        do call(); while (watch.Elapsed.TotalSeconds < SettleSeconds);
        engine.WaitForBackgroundCompiles();
    }

    /// <summary>Past the router's first-order threshold: a row whose time is one kernel's crosses it.</summary>
    private const double SettleSeconds = CpuRouter.DefaultSwitchSeconds + 0.5;

    /// <summary>
    /// The best times of two runs taken in turns after a warm-up of each, so both sides meet the
    /// machine in the same states: at least five rounds, and for short runs more, up to a second of
    /// both together or 60 rounds (on the 2-core machine a 3 ms run's best moved 2-3x between
    /// processes with five); rows whose runs take over 3 s stop after two rounds.
    /// </summary>
    internal static (double First, double Second) BestInterleaved(Action first, Action second)
    {
        first();
        second();
        double a = double.MaxValue, b = double.MaxValue, total = 0;
        for (int i = 0; i < 60 && (i < 5 || total < 1.0) && !(i >= 2 && Math.Max(a, b) > 3); i++)
        {
            var sw = Stopwatch.StartNew();
            first();
            double ta = sw.Elapsed.TotalSeconds;
            sw.Restart();
            second();
            double tb = sw.Elapsed.TotalSeconds;
            (a, b, total) = (Math.Min(a, ta), Math.Min(b, tb), total + ta + tb);
        }
        return (a, b);
    }

    /// <summary>
    /// The fastest of five timed runs after a warm-up, in seconds; of two where a run takes over
    /// 3 s, so the slowest rows (W2 n=64 dense on the host) keep the table within minutes.
    /// </summary>
    internal static double Best(Action run)
    {
        run(); // warm-up: JIT, kernel compilation, first touch of the result pages
        double best = double.MaxValue;
        for (int i = 0; i < 5 && !(i >= 2 && best > 3); i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
