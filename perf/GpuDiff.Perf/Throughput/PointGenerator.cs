namespace GpuDiff.Perf;

/// <summary>
/// Benchmark points from SplitMix64, uniform in [-1, 1): simple enough that perf/peers.py draws
/// exactly the same points in NumPy, so GpuDiff and JAX/PyTorch differentiate the same inputs.
/// </summary>
internal static class PointGenerator
{
    /// <summary>count values: the i-th is 2 u_i - 1 with u_i = (splitmix64(seed + (i+1) * golden) >> 11) * 2^-53.</summary>
    public static double[] Uniform(long count, ulong seed)
    {
        var values = new double[count];
        Parallel.For(0L, count, i =>
        {
            ulong z = seed + (ulong)(i + 1) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            values[i] = 2.0 * ((z >> 11) * (1.0 / (1UL << 53))) - 1.0;
        });
        return values;
    }
}
