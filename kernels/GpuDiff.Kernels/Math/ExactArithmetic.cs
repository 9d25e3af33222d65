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

    /// <summary>
    /// One Horner step carried in two parts: (hi + lo) * (zHi + zLo) + c, with about 2^-100 relative
    /// error, so a polynomial's rounding errors stay far below the approximation's own.
    /// </summary>
    public static void MultiplyAddTwoPart(ref double hi, ref double lo, double zHi, double zLo, double c)
    {
        TwoProduct(hi, zHi, out double p, out double pe);
        double t = pe + (hi * zLo + lo * zHi);
        TwoSum(p, c, out double s, out double se);
        TwoSum(s, se + t, out hi, out lo);
    }

    /// <summary>
    /// c0 + c1 z + ... + c8 z^8 at z = zHi + zLo by Horner steps carried in two parts; lower degrees
    /// pass zeros for the top coefficients (a zero step is exact, so the result is the same).
    /// </summary>
    public static void PolynomialTwoPart(double zHi, double zLo, double c0, double c1, double c2, double c3, double c4,
        double c5, double c6, double c7, double c8, out double hi, out double lo) =>
        PolynomialTwoPart(zHi, zLo, c0, c1, c2, c3, c4, c5, c6, c7, c8, 0.0, out hi, out lo);

    /// <summary>
    /// c0 + c1 z + ... + c7 z^7 + (topHi + topLo) z^8 in two parts: continues a Horner scheme whose
    /// higher coefficients an earlier call summed into the top.
    /// </summary>
    public static void PolynomialTwoPart(double zHi, double zLo, double c0, double c1, double c2, double c3, double c4,
        double c5, double c6, double c7, double topHi, double topLo, out double hi, out double lo)
    {
        hi = topHi;
        lo = topLo;
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c7);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c6);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c5);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c4);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c3);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c2);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c1);
        MultiplyAddTwoPart(ref hi, ref lo, zHi, zLo, c0);
    }

    /// <summary>(aHi + aLo)(bHi + bLo) as hi + lo, about 2^-100 relative, for products well inside the range.</summary>
    public static void MultiplyTwoPart(double aHi, double aLo, double bHi, double bLo, out double hi, out double lo)
    {
        TwoProduct(aHi, bHi, out double p, out double e);
        TwoSum(p, e + (aHi * bLo + aLo * bHi), out hi, out lo);
    }

    /// <summary>(aHi + aLo) + (bHi + bLo) as hi + lo, about 2^-100 relative unless the two cancel.</summary>
    public static void AddTwoPart(double aHi, double aLo, double bHi, double bLo, out double hi, out double lo)
    {
        TwoSum(aHi, bHi, out double s, out double e);
        TwoSum(s, e + (aLo + bLo), out hi, out lo);
    }
}
