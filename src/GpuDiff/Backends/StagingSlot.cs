using ILGPU;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

/// <summary>
/// One of the two pipeline slots of <see cref="IlgpuBackend"/>: a stream, device buffers for one
/// slice and page-locked host arrays to stage it. Copies between page-locked memory and the device
/// are asynchronous on the slot's stream, so the other slot's work overlaps them. On a CPU device
/// (<paramref name="direct"/>: PoCL, whose device memory is host memory and whose copies are
/// memcpy) staging would copy every value twice, so the caller's arrays, pinned by the caller for
/// the job, are copied to and from the device directly.
/// </summary>
internal sealed class StagingSlot(Accelerator accelerator, bool direct) : IDisposable
{
    private MemoryBuffer1D<double, Stride1D.Dense>? points, directions, result;
    private PageLockedArray1D<double>? hostPoints, hostDirections, hostResult;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> faults = accelerator.Allocate1D<long>(3);
    private readonly PageLockedArray1D<long> hostFaults = accelerator.AllocatePageLocked1D<long>(3);
    private (long TargetOffset, long Length, long FirstPoint)? pending;

    public AcceleratorStream Stream { get; } = accelerator.CreateStream();

    public ArrayView<double> DevicePoints => points!.View;

    public ArrayView<double> DeviceDirections => directions is null ? default : directions.View;

    public ArrayView<double> DeviceResult => result!.View;

    /// <summary>The slice's model-fault cells (see ViewFaultRecorder), zeroed by <see cref="Stage"/>.</summary>
    public ArrayView<long> DeviceFaults => faults.View;

    /// <summary>Grows the buffers to hold a slice of these many doubles.</summary>
    public void Reserve(long pointDoubles, long directionDoubles, long resultDoubles)
    {
        Grow(ref points, ref hostPoints, pointDoubles);
        if (directionDoubles > 0) Grow(ref directions, ref hostDirections, directionDoubles);
        Grow(ref result, ref hostResult, resultDoubles);
    }

    /// <summary>Copies a slice's points (and directions) into page-locked memory and starts their upload.</summary>
    public void Stage(double[] x, double[]? v, long offset, long length, long directionOffset, long directionLength)
    {
        faults.View.MemSetToZero(Stream);
        if (direct)
        {
            Flat(points).SubView(0, length).CopyFromCPUUnsafeAsync(Stream, ref x[offset], length);
            if (v is not null && directionLength > 0)
                Flat(directions).SubView(0, directionLength).CopyFromCPUUnsafeAsync(Stream, ref v[directionOffset], directionLength);
            return;
        }
        BulkCopy.Run(x, offset, hostPoints!.GetArray(), 0, length);
        Flat(points).SubView(0, length).CopyFrom(Stream, hostPoints.ArrayView.SubView(0, length));
        if (v is null) return;
        BulkCopy.Run(v, directionOffset, hostDirections!.GetArray(), 0, directionLength);
        Flat(directions).SubView(0, directionLength).CopyFrom(Stream, hostDirections.ArrayView.SubView(0, directionLength));
    }

    /// <summary>
    /// Queues the download of a slice's results, which <see cref="Finish"/> copies to
    /// <paramref name="targetOffset"/> of <paramref name="target"/> (a direct slot straight there),
    /// and of its fault cells; the slice starts at job point <paramref name="firstPoint"/>.
    /// </summary>
    public void Collect(double[] target, long targetOffset, long length, long firstPoint)
    {
        if (direct) Flat(result).SubView(0, length).CopyToCPUUnsafeAsync(Stream, ref target[targetOffset], length);
        else hostResult!.ArrayView.SubView(0, length).CopyFrom(Stream, Flat(result).SubView(0, length));
        hostFaults.ArrayView.SubView(0, 3).CopyFrom(Stream, DeviceFaults.SubView(0, 3));
        pending = (targetOffset, length, firstPoint);
    }

    /// <summary>
    /// Waits for this slot's stream and copies its finished slice into the caller's result array;
    /// a model mistake in the slice goes into <paramref name="jobFaults"/> (unless one is there
    /// already) with its point made relative to the job.
    /// </summary>
    public void Finish(double[] target, long[] jobFaults)
    {
        Stream.Synchronize();
        if (pending is not { } p) return;
        pending = null;
        var cells = hostFaults.GetArray();
        if (cells[0] != 0 && jobFaults[0] == 0)
        {
            jobFaults[0] = cells[0];
            jobFaults[1] = cells[1];
            jobFaults[2] = p.FirstPoint + cells[2];
        }
        if (jobFaults[0] != 0 || direct) return; // the job's results are discarded, or already there
        BulkCopy.Run(hostResult!.GetArray(), 0, target, p.TargetOffset, p.Length);
    }

    /// <summary>Waits for queued work and drops its results (after a failure).</summary>
    public void Abandon()
    {
        pending = null;
        Stream.Synchronize();
    }

    private static ArrayView<double> Flat(MemoryBuffer1D<double, Stride1D.Dense>? buffer) => buffer!.View;

    private void Grow(ref MemoryBuffer1D<double, Stride1D.Dense>? device, ref PageLockedArray1D<double>? host, long length)
    {
        if (device is not null && device.Length >= length) return;
        Stream.Synchronize();
        device?.Dispose();
        host?.Dispose();
        device = accelerator.Allocate1D<double>(length);
        host = direct ? null : accelerator.AllocatePageLocked1D<double>(length, uninitialized: true);
    }

    public void Dispose()
    {
        Stream.Synchronize();
        foreach (var d in new IDisposable?[] { points, directions, result, hostPoints, hostDirections, hostResult, faults, hostFaults }) d?.Dispose();
        Stream.Dispose();
    }
}

/// <summary>Array copies split over the thread pool: one core copies well below the memory bandwidth.</summary>
internal static class BulkCopy
{
    private const long Block = 1 << 19; // 4 MiB of doubles

    public static void Run(double[] source, long sourceOffset, double[] target, long targetOffset, long length)
    {
        if (length <= Block)
        {
            Array.Copy(source, sourceOffset, target, targetOffset, length);
            return;
        }
        Parallel.For(0L, (length + Block - 1) / Block, b =>
        {
            long start = b * Block;
            Array.Copy(source, sourceOffset + start, target, targetOffset + start, Math.Min(Block, length - start));
        });
    }
}
