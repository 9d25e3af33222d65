using GpuDiff.Backends;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Resident;
using GpuDiff.Resident;

namespace GpuDiff.Engine;

// Work whose data stays on the device: points made or uploaded there, derivatives and per-point
// analyses written there, reductions that bring back only their statistics.
public sealed partial class DerivativeEngine
{
    internal bool IsDisposed => disposed;

    // Work space of the analyses and reductions, kept between calls: a sweep calls them once a
    // batch, and allocating device memory each time costs more than the work on small batches.
    private readonly List<DeviceArray> scratch = [];

    /// <summary>A scratch array of at least <paramref name="length"/> doubles; give it back with <see cref="Return"/>.</summary>
    private DeviceArray Rent(long length)
    {
        lock (scratch)
        {
            int best = -1;
            for (int i = 0; i < scratch.Count; i++)
                if (scratch[i].Length >= length && (best < 0 || scratch[i].Length < scratch[best].Length)) best = i;
            if (best >= 0)
            {
                var found = scratch[best];
                scratch.RemoveAt(best);
                return found;
            }
        }
        return Allocate(length);
    }

    private void Return(DeviceArray array)
    {
        lock (scratch) scratch.Add(array);
    }

    private void DisposeScratch()
    {
        lock (scratch)
        {
            foreach (var a in scratch) a.Dispose();
            scratch.Clear();
        }
    }

