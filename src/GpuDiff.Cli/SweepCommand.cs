using System.Diagnostics;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Streaming;
using Spectre.Console;

namespace GpuDiff.Cli;

/// <summary>The main job: the arm's Jacobian over a sweep of configurations, reduced to manipulability.</summary>
internal static class SweepCommand
{
    public static int Run(long points, int seed, string backendName, double singularBelow)
    {
        if (points < 1) throw new ArgumentException($"--points must be at least 1, not {points}.");
        var kind = BackendNames.Parse(backendName, "--backend value");
        using var engine = new DerivativeEngine(new EngineOptions { Backend = kind });
        // Points are generated and Jacobians reduced batch by batch: memory stays bounded for any --points.
        var source = new RandomPointSource(points, 6, (ulong)seed, -Math.PI, Math.PI);
        var statistics = new ManipulabilitySink(singularBelow);
        var clock = Stopwatch.StartNew();
        SweepSummary? summary = null;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("Jacobians", maxValue: points);
            summary = engine.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), source, statistics,
                progress: new SyncProgress(p => task.Value = p.PointsDone)).GetAwaiter().GetResult();
        });
        clock.Stop();

        double seconds = clock.Elapsed.TotalSeconds;
        var table = new Table().AddColumn("quantity").AddColumn("value");
        table.AddRow("backend", BackendNames.Name(engine.Backend));
        table.AddRow("device", Markup.Escape(engine.Device));
        table.AddRow("model", "planar arm, 6 unit links: (x, y, heading), J is 3 x 6");
        table.AddRow("points", $"{points:N0} (seed {seed})");
        table.AddRow("wall time", $"{seconds:F3} s");
        table.AddRow("throughput", $"{points / seconds:N0} points/s");
        table.AddRow("manipulability sqrt(det(J J^T))", $"min {statistics.Min:G6}, mean {statistics.Sum / points:G6}, max {statistics.Max:G6}");
        table.AddRow("near-singular", $"{statistics.NearSingular:N0} below {singularBelow:G3}");
        table.AddRow("non-finite points", summary!.NonFinitePoints.ToString("N0"));
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>Reduces each block of Jacobians to manipulability statistics as it arrives.</summary>
    private sealed class ManipulabilitySink(double singularBelow) : IResultSink
    {
        public double Min { get; private set; } = double.PositiveInfinity;
        public double Max { get; private set; }
        public double Sum { get; private set; }
        public long NearSingular { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
        {
            const int pointsPerPart = 1 << 14;
            int points = block.Length / 18, parts = (points + pointsPerPart - 1) / pointsPerPart;
            var partial = new (double Min, double Max, double Sum, long Singular)[parts];
            Parallel.For(0, parts, part =>
            {
                var span = block.Span;
                (double min, double max, double sum, long singular) = (double.PositiveInfinity, 0.0, 0.0, 0L);
                for (int p = part * pointsPerPart; p < Math.Min(points, (part + 1) * pointsPerPart); p++)
                {
                    double w = Manipulability(span.Slice(18 * p, 18));
                    (min, max, sum) = (Math.Min(min, w), Math.Max(max, w), sum + w);
                    if (w < singularBelow) singular++;
                }
                partial[part] = (min, max, sum, singular);
            });
            foreach (var (min, max, sum, singular) in partial) // in order, so the mean is reproducible
            {
                (Min, Max, Sum, NearSingular) = (Math.Min(Min, min), Math.Max(Max, max), Sum + sum, NearSingular + singular);
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AbortAsync() => ValueTask.CompletedTask;
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
