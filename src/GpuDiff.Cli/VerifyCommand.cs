using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Cli;

/// <summary>
/// gpudiff verify: every API on every usable backend for the built-in models, compared bit for bit
/// with the host backend on fresh random points.
/// </summary>
internal static class VerifyCommand
{
    public static int Run(int? seedOption, int points)
    {
        if (points < 1) throw new ArgumentException($"--points must be at least 1, not {points}.");
        int seed = seedOption ?? Random.Shared.Next();
        Console.WriteLine($"seed {seed} (rerun with --seed {seed}), {points:N0} points per model");
        var backends = BackendFactory.ListDevices().Where(d => d.Usable && d.Backend != BackendKind.Host).Select(d => d.Backend).Distinct().ToList();
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
        }
        Console.WriteLine(differing == 0 ? "all identical to the host backend" : $"{differing} results differ from the host backend");
        return differing == 0 ? 0 : 1;
    }

    private static int Check<TModel>(DerivativeEngine engine, DerivativeEngine host, TModel model, double[] x, Random random) where TModel : struct, IModel
    {
        var v = Uniform(random, x.Length, -1, 1);
        var kinds = new List<DerivativeKind> { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp };
        if (model.Outputs == 1) kinds.Insert(2, DerivativeKind.Gradient);
        int differing = 0;
        foreach (var kind in kinds)
        {
            var directions = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? v : null;
            var want = host.ComputeAsync(kind, model, x, directions).GetAwaiter().GetResult();
            var got = engine.ComputeAsync(kind, model, x, directions).GetAwaiter().GetResult();
            string verdict = FirstDifference(want, got, model.Inputs) ?? $"identical ({got.Data.LongLength:N0} values)";
            if (!verdict.StartsWith("identical", StringComparison.Ordinal)) differing++;
            Console.WriteLine($"  {BackendNames.Name(engine.Backend),-16} {kind,-9} {typeof(TModel).Name,-18} {verdict}");
        }
        return differing;
    }

    private static string? FirstDifference(DerivativeResult want, DerivativeResult got, int inputs)
    {
        long stride = want.Data.LongLength / Math.Max(1, want.Points);
        for (long i = 0; i < want.Data.LongLength; i++)
        {
            long a = BitConverter.DoubleToInt64Bits(want.Data[i]), b = BitConverter.DoubleToInt64Bits(got.Data[i]);
            if (a == b) continue;
            return $"DIFFERS at point {i / stride}, index {i % stride}: host {want.Data[i]:R}, device {got.Data[i]:R} ({UlpDistance(a, b)} ulp)";
        }
        return null;
    }

    // Distance in representable doubles, across zero too.
    private static ulong UlpDistance(long a, long b)
    {
        static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;
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