    internal IComputeBackend BackendFor(DeviceArray _)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return backend;
    }

    /// <summary>
    /// How many points a batch of work kept on the device should hold when each point takes
    /// <paramref name="deviceBytesPerPoint"/> bytes there (its points, results and analyses): a
    /// share of the device's memory, at most 2^24 points.
    /// </summary>
    public long ResidentBatchPoints(long deviceBytesPerPoint)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(deviceBytesPerPoint, 1);
        long fit = backend.MaxResidentPoints(deviceBytesPerPoint);
        return options.MaxBatchPoints is long cap ? Math.Min(cap, fit) : fit;
    }

    /// <summary>Uninitialised memory for <paramref name="length"/> doubles on this engine's device.</summary>
    public DeviceArray Allocate(long length)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new DeviceArray(this, backend.Allocate(length), length);
    }

    /// <summary>A copy of <paramref name="values"/> on this engine's device.</summary>
    public DeviceArray Upload(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = Allocate(values.LongLength);
        array.CopyFrom(values, 0, 0, values.LongLength);
        return array;
    }

    /// <summary>
    /// <paramref name="count"/> points made on the device, coordinate i uniform in [lo[i], hi[i]):
    /// the same bits as <see cref="Streaming.RandomPointSource"/> with this seed and box, from its
    /// point <paramref name="firstPoint"/> on (so a long sweep can make its points batch by batch).
    /// </summary>
    public DeviceArray GeneratePoints(long count, ulong seed, double[] lo, double[] hi, long firstPoint = 0, DeviceArray? destination = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Streaming.RandomPointSource.CheckBox(lo, hi);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPoint);
        int n = lo.Length;
        long values = checked(count * n);
        checked { _ = (firstPoint + count) * n; }
        var target = Destination(destination, values, "points", nameof(destination));
        var box = Rent(2 * n);
        try
        {
            box.CopyFrom([.. lo, .. hi], 0, 0, 2 * n);
            backend.Operate(new UniformPoints { Seed = seed, FirstValue = firstPoint * n, Inputs = n }, values,
                target.Storage(this, nameof(destination)), box.Storage(this, nameof(lo)), null);
        }
        finally
        {
            Return(box);
        }
        return target;
    }

    /// <summary>
    /// A derivative kind at points that are on the device, with results left there ([point][...] as
    /// <see cref="DerivativeResult"/> lays them out); the same bits as the in-memory call. Directions
    /// (Jvp, Hvp) and cotangents (Vjp) are device arrays too. A model mistake throws
    /// <see cref="ModelFaultException"/> and leaves the destination's contents unspecified.
    /// </summary>
    public DeviceArray Compute<TModel>(DerivativeKind kind, TModel model, DeviceArray points, DeviceArray? directions = null,
        double[]? parameters = null, DeviceArray? destination = null) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(points);
        var cut = ValidateModel(kind, model, directions is not null, parameters);
        int n = model.Inputs, m = model.Outputs;
        var x = points.Storage(this, nameof(points));
        if (points.Length % n != 0)
            throw new ArgumentException($"The points array holds {points.Length} values, which is not a multiple of the model's {n} inputs.", nameof(points));
        long count = points.Length / n;
        int directionLength = KernelPlan.DirectionsPerPoint(kind, n, m);
        var v = directions?.Storage(this, nameof(directions));
        if (directions is not null && directions.Length != count * directionLength)
            throw new ArgumentException(kind == DerivativeKind.Vjp
                ? $"The cotangents array holds {directions.Length} values but {count} points need {count * directionLength}; give one value per output for each point."
                : $"The directions array holds {directions.Length} values but the points array {points.Length}; give one direction per point.", nameof(directions));
        return RunResident(ForCall(DensePlan(kind, n, m), count), model, x, v, cut, count, destination);
    }

    /// <summary>Runs any plan (dense or sparse) over <paramref name="count"/> points on the device, batch by batch, into a device array.</summary>
    internal DeviceArray RunResident<TModel>(KernelPlan plan, TModel model, IDeviceStorage x, IDeviceStorage? v, double[] parameters, long count,
        DeviceArray? destination) where TModel : struct, IModel
    {
        var result = Destination(destination, checked(count * plan.ResultStride), "results", nameof(destination));
        try
        {
            var faults = new long[3];
            // The points and results are already on the device, so nothing limits a batch but the
            // caller's cap: each batch costs a fault read-back and a synchronisation (8 of them on
            // 32 M W1 points at the in-memory batch size), and the launches split the tasks anyway.
            long batch = options.MaxBatchPoints ?? Math.Max(count, 1);
            for (long first = 0; first < count; first += batch)
            {
                long size = Math.Min(batch, count - first);
                backend.RunResident(model, plan, x, v, result.Storage(this, nameof(destination)), parameters, first, size, faults);
                ModelFaultException.ThrowIfAny(model, faults, 0);
            }
        }
        catch when (destination is null)
        {
            result.Dispose(); // the caller never saw it
            throw;
        }
        return result;
    }

    /// <summary>
    /// Appends the first <paramref name="count"/> values of a device array to running statistics
    /// (sum, mean, min and max with their indices, a count below a threshold, the non-finite count
    /// and indices; the k smallest and largest and a histogram when the accumulator asks), reduced on the device in a fixed order so every backend and every way of
    /// cutting the values into calls gives the same bits; only one record per 16,384 values comes
    /// back to the host. Every call but the last must append a multiple of
    /// <see cref="StatisticsAccumulator.BlockLength"/> values.
    /// </summary>
    public void Accumulate(DeviceArray values, long count, StatisticsAccumulator statistics)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(statistics);
        var storage = values.Storage(this, nameof(values));
        if (count < 0 || count > values.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The device array holds {values.Length} values.");
        statistics.CheckAppend();
        if (count == 0) return;
        var records = statistics.Reduce(new DeviceReduction(this, storage), count);
        statistics.AppendBlocks(records, count, (first, length, into) => values.CopyTo(first, into, 0, length));
    }

    /// <summary>The accumulator's reductions on this engine's device: chunk records there, block records copied out.</summary>
    private readonly struct DeviceReduction(DerivativeEngine engine, IDeviceStorage values) : StatisticsAccumulator.IReductionRunner
    {
        public double[] Run<TChunk, TBlock>(TChunk chunk, TBlock block, long chunks, long blocks, int recordLength)
            where TChunk : struct, IDeviceOperation where TBlock : struct, IDeviceOperation
        {
            var chunkRecords = engine.Rent(checked(chunks * recordLength));
            var blockRecords = engine.Rent(checked(blocks * recordLength));
            var result = new double[blocks * recordLength];
            try
            {
                engine.backend.Operate(chunk, chunks, values, chunkRecords.Storage(engine, "values"), null);
                engine.backend.Operate(block, blocks, chunkRecords.Storage(engine, "values"), blockRecords.Storage(engine, "values"), null);
                blockRecords.CopyTo(0, result, 0, result.LongLength);
            }
            finally
            {
                engine.Return(chunkRecords);
                engine.Return(blockRecords);
            }
            return result;
        }
    }

    private DeviceArray Destination(DeviceArray? destination, long length, string what, string parameter)
    {
        if (destination is null) return Allocate(length);
        destination.Storage(this, parameter);
        if (destination.Length != length)
            throw new ArgumentException($"The destination holds {destination.Length} values but the {what} need {length}.", parameter);
        return destination;
    }
}
