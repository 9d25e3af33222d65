namespace GpuDiff.Kernels.Resident;

/// <summary>
/// The project's random stream: value <c>index</c> is SplitMix64's output for counter index + 1,
/// so any value can be computed alone, in any order, on any device, with the same bits.
/// </summary>
public static class CounterRandom
{
    /// <summary>Value <paramref name="index"/> of the stream for <paramref name="seed"/>, uniform in [lo, hi).</summary>
    public static double Uniform(ulong seed, long index, double lo, double hi)
    {
        ulong z = seed + (ulong)(index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return lo + (hi - lo) * ((z >> 11) * (1.0 / (1UL << 53)));
    }
}

/// <summary>
/// Points in a box from <see cref="CounterRandom"/>, one thread per value: value <c>index</c> of the
/// batch is stream value <see cref="FirstValue"/> + index, coordinate (that number mod
/// <see cref="Inputs"/>). The first buffer receives the values, the second holds the box: n lower
/// bounds, then n upper bounds.
/// </summary>
public struct UniformPoints : IDeviceOperation
{
    /// <summary>The stream's seed.</summary>
    public ulong Seed;

    /// <summary>The stream index of the batch's first value (first point times inputs).</summary>
    public long FirstValue;

    /// <summary>Coordinates per point.</summary>
    public int Inputs;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, Kernels.IBuffer
    {
        long value = FirstValue + index;
        int input = (int)(value % Inputs);
        first.Store(index, CounterRandom.Uniform(Seed, value, second.Load(input), second.Load(Inputs + input)));
    }
}
