using System.Diagnostics;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using Spectre.Console;

namespace GpuDiff.Cli;

/// <summary>The main job: the arm's Jacobian over a sweep of configurations, reduced to manipulability.</summary>
internal static class SweepCommand
{
    public static int Run(long points, int seed, string backendName, double singularBelow)
    {
        if (points < 1 || points > int.MaxValue / 6)
        {
            Console.Error.WriteLine($"gpudiff: --points must be between 1 and {int.MaxValue / 6}, not {points}.");
            return 2;
        }
        var kind = BackendNames.Parse(backendName, "--backend value");
        var random = new Random(seed);
        var q = new double[points * 6];
        for (long i = 0; i < q.Length; i++) q[i] = (2 * random.NextDouble() - 1) * Math.PI;

        using var engine = new DerivativeEngine(new EngineOptions { Backend = kind });
        var model = new PlanarArm6();
        var clock = Stopwatch.StartNew();
        DerivativeResult? jac = null;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("Jacobians", maxValue: points);
            jac = engine.ComputeAsync(DerivativeKind.Jacobian, model, q, progress: new SyncProgress(p => task.Value = p.PointsDone))
                .GetAwaiter().GetResult();
        });
        clock.Stop();

        double min = double.PositiveInfinity, max = 0, sum = 0;
        long singular = 0;
        for (long p = 0; p < points; p++)
        {
            double w = Manipulability(jac!.ForPoint(p));
            min = Math.Min(min, w);
            max = Math.Max(max, w);
            sum += w;
            if (w < singularBelow) singular++;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var table = new Table().AddColumn("quantity").AddColumn("value");
        table.AddRow("backend", BackendNames.Name(engine.Backend));
        table.AddRow("device", Markup.Escape(engine.Device));
        table.AddRow("model", "planar arm, 6 unit links: (x, y, heading), J is 3 x 6");
        table.AddRow("points", $"{points:N0} (seed {seed})");
        table.AddRow("wall time", $"{seconds:F3} s");
        table.AddRow("throughput", $"{points / seconds:N0} points/s");
        table.AddRow("manipulability sqrt(det(J J^T))", $"min {min:G6}, mean {sum / points:G6}, max {max:G6}");
        table.AddRow("near-singular", $"{singular:N0} below {singularBelow:G3}");
        table.AddRow("non-finite points", jac!.NonFinitePoints.Count.ToString());
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>sqrt(det(J J^T)) for a 3 x 6 Jacobian, row-major.</summary>
    internal static double Manipulability(ReadOnlySpan<double> j)
    {
        Span<double> a = stackalloc double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
            {
                double s = 0;
                for (int k = 0; k < 6; k++) s += j[r * 6 + k] * j[c * 6 + k];
                a[r * 3 + c] = s;
            }
        double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        return Math.Sqrt(Math.Max(det, 0));
    }

    private sealed class SyncProgress(Action<SweepProgress> action) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => action(value);
    }
}
