using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Kernels.Resident;

/// <summary>
/// Work on data that stays on the device, one thread per <c>index</c>: point generation, per-point
/// analyses, the steps of a reduction. A struct carries its scalar settings (as a model does) and
/// reads and writes up to three buffers; the host backend and every ILGPU accelerator run the same
/// body, so the same bits come back everywhere.
/// </summary>
public interface IDeviceOperation
{
    /// <summary>Does element <paramref name="index"/>'s work; a buffer an operation does not use is empty.</summary>
    void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer;
}
