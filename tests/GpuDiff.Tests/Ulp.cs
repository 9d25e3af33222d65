namespace GpuDiff.Tests;

/// <summary>Distances between doubles in units in the last place.</summary>
public static class Ulp
{
    /// <summary>How many doubles lie between a and b (0 when both are NaN or bit-identical).</summary>
    public static long Distance(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        if (a == b) return BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) ? 0 : 1;
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    // Maps doubles onto integers in the same order, so adjacent doubles differ by 1.
    private static long Ordered(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        return bits < 0 ? long.MinValue - bits : bits;
    }
}
