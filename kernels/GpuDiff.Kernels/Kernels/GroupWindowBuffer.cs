using System.Runtime.CompilerServices;
using ILGPU;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// Kernel storage whose loads read a device view and whose stores go to the thread group's window
/// of the results in shared memory: element i lands at <c>window[i - windowStart]</c>. One type for
/// every array of <see cref="KernelData{TBuf}"/>, so a kind's code runs unchanged: its points,
/// directions, parameters and table are only loaded, its results (in the kinds that stage) only
/// stored. See <see cref="DeviceEntryPoints.RunStaged{TModel, TKind, P}"/>.
/// </summary>
public readonly struct GroupWindowBuffer(ArrayView<double> view, ArrayView<double> window, long windowStart) : IBuffer
{
    private readonly ArrayView<double> view = view, window = window;
    private readonly long windowStart = windowStart;

    /// <inheritdoc />
    public long Length => view.Length;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Load(long i) => view[i];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(long i, double value) => window[i - windowStart] = value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(long i, double first, double second)
    {
        window[i - windowStart] = first;
        window[i - windowStart + 1] = second;
    }
}
