namespace GpuDiff.Engine;

/// <summary>Random points in the domain <see cref="Kernels.Models.MathCoverage"/> is meant for.</summary>
public static class MathCoveragePoints
{
    /// <summary><paramref name="count"/> points: x0 in [0, 1), x1 in [-1, 1), x2 = ±10^k with k in [-6, 6).</summary>
    public static double[] Draw(Random random, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = new double[3 * count];
        for (int p = 0; p < count; p++)
        {
            values[3 * p] = random.NextDouble();
            values[3 * p + 1] = 2 * random.NextDouble() - 1;
            values[3 * p + 2] = (random.Next(2) * 2 - 1) * Math.Pow(10, 12 * random.NextDouble() - 6);
        }
        return values;
    }
}
