namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

// erf, erfc and the normal CDF, our own: for |x| < 1 erf's Taylor series, for 1 <= x < 28
// erfc(x) = e^(-x^2) h(1/x) / x with h fitted by mpmath on five intervals (erf_fits.py writes
// DMath.ErrorFunctionFits.g.cs). Every step before the last is carried in two parts (about
// 2^-100), e^(-x^2) from the exact square, so what remains is the fits' own error (2^-65 or less
// relative) and one rounding.
public static partial class DMath
{
    private const double TwoOverSqrtPiHi = 1.1283791670955126, TwoOverSqrtPiLo = 1.533545961316588e-17;
    private const double InvSqrt2Hi = 0.7071067811865476, InvSqrt2Lo = -4.833646656726457e-17;
    private const double InvSqrt2PiHi = 0.3989422804014327, InvSqrt2PiLo = -2.49232720227773e-17;

    /// <summary>The error function, 2/sqrt(pi) times the integral of e^(-t^2) from 0 to x.</summary>
    public static double Erf(double x)
    {
        if (IsNaN(x)) return x + x;
        double ax = Abs(x);
        if (ax < 1.0)
        {
            if (x == 0.0) return x; // the sign of zero, which the two-part sum would lose
            ErfSmallTwoPart(x, 0.0, out double hi, out double lo);
            return hi + lo;
        }
        double r = 1.0; // |x| >= 6: 1 - erf(x) < 2^-54, rounds to 1
        if (ax < 6.0)
        {
            ErfcTailTwoPart(ax, 0.0, out double cHi, out double cLo);
            TwoSum(1.0, -cHi, out double a, out double ae);
            r = a + (ae - cLo);
        }
        return x < 0.0 ? -r : r;
    }

    /// <summary>The complementary error function 1 - erf(x), accurate where it is tiny (x up to 27.3).</summary>
    public static double Erfc(double x)
    {
        if (IsNaN(x)) return x + x;
        if (Abs(x) < 1.0)
        {
            ErfSmallTwoPart(x, 0.0, out double hi, out double lo);
            TwoSum(1.0, -hi, out double a, out double ae);
            return a + (ae - lo);
        }
        if (x > 0.0)
        {
            if (x >= 28.0) return 0.0; // below half the smallest subnormal
            int k = ErfcTailTwoPart(x, 0.0, out double cHi, out double cLo);
            // A subnormal result rounds twice (here and in ScaleB): still within 1 ulp, as the
            // first rounding is 2^-53 relative and the grid's spacing is coarser.
            return ScaleB(cHi + cLo, k);
        }
        if (x <= -6.0) return 2.0; // 2 - erfc(-x) rounds to 2
        ErfcTailTwoPart(-x, 0.0, out double tHi, out double tLo);
        TwoSum(2.0, -tHi, out double s, out double se);
        return s + (se - tLo);
    }

    /// <summary>
    /// The standard normal distribution function Phi(x) = erfc(-x/sqrt(2))/2, within 1 ulp: the
    /// argument -x/sqrt(2) is carried in two parts into erfc's evaluation, so its rounding (which
    /// erfc would magnify x^2 times in the lower tail) never happens.
    /// </summary>
    public static double NormalCdf(double x)
    {
        if (IsNaN(x)) return x + x;
        if (x >= 9.0) return 1.0;   // 1 - Phi(9) = 1.1e-19, below half an ulp of 1
        if (x <= -40.0) return 0.0; // Phi(-38.5) is below half the smallest subnormal
        TwoProduct(x, -InvSqrt2Hi, out double t, out double tLo);
        tLo -= x * InvSqrt2Lo;
        double at = Abs(t);
        if (at < 1.0)
        {
            ErfSmallTwoPart(t, tLo, out double hi, out double lo);
            TwoSum(1.0, -hi, out double a, out double ae);
            return 0.5 * a + 0.5 * (ae - lo); // both halvings exact: one rounding
        }
        if (t < 0.0 && at >= 6.0) return 1.0; // x >= 8.49: erfc(|t|)/2 < 2^-55
        double aLo = t < 0.0 ? -tLo : tLo;
        int k = ErfcTailTwoPart(at, aLo, out double cHi, out double cLo);
        if (t > 0.0) return ScaleB(cHi + cLo, k - 1);
        // x >= 1.41: 1 - erfc(|t|)/2 (k = 0: already applied below |t| = 6)
        TwoSum(1.0, -0.5 * cHi, out double s, out double se);
        return s + (se - 0.5 * cLo);
    }

    /// <summary>The derivatives of Phi: d = e^(-x^2/2)/sqrt(2 pi) and d2 = -x d, each within 1 ulp.</summary>
    internal static void NormalCdfDerivatives(double x, out double d, out double d2) =>
        ScaledGaussian(x, 0.5, InvSqrt2PiHi, InvSqrt2PiLo, -x, out d, out d2);

    /// <summary>The derivatives of erf: d = 2/sqrt(pi) e^(-x^2) and d2 = -2x d, each within 1 ulp.</summary>
    internal static void ErfDerivatives(double x, out double d, out double d2) =>
        ScaledGaussian(x, 1.0, TwoOverSqrtPiHi, TwoOverSqrtPiLo, -2.0 * x, out d, out d2);

