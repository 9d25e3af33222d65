namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

// sinh and tanh near 1 and acosh near 1 lose up to 2 ulp when built from expm1/log1p in plain
// double (two roundings on top of the library call). These pieces carry the intermediate
// results as unevaluated sums hi + lo (about 60 good bits) so only the last rounding remains.
public static partial class DMath
{
    /// <summary>e^x as hi + lo with about 2^-60 relative error, for |x| &lt;= 23.</summary>
    private static void ExpTwoPart(double x, out double hi, out double lo)
    {
        int k = (int)(InvLn2 * x + (x < 0 ? -0.5 : 0.5));
        double kd = k;
        double rHi = x - kd * Ln2Hi; // exact
        double rLo = -kd * Ln2Lo;
        ExpOfReducedTwoPart(rHi, rLo, out hi, out lo);
        double scale = FromWords(0x3ff00000 + (k << 20), 0);
        hi *= scale;
        lo *= scale;
    }

    /// <summary>
    /// e^(xHi + xLo) = 2^k (hi + lo) with about 2^-60 relative error, k returned and not applied, so
    /// the caller can divide or multiply before the one rounding that scaling into a subnormal takes.
    /// For |xHi + xLo| &lt;= 1100 and |xLo| &lt;= 1.
    /// </summary>
    private static int ExpTwoPartUnscaled(double xHi, double xLo, out double hi, out double lo)
    {
        int k = (int)(InvLn2 * (xHi + xLo) + (xHi < 0 ? -0.5 : 0.5));
        double kd = k;
        double rHi = xHi - kd * Ln2Hi; // exact: kd * Ln2Hi has 21 trailing zero bits, |k| < 2^11
        double rLo = xLo - kd * Ln2Lo;
        ExpOfReducedTwoPart(rHi, rLo, out hi, out lo);
        return k;
    }

    /// <summary>e^(rHi + rLo) as hi + lo, for |rHi + rLo| &lt;= ln2/2 (a little beyond is harmless).</summary>
    private static void ExpOfReducedTwoPart(double rHi, double rLo, out double hi, out double lo)
    {
        TwoSum(rHi, rLo, out double r, out double rErr);
        // e^r = 1 + r + r^2/2 + r^3 P(r); the cubic tail only needs plain double accuracy.
        // Up to r^17/17!: the first omitted term is below 2^-70 for |r| <= ln2/2.
        double tail = r * r * r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800 + r * (1.0 / 479001600 + r * (1.0 / 6227020800 + r * (1.0 / 87178291200 + r * (1.0 / 1307674368000 + r * (1.0 / 20922789888000 + r * (1.0 / 355687428096000)))))))))))))));
        TwoSum(1.0, r, out double s, out double e1);
        TwoProduct(r, r, out double q, out double e2);
        q *= 0.5;
        e2 *= 0.5;
        TwoSum(s, q, out double s2, out double e3);
        double low = e1 + e2 + e3 + rErr + r * rErr + tail;
        hi = s2 + low;
        lo = low - (hi - s2);
    }

    /// <summary>(aHi + aLo) / (bHi + bLo), rounded once.</summary>
    private static double DivideTwoPart(double aHi, double aLo, double bHi, double bLo)
    {
        DivideTwoPart(aHi, aLo, bHi, bLo, out double q, out double r);
        return q + r;
    }

    /// <summary>(aHi + aLo) / (bHi + bLo) as q + r with about 2^-100 relative error, unrounded.</summary>
    private static void DivideTwoPart(double aHi, double aLo, double bHi, double bLo, out double q, out double r)
    {
        q = aHi / bHi;
        TwoProduct(q, bHi, out double p, out double pe);
        r = (((aHi - p) - pe) + aLo - q * bLo) / bHi;
    }

    /// <summary>e^|x| and e^-|x| as two-part sums, for the hyperbolic functions.</summary>
    private static void ExpPair(double ax, out double eHi, out double eLo, out double iHi, out double iLo)
    {
        ExpTwoPart(ax, out eHi, out eLo);
        iHi = 1.0 / eHi;
        TwoProduct(iHi, eHi, out double p, out double pe);
        iLo = (((1.0 - p) - pe) - iHi * eLo) * iHi;
    }

    /// <summary>Hyperbolic sine.</summary>
    public static double Sinh(double x)
    {
        int jx = High(x);
        int ix = jx & 0x7fffffff;
        if (ix >= 0x7ff00000) return x + x;
        double ax = Abs(x);
        double h = jx < 0 ? -0.5 : 0.5;
        if (ix < 0x3fb00000) // |x| < 1/16: the Taylor series, whose tail is far below an ulp
        {
            if (ix < 0x3e300000) return x;
            double z = x * x;
            double p = z * (1.0 / 6 + z * (1.0 / 120 + z * (1.0 / 5040 + z * (1.0 / 362880 + z * (1.0 / 39916800)))));
            return x + x * p;
        }
        if (ix < 0x40360000)
        {
            ExpPair(ax, out double eHi, out double eLo, out double iHi, out double iLo);
            TwoSum(eHi, -iHi, out double d, out double de);
            return h * (d + (de + eLo - iLo));
        }
        if (ix < 0x40862E42) return h * Exp(ax);
        if (ix <= 0x408633CE) return h * 2.0 * ExpScaledHalf(ax);
        return x * double.PositiveInfinity;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public static double Tanh(double x)
    {
        int jx = High(x);
        int ix = jx & 0x7fffffff;
        if (ix >= 0x7ff00000) return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
        if (ix < 0x3e300000) return x;
        double ax = Abs(x);
        double z;
        if (ix >= 0x40360000) z = 1.0; // |x| >= 22: 1 - tanh < 2^-63
        else if (ix < 0x3fb00000)
        {
            double w = ax * ax;
            double sinhTail = ax * (w * (1.0 / 6 + w * (1.0 / 120 + w * (1.0 / 5040 + w * (1.0 / 362880 + w * (1.0 / 39916800))))));
            double coshTail = w * (0.5 + w * (1.0 / 24 + w * (1.0 / 720 + w * (1.0 / 40320 + w * (1.0 / 3628800 + w * (1.0 / 479001600))))));
            TwoSum(ax, sinhTail, out double sHi, out double sLo);
            TwoSum(1.0, coshTail, out double cHi, out double cLo);
            z = DivideTwoPart(sHi, sLo, cHi, cLo);
        }
        else
        {
            ExpPair(ax, out double eHi, out double eLo, out double iHi, out double iLo);
            TwoSum(eHi, -iHi, out double n, out double ne);
            TwoSum(eHi, iHi, out double d, out double de);
            z = DivideTwoPart(n, ne + eLo - iLo, d, de + eLo + iLo);
        }
        return jx >= 0 ? z : -z;
    }

    /// <summary>acosh(x) for 1 &lt; x &lt;= 2: log1p(t + sqrt(2t + t^2)), t = x - 1, with the sum kept exact.</summary>
    private static double AcoshNearOne(double x)
    {
        double t = x - 1.0; // exact
        TwoProduct(t, t, out double tt, out double tte);
        TwoSum(2.0 * t, tt, out double w, out double we);
        we += tte;
        double s = Sqrt(w);
        TwoProduct(s, s, out double ss, out double sse);
        double sLo = (((w - ss) - sse) + we) / (s + s);
        TwoSum(t, s, out double a, out double ae);
        double aLo = ae + sLo;
        return Log1p(a) + aLo / (1.0 + a);
    }
}
