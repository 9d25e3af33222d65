using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;

namespace GpuDiff.Perf;

/// <summary>
/// The resident arm sweep's four stages timed one by one on one batch (points made on the device,
/// Jacobians, manipulability, statistics), so a sweep's points/s can be read against its parts.
/// </summary>
internal static class SweepStages
{
    public static void Print(DerivativeEngine engine, TextWriter output, int points)
    {
        double[] lo = [.. Enumerable.Repeat(-Math.PI, 6)], hi = [.. Enumerable.Repeat(Math.PI, 6)];
        using var x = engine.Allocate(6L * points);
        using var j = engine.Allocate(18L * points);
        using var w = engine.Allocate(points);
        double generate = ThroughputTable.Best(() => engine.GeneratePoints(points, 1, lo, hi, 0, x));
        double jacobian = ThroughputTable.Best(() => engine.Compute(DerivativeKind.Jacobian, new PlanarArm6(), x, destination: j));
        double manipulability = ThroughputTable.Best(() => engine.Manipulability(j, 3, 6, w));
        double statistics = ThroughputTable.Best(() => engine.Accumulate(w, points, new StatisticsAccumulator(1e-2)));
        double all = generate + jacobian + manipulability + statistics;
        output.WriteLine($"sweep stages, arm, {points:N0} points on the device (points/s): generate {points / generate:N0}, Jacobian {points / jacobian:N0}, " +
            $"manipulability {points / manipulability:N0}, statistics {points / statistics:N0}; the four {points / all:N0}");
    }
}
