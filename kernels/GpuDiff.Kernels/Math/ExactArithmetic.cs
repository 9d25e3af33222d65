namespace GpuDiff.Kernels.Math;

/// <summary>Error-free transformations with plain + - * only, so no backend needs an FMA.</summary>
internal static class ExactArithmetic
{
    private const double SplitFactor = 134217729.0; // 2^27 + 1, Veltkamp's splitter

    /// <summary>a * b = p + e exactly (Dekker), for |a*b| well inside the double range.</summary>
    public static void TwoProduct(double a, double b, out double p, out double e)
    {
        p = a * b;
        double t = SplitFactor * a;
        double ah = t - (t - a);
        double al = a - ah;
        t = SplitFactor * b;
        double bh = t - (t - b);
        double bl = b - bh;
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    }

    /// <summary>a + b = s + e exactly (Knuth), for any order of magnitude.</summary>
    public static void TwoSum(double a, double b, out double s, out double e)
    {
        s = a + b;
        double bb = s - a;
        e = (a - (s - bb)) + (b - bb);
    }
}
