using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace GpuDiff.Kernels.Kernels;

/// <summary>Flat double storage a kernel body reads and writes: a device view, or host memory.</summary>
public interface IBuffer
{
    /// <summary>How many doubles it holds.</summary>
    long Length { get; }

    /// <summary>Element i.</summary>
    double Load(long i);

    /// <summary>Sets element i.</summary>
    void Store(long i, double value);

    /// <summary>Sets elements i and i + 1: one 16-byte store where the device can make one.</summary>
    void StorePair(long i, double first, double second);
}

/// <summary>An ILGPU view as kernel storage.</summary>
public readonly struct ViewBuffer(ArrayView<double> view) : IBuffer
{
    private readonly ArrayView<double> view = view;

    /// <inheritdoc />
    public long Length => view.Length;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Load(long i) => view[i];

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(long i, double value) => view[i] = value;

    /// <inheritdoc />
    /// <remarks>
    /// A thread's results are contiguous, so a warp's 8-byte stores land at a stride of the
    /// thread's result size and each one touches as many L2 sectors as there are threads: W1's
    /// kernel on an H100 was bound by that L2 traffic (perf/RESULTS.md). A pair at an even index
    /// goes as one 16-byte vector store, which needs the view to start 16-byte aligned: the host
    /// checks that of every view it launches with (<see cref="StartsAligned"/>). ILGPU 1.5.3's
    /// AlignTo cannot decide it in the kernel: with a constant alignment it tests ptr &amp; 16, not
    /// ptr &amp; 15.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(long i, double first, double second)
    {
        if ((i & 1) == 0)
        {
            view.SubView(i, 2).Cast<DoublePair>().AsAligned(16)[0] = new DoublePair(first, second);
        }
        else
        {
            view[i] = first;
            view[i + 1] = second;
        }
    }

    /// <summary>Whether a view starts 16-byte aligned, as <see cref="StorePair"/> needs; for the host, before a launch.</summary>
    public static bool StartsAligned(ArrayView<double> view) => view.Length == 0 || (view.LoadEffectiveAddressAsPtr().ToInt64() & 15) == 0;
}

/// <summary>Two doubles stored as one 16-byte unit.</summary>
public readonly struct DoublePair(double first, double second)
{
    /// <summary>The element at the lower address.</summary>
    public readonly double First = first;

    /// <summary>The element after it.</summary>
    public readonly double Second = second;
}
