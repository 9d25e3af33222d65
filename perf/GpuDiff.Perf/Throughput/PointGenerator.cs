using GpuDiff.Streaming;

namespace GpuDiff.Perf;

/// <summary>
/// Benchmark points: the library's SplitMix64 stream (<see cref="RandomPointSource"/>), uniform in
/// [-1, 1). Simple enough that perf/peers.py draws exactly the same points in NumPy, so GpuDiff and
/// JAX/PyTorch differentiate the same inputs.
/// </summary>
internal static class PointGenerator
{
    public static double[] Uniform(long count, ulong seed)
    {
        var values = new double[count];
        Parallel.For(0L, count, i => values[i] = RandomPointSource.Uniform(seed, i));
        return values;
    }
}
