namespace GpuDiff.Kernels.Math;

using static FloatBits;
using static ExactArithmetic;

// Exponentials after fdlibm (Sun Microsystems, 1993; "Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved."),
// as kept in FreeBSD msun. Rewritten over FloatBits so the same code runs in kernels.
public static partial class DMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double ExpOverflow = 7.09782712893383973096e+02;
    private const double ExpUnderflow = -7.45133219101941108420e+02;
    private const double TwoTo1023 = 8.98846567431158e307;
    private const double TwoToMinus1000 = 9.33263618503218878990e-302;

    // exp's remez polynomial on [-ln2/2, ln2/2] (ExpReduced and its four-lane form).
    private const double ExpP1 = 1.66666666666666019037e-01, ExpP2 = -2.77777777770155933842e-03, ExpP3 = 6.61375632143793436117e-05,
        ExpP4 = -1.65339022054652515390e-06, ExpP5 = 4.13813679705723846039e-08;

    /// <summary>e^x.</summary>
    public static double Exp(double x)
    {
        int hx = High(x);
        int sign = (hx >> 31) & 1;
        hx &= 0x7fffffff;
        if (hx >= 0x40862E42)
        {
            if (hx >= 0x7ff00000)
            {
                if (((hx & 0xfffff) | (int)Low(x)) != 0) return x + x;
                return sign == 0 ? x : 0.0;
            }
            if (x > ExpOverflow) return double.PositiveInfinity;
            if (x < ExpUnderflow) return 0.0;
        }
        // fdlibm's reduction gives 2.7182818284590455 here; the correctly rounded value is nicer.
        if (x == 1.0) return 2.718281828459045235360;

        double hi, lo;
        int k;
        if (hx > 0x3fd62e42)
        {
            if (hx < 0x3FF0A2B2)
            {
                hi = sign == 0 ? x - Ln2Hi : x + Ln2Hi;
                lo = sign == 0 ? Ln2Lo : -Ln2Lo;
                k = 1 - sign - sign;
            }
            else
            {
                k = (int)(InvLn2 * x + (sign == 0 ? 0.5 : -0.5));
                double t = k;
                hi = x - t * Ln2Hi; // exact: t * Ln2Hi has trailing zeros
                lo = t * Ln2Lo;
            }
        }
        else if (hx < 0x3e300000)
        {
            return 1.0 + x;
        }
        else
        {
            hi = x;
            lo = 0.0;
            k = 0;
        }
        return ExpReduced(hi, lo, k);
    }

    /// <summary>2^k * e^(hi - lo) for |hi - lo| &lt;= ln2/2, the shared core of Exp and Exp2.</summary>
    private static double ExpReduced(double hi, double lo, int k)
    {
        double x = hi - lo;
        double t = x * x;
        double c = x - t * (ExpP1 + t * (ExpP2 + t * (ExpP3 + t * (ExpP4 + t * ExpP5))));
        if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
        double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
        if (k >= -1021)
        {
            if (k == 1024) return y * 2.0 * TwoTo1023;
            return y * FromWords(0x3ff00000 + (k << 20), 0);
        }
        return y * FromWords(0x3ff00000 + ((k + 1000) << 20), 0) * TwoToMinus1000;
    }

    /// <summary>2^x; exact for integer x in range.</summary>
    public static double Exp2(double x)
    {
        if (IsNaN(x)) return x;
        if (x >= 1024.0) return double.PositiveInfinity;
        if (x < -1075.0) return 0.0;
        double k = Round(x);
        double r = x - k; // exact, |r| <= 1/2
        if (r == 0.0) return ScaleB(1.0, (int)k);
        // r * ln2 as an unevaluated sum hi + e, then fed to the exp core as hi - lo.
        TwoProduct(r, Ln2Hi + Ln2Lo, out double p, out double e);
        double lo = -(e + r * Ln2TailBeyondDouble);
        double hi = p;
        // The core's k != 0 form keeps lo; halving its 2^1 result is exact, and ScaleB rounds once.
        double m = ExpReduced(hi, lo, 1) * 0.5;
        return ScaleB(m, (int)k);
    }

    /// <summary>ln 2 minus the double nearest to it (Ln2Hi + Ln2Lo rounds to that double).</summary>
    private const double Ln2TailBeyondDouble = 2.3190468138462996e-17;

    /// <summary>e^x - 1, accurate near zero.</summary>
    public static double Expm1(double x)
    {
        const double Q1 = -3.33333333333331316428e-02, Q2 = 1.58730158725481460165e-03,
            Q3 = -7.93650757867487942473e-05, Q4 = 4.00821782732936239552e-06, Q5 = -2.01099218183624371326e-07;
        int hx = High(x);
        bool negative = hx < 0;
        hx &= 0x7fffffff;
        if (hx >= 0x4043687A)
        {
            if (hx >= 0x40862E42)
            {
                if (hx >= 0x7ff00000)
                {
                    if (((hx & 0xfffff) | (int)Low(x)) != 0) return x + x;
                    return negative ? -1.0 : x;
                }
                if (x > ExpOverflow) return double.PositiveInfinity;
            }
            if (negative) return -1.0; // e^x < 2^-56 here
        }
        double hi, lo, c = 0.0;
        int k;
        if (hx > 0x3fd62e42)
        {
            if (hx < 0x3FF0A2B2)
            {
                if (!negative) { hi = x - Ln2Hi; lo = Ln2Lo; k = 1; }
                else { hi = x + Ln2Hi; lo = -Ln2Lo; k = -1; }
            }
            else
            {
                k = (int)(InvLn2 * x + (negative ? -0.5 : 0.5));
                double tk = k;
                hi = x - tk * Ln2Hi;
                lo = tk * Ln2Lo;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        }
        else if (hx < 0x3c900000)
        {
            return x;
        }
        else
        {
            k = 0;
        }
        double hfx = 0.5 * x;
        double hxs = x * hfx;
        double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0) return x - (x * e - hxs);
        e = (x * (e - c) - c);
        e -= hxs;
        if (k == -1) return 0.5 * (x - e) - 0.5;
        if (k == 1)
        {
            if (x < -0.25) return -2.0 * (e - (x + 0.5));
            return 1.0 + 2.0 * (x - e);
        }
        double y;
        if (k <= -2 || k > 56)
        {
            y = 1.0 - (e - x);
            if (k == 1024) y = y * 2.0 * TwoTo1023;
            else y *= FromWords(0x3ff00000 + (k << 20), 0);
            return y - 1.0;
        }
        double twopk = FromWords(0x3ff00000 + (k << 20), 0);
        if (k < 20)
        {
            t = FromWords(0x3ff00000 - (0x200000 >> k), 0);
            y = t - (e - x);
            return y * twopk;
        }
        t = FromWords((0x3ff - k) << 20, 0);
        y = x - (e + t);
        y += 1.0;
        return y * twopk;
    }

    /// <summary>Hyperbolic cosine.</summary>
    public static double Cosh(double x)
    {
        int ix = High(x) & 0x7fffffff;
        if (ix >= 0x7ff00000) return x * x;
        double ax = Abs(x);
        if (ix < 0x3fd62e43)
        {
            double t = Expm1(ax);
            double w = 1.0 + t;
            if (ix < 0x3c800000) return w;
            return 1.0 + (t * t) / (w + w);
        }
        if (ix < 0x40360000)
        {
            double t = Exp(ax);
            return 0.5 * t + 0.5 / t;
        }
        if (ix < 0x40862E42) return 0.5 * Exp(ax);
        if (ix <= 0x408633CE) return ExpScaledHalf(ax);
        return double.PositiveInfinity;
    }

    /// <summary>e^x / 2 for x just past exp's overflow threshold, where e^x itself would overflow.</summary>
    private static double ExpScaledHalf(double x)
    {
        // 1799 ln 2 rounds to a double with an unusually small error, so x - KLn2 is exact
        // (Sterbenz) and e^(x - KLn2) loses nothing; the power of two is put back after.
        const double KLn2 = 1246.97177782734161156;
        double m = Exp(x - KLn2);
        int hx = High(m);
        int expt = (hx >> 20) - (0x3ff + 1023) + 1799 - 1;
        m = FromWords((hx & 0xfffff) | ((0x3ff + 1023) << 20), Low(m));
        return m * FromWords((0x3ff + expt) << 20, 0);
    }
}
