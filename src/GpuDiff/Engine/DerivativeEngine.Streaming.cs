using GpuDiff.Backends;
using GpuDiff.Kernels.Models;
using GpuDiff.Streaming;

namespace GpuDiff.Engine;

public sealed partial class DerivativeEngine
{
    /// <summary>
    /// The streaming form: reads points from <paramref name="source"/> a batch at a time, computes,
    /// and hands each batch's results to <paramref name="sink"/>, in bounded memory whatever the
    /// number of points (any long count). Directions for Jvp and Hvp come from a second source read
    /// in step. On success the sink is completed; when cancelled or failed it is aborted, so it
    /// never holds a result that looks complete, and the exception propagates.
    /// </summary>
    /// <remarks>
    /// With <paramref name="resume"/> (the sink must be an <see cref="IResumableResultSink"/>, such as
    /// a resumable <see cref="BinaryFileResultSink"/>), a sweep interrupted earlier with the same
    /// arguments continues after the last batch its sink recorded: the sources skip those points
    /// (the random source by its counter, files by seeking) and the finished output is what an
    /// uninterrupted sweep gives. The summary then counts the points of this call only, and says
    /// where it started.
    /// </remarks>
    public Task<SweepSummary> SweepAsync<TModel>(DerivativeKind kind, TModel model, IPointSource source, IResultSink sink,
        IPointSource? directions = null, double[]? parameters = null, IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default, bool resume = false) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        var cut = ValidateModel(kind, model, directions is not null, parameters);
        if (resume && sink is not IResumableResultSink)
            throw new ArgumentException($"Resuming needs a sink that records its progress ({nameof(IResumableResultSink)}); {sink.GetType().Name} does not.", nameof(resume));
        var plan = DensePlan(kind, model.Inputs, model.Outputs);
        return Task.Run(() => Stream(plan, kind.ToString(), model, source, sink, directions, cut, progress, resume, null, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Streams any plan; <paramref name="kindName"/> goes into a resumable sink's fingerprint, and
    /// <paramref name="checkBatch"/> (points, count, index of the first) runs on each batch before it is computed.
    /// </summary>
    internal async Task<SweepSummary> Stream<TModel>(KernelPlan plan, string kindName, TModel model, IPointSource source, IResultSink sink,
        IPointSource? directions, double[] parameters, IProgress<SweepProgress>? progress, bool resume, Action<double[], long, long>? checkBatch,
        CancellationToken cancellationToken) where TModel : struct, IModel
    {
        int n = model.Inputs;
        long stride = plan.ResultStride;
        long start = 0;
        if (sink is IResumableResultSink resumable)
        {
            var fingerprint = new SweepFingerprint(kindName, typeof(TModel).FullName ?? typeof(TModel).Name, n, model.Outputs, stride,
                SweepFingerprint.Hash(parameters), source.Count, (source as PointSourceSlice)?.First ?? 0);
            try
            {
                start = await resumable.BeginAsync(fingerprint, resume, cancellationToken);
                if (start > 0)
                {
                    long skipped = await source.SkipAsync(start * n, cancellationToken);
                    long wantDirections = start * plan.DirectionLength;
                    long skippedDirections = directions is null ? wantDirections : await directions.SkipAsync(wantDirections, cancellationToken);
                    if (skipped != start * n || skippedDirections != wantDirections)
                        throw new InvalidDataException($"The sweep resumes at point {start}, but the {(skipped != start * n ? "point" : "direction")} source ends before it.");
                }
            }
            catch
            {
                await sink.AbortAsync();
                throw;
            }
        }
        // At most 256 MiB per result buffer, so memory stays bounded whatever the model's size.
        const long MaxBufferDoubles = 1L << 25;
        long batch = Math.Min(Batch(plan), Math.Max(1, MaxBufferDoubles / Math.Max(n, stride)));
        // Two of each buffer: batch k+1 is read, and batch k-1 written to the sink, while batch k computes.
        var x = new[] { GC.AllocateUninitializedArray<double>((int)(batch * n)), GC.AllocateUninitializedArray<double>((int)(batch * n)) };
        int dl = plan.DirectionLength;
        var v = directions is null ? null : new[] { GC.AllocateUninitializedArray<double>((int)(batch * dl)), GC.AllocateUninitializedArray<double>((int)(batch * dl)) };
        var results = new[] { GC.AllocateUninitializedArray<double>((int)(batch * stride)), GC.AllocateUninitializedArray<double>((int)(batch * stride)) };
        long done = start, nonFinite = 0;
        var faults = new long[3];
        var listed = new List<long>();
        Task<int>? reading = null;
        Task writing = Task.CompletedTask;
        try
        {
            reading = Read(0, start);
            for (int k = 0; ; k ^= 1)
            {
                int got = await reading;
                reading = null;
                if (got == 0) break;
                cancellationToken.ThrowIfCancellationRequested();
                long points = got / n;
                reading = Read(k ^ 1, done + points);
                checkBatch?.Invoke(x[k], points, done);
                backend.Run(model, new KernelJob(plan, x[k], v?[k], results[k], parameters, 0, points, faults));
                ModelFaultException.ThrowIfAny(model, faults, done);
                foreach (long p in NonFiniteScan.Points(results[k], points, (int)stride))
                {
                    nonFinite++;
                    if (listed.Count < SweepSummary.ListedNonFinite) listed.Add(done + p);
                }
                await writing; // the sink takes blocks one at a time, in order
                var block = results[k].AsMemory(0, (int)(points * stride));
                long first = done;
                writing = Task.Run(async () => await sink.WriteAsync(block, first, cancellationToken), cancellationToken);
                done += points;
                progress?.Report(new SweepProgress(done, source.Count ?? done));
            }
            await writing;
            cancellationToken.ThrowIfCancellationRequested();
            await sink.CompleteAsync(cancellationToken);
            return new SweepSummary(done - start, nonFinite, listed) { FirstPoint = start };
        }
        catch
        {
            // Nothing may touch the buffers or the sink after it is aborted.
            await Task.WhenAll(reading ?? Task.CompletedTask, writing).ContinueWith(_ => { }, TaskScheduler.Default);
            await sink.AbortAsync();
            throw;
        }

        // Reads the next batch (and its directions) into buffer pair `slot`; `firstPoint` is its first point's index.
        Task<int> Read(int slot, long firstPoint) => Task.Run(async () =>
        {
            int got = await ReadFull(source, x[slot], cancellationToken);
            if (got % n != 0)
                throw new InvalidDataException($"The point source ended inside point {firstPoint + got / n}: it gave {got % n} of the model's {n} inputs.");
            if (v is not null)
            {
                int want = got / n * dl;
                int gotV = await ReadFull(directions!, v[slot].AsMemory(0, got == 0 ? 1 : want), cancellationToken);
                if (gotV != want)
                    throw new InvalidDataException(gotV < want
                        ? $"The direction source ended at point {firstPoint + gotV / dl}, before the point source."
                        : $"The direction source has more values than the point source, which ended at point {firstPoint + got / n}.");
            }
            return got;
        }, cancellationToken);
    }

    /// <summary>Reads until the buffer is full or the source is exhausted.</summary>
    private static async Task<int> ReadFull(IPointSource source, Memory<double> buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int got = await source.ReadAsync(buffer[filled..], cancellationToken);
            if (got < 0 || got > buffer.Length - filled)
                throw new InvalidOperationException($"The source returned {got} values for a buffer of {buffer.Length - filled}.");
            if (got == 0) break;
            filled += got;
        }
        return filled;
    }
}
