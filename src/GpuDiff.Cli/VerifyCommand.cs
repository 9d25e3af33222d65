using System.CommandLine;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Sparsity;

namespace GpuDiff.Cli;

/// <summary>
/// gpudiff verify: every API on every usable backend for the built-in models, compared bit for bit
/// with the host backend on fresh random points.
/// </summary>
internal static partial class VerifyCommand
{
    /// <summary>The most points per model: MathCoverage's Hessians (9 doubles per output a point) must fit one array.</summary>
    public const int MaxPoints = 1_000_000;

    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the random points (default: a fresh one, printed)" };
    private static readonly Option<int> Points = new("--points") { Description = $"Random points per model, 1 to {MaxPoints:N0}", DefaultValueFactory = _ => 4096 };
    private static readonly Option<string> Backend = new("--backend") { Description = "all (every usable backend), or one of cuda, opencl, cpu-accelerator", DefaultValueFactory = _ => "all" };

    private static readonly Argument<FileInfo?> Model = new("MODEL") { Description = "A model-language file to verify instead of the built-in models", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Box = new("--box") { Description = "With MODEL: the random points' box, name=lo:hi per input (default [-1, 1) for each)" };

    public static Command Create()
    {
        var command = new Command("verify", "Every API on every usable backend for the built-in models, or for a model file, compared bit for bit with the host backend; exits 1 on any difference." +
            " Example: gpudiff verify --points 8192 --seed 7, or gpudiff verify arm.gd --box q1=-3:3,q2=-3:3")
        {
            Model, Seed, Points, Backend, Box,
        };
        command.SetAction(r => ExitCodes.Guarded(() => r.GetValue(Model) is FileInfo file
            ? RunModel(file, r.GetValue(Box), r.GetValue(Seed), r.GetValue(Points), r.GetValue(Backend) ?? "all")
            : Run(r.GetValue(Seed), r.GetValue(Points), r.GetValue(Backend) ?? "all")));
        return command;
    }

    /// <summary>Every API for a model file, on random points in its box, against the host.</summary>
    private static int RunModel(FileInfo file, string? box, int? seedOption, int points, string backend)
    {
        var model = ModelText.Load(file.FullName);
        foreach (var w in model.Warnings) Console.Error.WriteLine(w);
        var backends = Backends(points, backend);
        int seed = seedOption ?? Random.Shared.Next();
        box ??= string.Join(",", model.InputNames.Select(n => n + "=-1:1"));
        var x = PointsSpecification.Points(model, [], null, null, points, box, (ulong)seed);
        var v = Uniform(new Random(seed), x.Length, -1, 1);
        Console.WriteLine($"seed {seed} (rerun with --seed {seed}), {points:N0} points in {box}");
        using var host = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        int differing = 0;
        foreach (var kind in backends)
        {
            using var engine = new DerivativeEngine(new EngineOptions { Backend = kind });
            Console.WriteLine($"{BackendNames.Name(kind)}: {engine.Device}");
            differing += Compare(engine, model.Name, model.Outputs, v, Uniform(new Random(seed + 1), x.Length / model.Inputs * model.Outputs, -1, 1),
                (e, k, directions) => e.ComputeAsync(k, model, x, directions).GetAwaiter().GetResult(), host);
            foreach (var sparse in Enum.GetValues<SparseKind>())
                differing += CompareSparse(engine, model.Name, sparse, e => e.Sparse(sparse, model, x), host);
        }
        Console.WriteLine(differing == 0 ? "all identical to the host backend" : $"{differing} results differ from the host backend");
        return differing == 0 ? 0 : 1;
    }

    private static List<BackendKind> Backends(int points, string backend)
    {
        ExitCodes.Require(points is >= 1 and <= MaxPoints, $"--points must be between 1 and {MaxPoints:N0}, not {points}.");
        var backends = backend == "all"
            ? BackendFactory.ListDevices().Where(d => d.Usable && d.Backend != BackendKind.Host).Select(d => d.Backend).Distinct().ToList()
            : [BackendNames.Parse(backend, "--backend value")];
        ExitCodes.Require(!backends.Contains(BackendKind.Host), "--backend host would compare the host with itself; name another backend.");
        return backends;
    }

    public static int Run(int? seedOption, int points, string backend)
    {
        var backends = Backends(points, backend);
        int seed = seedOption ?? Random.Shared.Next();
        Console.WriteLine($"seed {seed} (rerun with --seed {seed}), {points:N0} points per model");
        using var host = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        int differing = 0;
        foreach (var kind in backends)
        {
            using var engine = new DerivativeEngine(new EngineOptions { Backend = kind });
            Console.WriteLine($"{BackendNames.Name(kind)}: {engine.Device}");
            var random = new Random(seed);
            differing += Check(engine, host, new SeedTwoByTwo(), Uniform(random, points * 2, -3, 3), random);
            differing += Check(engine, host, new Rosenbrock(8), Uniform(random, points * 8, -2, 2), random);
            differing += Check(engine, host, new PlanarArm6(), Uniform(random, points * 6, -Math.PI, Math.PI), random);
            differing += Check(engine, host, new BrownAlmostLinear(12), Uniform(random, points * 12, -1.5, 1.5), random);
            differing += Check(engine, host, new MathCoverage(), MathCoveragePoints.Draw(random, points), random);
            var bratu = Uniform(random, points * 64, -1, 1);
            differing += CompareSparse(engine, "Bratu1D(64)", SparseKind.Jacobian, e => e.SparseJacobian(new Bratu1D(64, 2.0), bratu), host);
            var rosenbrock = Uniform(random, points * 8, -2, 2);
            differing += CompareSparse(engine, "Rosenbrock(8)", SparseKind.Hessian, e => e.SparseHessian(new Rosenbrock(8), rosenbrock), host);
            var elements = Uniform(random, points * 33, -2, 2);
            differing += CompareSparse(engine, "RosenbrockElements", SparseKind.ElementSum, e => e.ElementSum(new RosenbrockElements(33), elements), host);
            differing += CheckFaults(engine, host, random, points);
            differing += CheckResident(engine, host, random, points);
        }
        Console.WriteLine(differing == 0 ? "all identical to the host backend" : $"{differing} results differ from the host backend");
        return differing == 0 ? 0 : 1;
    }

    private static int Check<TModel>(DerivativeEngine engine, DerivativeEngine host, TModel model, double[] x, Random random) where TModel : struct, IModel
    {
        var v = Uniform(random, x.Length, -1, 1);
        var u = Uniform(random, x.Length / model.Inputs * model.Outputs, -1, 1);
        return Compare(engine, typeof(TModel).Name, model.Outputs, v, u,
            (e, kind, directions) => e.ComputeAsync(kind, model, x, directions).GetAwaiter().GetResult(), host);
    }

    /// <summary>Every kind (the gradient where there is one output) on <paramref name="engine"/> against the host; prints one line each and counts the differences.</summary>
    private static int Compare(DerivativeEngine engine, string name, int outputs, double[] v, double[] u,
        Func<DerivativeEngine, DerivativeKind, double[]?, DerivativeResult> compute, DerivativeEngine host)
    {
        var kinds = new List<DerivativeKind> { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp, DerivativeKind.Vjp };
        if (outputs == 1) kinds.Insert(2, DerivativeKind.Gradient);
        int differing = 0;
        foreach (var kind in kinds)
        {
            var directions = kind switch { DerivativeKind.Jvp or DerivativeKind.Hvp => v, DerivativeKind.Vjp => u, _ => null };
            var want = compute(host, kind, directions);
            var got = compute(engine, kind, directions);
            string verdict = FirstDifference(want, got, 0) ?? $"identical ({got.Data.LongLength:N0} values)";
            if (!verdict.StartsWith("identical", StringComparison.Ordinal)) differing++;
            Console.WriteLine($"  {BackendNames.Name(engine.Backend),-16} {kind,-17} {name,-18} {verdict}");
        }
        return differing;
    }

    /// <summary>A sparse kind on <paramref name="engine"/> against the host: the same pattern and the same bits.</summary>
    private static int CompareSparse(DerivativeEngine engine, string name, SparseKind kind, Func<DerivativeEngine, SparseDerivativeResult> compute, DerivativeEngine host)
    {
        var want = compute(host);
        var got = compute(engine);
        string verdict = want.Pattern.ToString() != got.Pattern.ToString() ? "DIFFERS: another pattern"
            : FirstDifference(want.Data, got.Data, want.PointStride) ?? $"identical ({got.Data.LongLength:N0} values, {got.Pattern.Nonzeros} entries a point)";
        Console.WriteLine($"  {BackendNames.Name(engine.Backend),-16} {"sparse " + kind,-17} {name,-18} {verdict}");
        return verdict.StartsWith("identical", StringComparison.Ordinal) ? 0 : 1;
    }

    /// <summary>A model's mistake at one point is caught on the device and reported as on the host, for every kind.</summary>
    private static int CheckFaults(DerivativeEngine engine, DerivativeEngine host, Random random, int points)
    {
        var x = Uniform(random, points * 2, -3, 3);
        int bad = points / 2;
        x[2 * bad] = 10.0;
        var v = Uniform(random, x.Length, -1, 1);
        int differing = 0;
        foreach (var kind in new[] { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp })
        {
            var directions = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? v : null;
            string want = Caught(host, kind, x, directions), got = Caught(engine, kind, x, directions);
            bool same = want == got && got.Contains($"at point {bad}", StringComparison.Ordinal);
            if (!same) differing++;
            Console.WriteLine($"  {BackendNames.Name(engine.Backend),-16} {kind,-17} {"FaultProbe",-18} " +
                (same ? $"mistake caught as on the host: {got}" : $"DIFFERS: host says \"{want}\", device says \"{got}\""));
        }
        return differing;
    }

    private static string Caught(DerivativeEngine engine, DerivativeKind kind, double[] x, double[]? directions)
    {
        try
        {
            engine.ComputeAsync(kind, new FaultProbe(), x, directions).GetAwaiter().GetResult();
            return "no error";
        }
        catch (ModelFaultException e)
        {
            return e.Message;
        }
    }

    /// <summary>The first entry whose bits differ, in words; null when all are identical.</summary>
    internal static string? FirstDifference(DerivativeResult want, DerivativeResult got, int inputs) =>
        FirstDifference(want.Data, got.Data, want.Data.LongLength / Math.Max(1, want.Points));

    private static string? FirstDifference(double[] want, double[] got, long stride)
    {
        if (want.LongLength != got.LongLength) return $"DIFFERS: {got.LongLength} values where the host has {want.LongLength}";
        for (long i = 0; i < want.LongLength; i++)
        {
            long a = BitConverter.DoubleToInt64Bits(want[i]), b = BitConverter.DoubleToInt64Bits(got[i]);
            if (a == b) continue;
            return $"DIFFERS at point {i / stride}, index {i % stride}: host {want[i]:R}, device {got[i]:R} ({UlpDistance(a, b)} ulp)";
        }
        return null;
    }

    // Distance in representable doubles, across zero too; -0 and +0 count as one apart, so a
    // difference in the sign of zero never reads "0 ulp".
    private static ulong UlpDistance(long a, long b)
    {
        static long Ordered(long bits) => bits < 0 ? -(bits & long.MaxValue) - 1 : bits;
        long x = Ordered(a), y = Ordered(b);
        return x > y ? (ulong)(x - y) : (ulong)(y - x);
    }

    private static double[] Uniform(Random random, int count, double lo, double hi)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = lo + (hi - lo) * random.NextDouble();
        return values;
    }
}