    /// <summary>
    /// d = c e^(-a x^2) and d2 = slope d, each within 1 ulp (a = 1 or 1/2, slope = -2ax exact):
    /// e^(-a x^2) from the exact square in two parts, and both scaled into the subnormal range
    /// last, so d2 does not inherit the few bits a subnormal d has.
    /// </summary>
    private static void ScaledGaussian(double x, double a, double cHi, double cLo, double slope, out double d, out double d2)
    {
        double ax = Abs(x);
        if (!(a * ax * ax < 800.0)) // e^-800 is far below the smallest subnormal; NaN and infinity too
        {
            d = IsNaN(x) ? x + x : 0.0;
            d2 = IsNaN(x) ? d : -CopySign(0.0, x);
            return;
        }
        TwoProduct(ax, ax, out double p, out double pe);
        int k = ExpTwoPartUnscaled(-(a * p), -(a * pe), out double eHi, out double eLo);
        TwoProduct(eHi, cHi, out double m, out double me);
        me += eHi * cLo + eLo * cHi;
        d = ScaleB(m + me, k);
        TwoProduct(m, slope, out double n, out double ne);
        d2 = ScaleB(n + (ne + me * slope), k);
    }

    /// <summary>erf(x) = x S(x^2) as hi + lo for |x| &lt; 1, x = x + xLo.</summary>
    private static void ErfSmallTwoPart(double x, double xLo, out double hi, out double lo)
    {
        TwoProduct(x, x, out double u, out double uLo);
        uLo += 2.0 * x * xLo;
        ErfSeries(u, uLo, out double s, out double sLo);
        MultiplyTwoPart(x, xLo, s, sLo, out hi, out lo);
    }

    /// <summary>
    /// erfc(x) = 2^k (hi + lo) for 1 &lt;= x &lt; 28, x = x + xLo: e^(-x^2) h(1/x) / x, all in two
    /// parts. Returns k; for x &lt; 6 it is already applied (k = 0).
    /// </summary>
    private static int ErfcTailTwoPart(double x, double xLo, out double hi, out double lo)
    {
        TwoProduct(x, x, out double p, out double pe);
        pe += 2.0 * x * xLo;
        int k = ExpTwoPartUnscaled(-p, -pe, out double eHi, out double eLo);
        ScaledErfc(x, xLo, out double h, out double hLo);
        MultiplyTwoPart(eHi, eLo, h, hLo, out double a, out double aLo);
        DivideTwoPart(a, aLo, x, xLo, out hi, out lo);
        if (x < 6.0)
        {
            double scale = FromWords(0x3ff00000 + (k << 20), 0); // k >= -53: exact
            hi *= scale;
            lo *= scale;
            return 0;
        }
        return k;
    }

    /// <summary>One fit of <see cref="ScaledErfc"/>: the polynomial in w = (1/x - mid) / half, in two parts.</summary>
    private static void ScaledErfcFit(double x, double xLo, double mid, double midLo, double invHalf, double invHalfLo,
        double c0, double c0Lo, double c1, double c1Lo, double c2, double c3, double c4, double c5, double c6, double c7,
        double c8, double c9, double c10, double c11, double c12, double c13, double c14, double c15, double c16,
        out double hi, out double lo)
    {
        DivideTwoPart(1.0, 0.0, x, xLo, out double z, out double zLo);
        TwoSum(z, -mid, out double d, out double dLo);
        MultiplyTwoPart(d, dLo + (zLo - midLo), invHalf, invHalfLo, out double w, out double wLo);
        PolynomialTwoPart(w, wLo, c8, c9, c10, c11, c12, c13, c14, c15, c16, out double top, out double topLo);
        PolynomialTwoPart(w, wLo, c0, c1, c2, c3, c4, c5, c6, c7, top, topLo, out hi, out lo);
        lo += c0Lo + c1Lo * w; // the leading coefficients beyond their doubles
    }

    /// <summary>c0 + c1 u + ... + c20 u^20 in two parts (c0 and c1 with their second doubles): <see cref="ErfSeries"/>.</summary>
    private static void SeriesTwoPart(double u, double uLo, double c0, double c0Lo, double c1, double c1Lo, double c2, double c3,
        double c4, double c5, double c6, double c7, double c8, double c9, double c10, double c11, double c12, double c13,
        double c14, double c15, double c16, double c17, double c18, double c19, double c20, out double hi, out double lo)
    {
        // From u^17 on the terms are below 2^-53 of the sum for |u| < 1: plain doubles carry them.
        double tail = c16 + u * (c17 + u * (c18 + u * (c19 + u * c20)));
        PolynomialTwoPart(u, uLo, c8, c9, c10, c11, c12, c13, c14, c15, tail, out double top, out double topLo);
        PolynomialTwoPart(u, uLo, c0, c1, c2, c3, c4, c5, c6, c7, top, topLo, out hi, out lo);
        lo += c0Lo + c1Lo * u; // the leading coefficients beyond their doubles
    }
}
