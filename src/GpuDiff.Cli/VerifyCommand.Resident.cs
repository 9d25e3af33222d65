using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;

namespace GpuDiff.Cli;

// The device-resident APIs against the host: points made on the device, derivatives of them left
// there, the per-point analyses and the fixed-order statistics.
internal static partial class VerifyCommand
{
    private static int CheckResident(DerivativeEngine engine, DerivativeEngine host, Random random, int points)
    {
        ulong seed = (ulong)random.NextInt64();
        long first = random.Next(1 << 20);
        var brown = Uniform(random, points * 12, -1.5, 1.5);
        var want = Resident(host, seed, first, points, brown);
        var got = Resident(engine, seed, first, points, brown);
        int differing = 0;
        foreach (var (name, stride, a, b) in new[]
        {
            ("points", 6L, want.Points, got.Points), ("Jacobian", 18L, want.Jacobians, got.Jacobians),
            ("manipulability", 1L, want.Manipulability, got.Manipulability), ("determinant", 3L, want.Determinants, got.Determinants),
            ("statistics", 1L, want.Statistics, got.Statistics), ("singular values", 4L, want.SingularValues, got.SingularValues),
            ("eigenvalues", 9L, want.Eigenvalues, got.Eigenvalues), ("Newton steps", 12L, want.NewtonSteps, got.NewtonSteps),
        })
        {
            string verdict = FirstDifference(a, b, stride) ?? $"identical ({b.LongLength:N0} values)";
            if (!verdict.StartsWith("identical", StringComparison.Ordinal)) differing++;
            Console.WriteLine($"  {BackendNames.Name(engine.Backend),-16} {"resident",-17} {name,-18} {verdict}");
        }
        return differing;
    }

    private sealed record ResidentResults(double[] Points, double[] Jacobians, double[] Manipulability, double[] Determinants, double[] Statistics,
        double[] SingularValues, double[] Eigenvalues, double[] NewtonSteps);

    /// <summary>
    /// The arm at points made on the device, its manipulability and their statistics, its singular
    /// values; Brown's determinants and Newton steps; Rosenbrock's Hessians' eigenvalues and classes.
    /// </summary>
    private static ResidentResults Resident(DerivativeEngine engine, ulong seed, long first, int points, double[] brown)
    {
        double[] lo = [.. Enumerable.Repeat(-Math.PI, 6)], hi = [.. Enumerable.Repeat(Math.PI, 6)];
        using var x = engine.GeneratePoints(points, seed, lo, hi, first);
        using var j = engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), x);
        using var w = engine.Manipulability(j, 3, 6);
        var statistics = new StatisticsAccumulator(threshold: 1.0, extremes: 5, histogram: new HistogramBins(0, 12, 24));
        engine.Accumulate(w, w.Length, statistics);
        var s = statistics.Result;
        using var bx = engine.Upload(brown);
        using var bj = engine.Compute(DerivativeKind.Jacobian, new BrownAlmostLinear(12), bx);
        using var det = engine.Determinants(bj, 12);
        using var sv = engine.SingularValues(j, 3, 6);
        using var bf = engine.Compute(DerivativeKind.Value, new BrownAlmostLinear(12), bx);
        using var steps = engine.NewtonSteps(bj, bf, 12);
        using var rx = engine.Upload(brown[..(points * 8)]);
        using var h = engine.Compute(DerivativeKind.Hessian, new Rosenbrock(8), rx);
        using var eig = engine.Eigenvalues(h, 8);
        return new ResidentResults(x.ToArray(), j.ToArray(), w.ToArray(), det.ToArray(),
            [s.Sum, s.Min, s.MinIndex, s.Max, s.MaxIndex, s.FiniteCount, s.BelowThreshold, s.NonFiniteCount,
                .. s.Smallest.SelectMany(e => new[] { e.Value, e.Index }), .. s.Largest.SelectMany(e => new[] { e.Value, e.Index }),
                .. s.HistogramCounts!.Select(c => (double)c), s.BelowHistogram, s.AboveHistogram],
            sv.ToArray(), eig.ToArray(), steps.ToArray());
    }
}
