using GpuDiff.Backends;
using GpuDiff.Engine;

namespace GpuDiff.Resident;

/// <summary>
/// Doubles that live on an engine's device (in host memory for the host backend): points,
/// directions, results, per-point analyses. Calls on the same engine take and return them without
/// copying to the host; <see cref="ToArray"/> and <see cref="CopyTo"/> copy out on request.
/// Disposing frees the device memory. An array is usable only with the engine that made it.
/// </summary>
public sealed class DeviceArray : IDisposable
{
    private readonly DerivativeEngine owner;
    private readonly IDeviceStorage storage;
    private bool disposed;

    internal DeviceArray(DerivativeEngine owner, IDeviceStorage storage, long length)
    {
        this.owner = owner;
        this.storage = storage;
        Length = length;
    }

    /// <summary>How many doubles it holds.</summary>
    public long Length { get; }

    /// <summary>A copy of all of it in host memory.</summary>
    public double[] ToArray()
    {
        if (Length > Array.MaxLength)
            throw new InvalidOperationException($"The device array holds {Length} values, more than one .NET array holds; copy it out in parts with CopyTo.");
        var result = GC.AllocateUninitializedArray<double>((int)Length);
        CopyTo(0, result, 0, Length);
        return result;
    }

    /// <summary>Copies <paramref name="length"/> values from <paramref name="sourceIndex"/> into <paramref name="destination"/>.</summary>
    public void CopyTo(long sourceIndex, double[] destination, long destinationIndex, long length)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckRange(sourceIndex, length, Length, "sourceIndex", "this device array");
        CheckRange(destinationIndex, length, destination.LongLength, nameof(destinationIndex), "the destination");
        owner.BackendFor(this).Download(Storage(owner, nameof(destination)), sourceIndex, destination, destinationIndex, length);
    }

    /// <summary>Copies <paramref name="length"/> values of <paramref name="source"/> into this array at <paramref name="destinationIndex"/>.</summary>
    public void CopyFrom(double[] source, long sourceIndex, long destinationIndex, long length)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckRange(sourceIndex, length, source.LongLength, nameof(sourceIndex), "the source");
        CheckRange(destinationIndex, length, Length, nameof(destinationIndex), "this device array");
        owner.BackendFor(this).Upload(source, sourceIndex, Storage(owner, nameof(source)), destinationIndex, length);
    }

    /// <summary>The storage, after checking that the array is alive and belongs to <paramref name="engine"/>.</summary>
    internal IDeviceStorage Storage(DerivativeEngine engine, string parameter)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!ReferenceEquals(engine, owner))
            throw new ArgumentException("The device array belongs to another engine; copy it out and upload it to this one.", parameter);
        return storage;
    }

    private static void CheckRange(long start, long length, long available, string parameter, string what)
    {
        if (start < 0 || length < 0 || start > available - length)
            throw new ArgumentOutOfRangeException(parameter, $"{length} values from index {start} do not fit {what}, which holds {available}.");
    }

    /// <summary>Frees the device memory (once the engine is disposed, it already is).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!owner.IsDisposed) storage.Dispose();
    }
}
