using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Backends;

/// <summary>A .NET array as kernel storage, bounds-checked: for the host's own small uses of kernel code.</summary>
internal readonly struct ArrayBuffer(double[] array) : IBuffer
{
    public long Length => array.LongLength;

    public double Load(long i) => array[i];

    public void Store(long i, double value) => array[i] = value;

    public void StorePair(long i, double first, double second)
    {
        array[i] = first;
        array[i + 1] = second;
    }
}
