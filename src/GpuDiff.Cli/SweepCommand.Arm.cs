using System.Diagnostics;
using System.Runtime.InteropServices;
using GpuDiff.Analysis;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;
using GpuDiff.Streaming;
using Spectre.Console;

namespace GpuDiff.Cli;

// The arm sweep's reductions: on the device without --out, on the host from the Jacobians with it,
// by the same code and order.
internal static partial class SweepCommand
{
    /// <summary>The histogram's upper end: above every manipulability seen in 10^9 configurations (11.74).</summary>
    private const double HistogramTop = 12.0;

    private static void DrawHistogram(IReadOnlyList<long> counts, long above)
    {
        double width = HistogramTop / counts.Count;
        var chart = new BarChart().Label($"manipulability histogram ({counts.Count} bins; {above:N0} at or above {HistogramTop:G3})").Width(78);
        for (int b = 0; b < counts.Count; b++)
            chart.AddItem(Markup.Escape($"[{b * width:0.###}, {(b + 1) * width:0.###})"), counts[b], Color.SteelBlue);
        AnsiConsole.Write(chart);
    }

    /// <summary>
    /// The sweep without --out: each batch's points made on the device, their Jacobians and
    /// manipulabilities computed there, and the statistics reduced there (block records only come
    /// back). Batches are whole statistics blocks, so the figures have the bits of the --out path.
    /// </summary>
    private static SweepSummary ResidentSweep(DerivativeEngine engine, long count, ulong seed, long? batchPoints, StatisticsAccumulator statistics,
        IProgress<SweepProgress> progress, CancellationToken cancellationToken, out double? steadyPointsPerSecond, out string? firstBatchPhases)
    {
        var arm = new PlanarArm6();
        steadyPointsPerSecond = null;
        firstBatchPhases = null;
        Stopwatch? afterFirst = null;
        long firstBatch = 0;
        // Where the first batch's time goes: each call's wall time (a first call compiles and loads
        // its kernel; work left running on the device is paid by the next call that waits for it).
        var phase = Stopwatch.StartNew();
        var phases = new List<string>();
        void Lap(string what)
        {
            if (afterFirst is not null) return;
            phases.Add($"{what} {phase.Elapsed.TotalSeconds:F3} s");
            phase.Restart();
        }
        long block = StatisticsAccumulator.BlockLength;
        // Points, Jacobian, manipulability and its work space: 6 + 18 + 1 + 9 doubles a point.
        long batch = batchPoints ?? engine.ResidentBatchPoints(8 * (6 + 18 + 1 + 9));
        batch = Math.Min((batch + block - 1) / block * block, (count + block - 1) / block * block);
        double[] lo = [.. Enumerable.Repeat(-Math.PI, 6)], hi = [.. Enumerable.Repeat(Math.PI, 6)];
        DeviceArray? points = null, jacobians = null, manipulability = null;
        try
        {
            for (long first = 0; first < count; first += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long size = Math.Min(batch, count - first);
                if (points is null || points.Length != 6 * size)
                {
                    foreach (var a in new[] { points, jacobians, manipulability }) a?.Dispose();
                    (points, jacobians, manipulability) = (engine.Allocate(6 * size), engine.Allocate(18 * size), engine.Allocate(size));
                }
                Lap("memory");
                engine.GeneratePoints(size, seed, lo, hi, first, points);
                Lap("points");
                engine.Compute(DerivativeKind.Jacobian, arm, points, destination: jacobians);
                Lap("Jacobians");
                engine.Manipulability(jacobians!, 3, 6, manipulability);
                Lap("manipulability");
                engine.Accumulate(manipulability!, size, statistics);
                Lap("statistics");
                progress.Report(new SweepProgress(first + size, count));
                if (afterFirst is null)
                {
                    firstBatchPhases = $"{size:N0} points: " + string.Join(", ", phases);
                    // The first batch pays for compiling the kernels; what follows is the sweep's own rate.
                    afterFirst = Stopwatch.StartNew();
                    firstBatch = size;
                }
            }
            if (count > firstBatch) steadyPointsPerSecond = (count - firstBatch) / afterFirst!.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var a in new[] { points, jacobians, manipulability }) a?.Dispose();
        }
        // Manipulability is NaN exactly where a Jacobian has a non-finite entry (it is bounded otherwise).
        var result = statistics.Result;
        return new SweepSummary(count, result.NonFiniteCount, result.NonFiniteIndices);
    }

    /// <summary>
    /// Reduces each block of Jacobians to manipulability statistics as it arrives, and passes it on
    /// to the file when there is one. A resumed sweep first reads the points already in the file,
    /// so the statistics cover the whole sweep. The statistics are the device path's: the same
    /// manipulability code, and a <see cref="StatisticsAccumulator"/>, whose order of operations
    /// does not depend on how the points are cut into blocks.
    /// </summary>
    private sealed class ManipulabilitySink(double singularBelow, HistogramBins? histogram, BinaryFileResultSink? file) : IResumableResultSink
    {
        public StatisticsAccumulator Statistics { get; } = new(singularBelow, SweepSummary.ListedNonFinite, extremes: 3, histogram: histogram);

        public async ValueTask<long> BeginAsync(SweepFingerprint fingerprint, bool resume, CancellationToken cancellationToken)
        {
            if (file is null) return 0;
            long start = await file.BeginAsync(fingerprint, resume, cancellationToken);
            if (start == 0) return 0;
            // The first `start` points, in order, from the partial file.
            await using var stream = new FileStream(file.PartialPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            var buffer = new double[18 << 16];
            for (long done = 0; done < start;)
            {
                int count = (int)Math.Min(1 << 16, start - done);
                stream.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan(0, 18 * count)));
                Reduce(buffer.AsMemory(0, 18 * count));
                done += count;
            }
            return start;
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
        {
            Reduce(block);
            if (file is not null) await file.WriteAsync(block, firstPoint, cancellationToken);
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => file?.CompleteAsync(cancellationToken) ?? ValueTask.CompletedTask;

        public ValueTask AbortAsync() => file?.AbortAsync() ?? ValueTask.CompletedTask;

        private void Reduce(ReadOnlyMemory<double> block)
        {
            int points = block.Length / 18;
            var w = new double[points];
            Parallel.For(0, (points + 4095) / 4096, part =>
            {
                var span = block.Span;
                for (int p = part * 4096; p < Math.Min(points, (part + 1) * 4096); p++) w[p] = PointAnalysis.Manipulability(span.Slice(18 * p, 18), 3, 6);
            });
            Statistics.Add(w);
        }
    }
}
