using System.Runtime.CompilerServices;
using ILGPU;

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
}
