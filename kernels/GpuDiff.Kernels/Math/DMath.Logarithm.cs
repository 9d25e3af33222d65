namespace GpuDiff.Kernels.Math;

using static FloatBits;

// Logarithms and inverse hyperbolics after fdlibm / FreeBSD msun (Sun Microsystems, 1993;
// "Permission to use, copy, modify, and distribute this software is freely granted, provided
// that this notice is preserved.").
public static partial class DMath
{
    private const double Two54 = 1.80143985094819840000e+16;
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
        Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01,
        Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

    /// <summary>Natural logarithm.</summary>
    public static double Log(double x)
    {
        int hx = High(x);
        uint lx = Low(x);
        int k = 0;
        if (hx < 0x00100000)
        {
            if (((hx & 0x7fffffff) | (int)lx) == 0) return double.NegativeInfinity;
            if (hx < 0) return double.NaN;
            k -= 54;
            x *= Two54;
            hx = High(x);
        }
        if (hx >= 0x7ff00000) return x + x;
        k += (hx >> 20) - 1023;
        hx &= 0x000fffff;
        int i = (hx + 0x95f64) & 0x100000;
        x = WithHigh(x, hx | (i ^ 0x3ff00000)); // x or x/2, in [sqrt(2)/2, sqrt(2))
        k += i >> 20;
        double f = x - 1.0;
        double dk = k;
        if ((0x000fffff & (2 + hx)) < 3)
        {
            if (f == 0.0) return k == 0 ? 0.0 : dk * Ln2Hi + dk * Ln2Lo;
            double rr = f * f * (0.5 - 0.33333333333333333 * f);
            return k == 0 ? f - rr : dk * Ln2Hi - ((rr - dk * Ln2Lo) - f);
        }
        double s = f / (2.0 + f);
        double z = s * s;
        int ii = hx - 0x6147a;
        double w = z * z;
        int j = 0x6b851 - hx;
        double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
        double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        ii |= j;
        double r = t2 + t1;
        if (ii > 0)
        {
            double hfsq = 0.5 * f * f;
            return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + dk * Ln2Lo)) - f);
        }
        return k == 0 ? f - s * (f - r) : dk * Ln2Hi - ((s * (f - r) - dk * Ln2Lo) - f);
    }

    /// <summary>log(1 + f) - f + f*f/2 for f in [sqrt(2)/2 - 1, sqrt(2) - 1] (FreeBSD's k_log1p).</summary>
    private static double Log1pTail(double f)
    {
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
        double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        double r = t2 + t1;
        double hfsq = 0.5 * f * f;
        return s * (hfsq + r);
    }

    /// <summary>log(1 + f) as hi + lo with hi holding 21 bits, so products with hi are exact (Log2, Log10).</summary>
    private static void SplitLog1p(double f, out double hi, out double lo)
    {
        double hfsq = 0.5 * f * f;
        double r = Log1pTail(f);
        hi = WithLowZero(f - hfsq);
        lo = (f - hi) - hfsq + r;
    }

    /// <summary>Splits x into 2^k * (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)); false for special x.</summary>
    private static bool Decompose(ref double x, out int k, out double f)
    {
        int hx = High(x);
        uint lx = Low(x);
        k = 0;
        f = 0.0;
        if (hx < 0x00100000)
        {
            if (((hx & 0x7fffffff) | (int)lx) == 0) { x = double.NegativeInfinity; return false; }
            if (hx < 0) { x = double.NaN; return false; }
            k -= 54;
            x *= Two54;
            hx = High(x);
        }
        if (hx >= 0x7ff00000) { x += x; return false; }
        if (hx == 0x3ff00000 && lx == 0) { x = 0.0; return false; }
        k += (hx >> 20) - 1023;
        hx &= 0x000fffff;
        int i = (hx + 0x95f64) & 0x100000;
        x = WithHigh(x, hx | (i ^ 0x3ff00000));
        k += i >> 20;
        f = x - 1.0;
        return true;
    }

    /// <summary>Base-2 logarithm; exact for powers of two.</summary>
    public static double Log2(double x)
    {
        const double IvLn2Hi = 1.44269504072144627571e+00, IvLn2Lo = 1.67517131648865118353e-10;
        if (!Decompose(ref x, out int k, out double f)) return x;
        SplitLog1p(f, out double hi, out double lo);
        double valHi = hi * IvLn2Hi;
        double valLo = (lo + hi) * IvLn2Lo + lo * IvLn2Hi;
        double y = k;
        double w = y + valHi;
        valLo += (y - w) + valHi;
        return valLo + w;
    }

    /// <summary>Base-10 logarithm.</summary>
    public static double Log10(double x)
    {
        const double IvLn10Hi = 4.34294481878168880939e-01, IvLn10Lo = 2.50829467116452752298e-11,
            Log10Of2Hi = 3.01029995663611771306e-01, Log10Of2Lo = 3.69423907715893078616e-13;
        if (!Decompose(ref x, out int k, out double f)) return x;
        SplitLog1p(f, out double hi, out double lo);
        double valHi = hi * IvLn10Hi;
        double y = k;
        double y2 = y * Log10Of2Hi;
        double valLo = y * Log10Of2Lo + (lo + hi) * IvLn10Lo + lo * IvLn10Hi;
        double w = y2 + valHi;
        valLo += (y2 - w) + valHi;
        return valLo + w;
    }

    /// <summary>log(1 + x), accurate near zero.</summary>
    public static double Log1p(double x)
    {
        int hx = High(x);
        int ax = hx & 0x7fffffff;
        int k = 1;
        double f = 0.0, c = 0.0;
        int hu = 0;
        if (hx < 0x3FDA827A)
        {
            if (ax >= 0x3ff00000)
            {
                if (x == -1.0) return double.NegativeInfinity;
                return double.NaN;
            }
            if (ax < 0x3e200000)
            {
                if (ax < 0x3c900000) return x;
                return x - x * x * 0.5;
            }
            if (hx > 0 || hx <= unchecked((int)0xbfd2bec4))
            {
                k = 0;
                f = x;
                hu = 1;
            }
        }
        if (hx >= 0x7ff00000) return x + x;
        if (k != 0)
        {
            double u;
            if (hx < 0x43400000)
            {
                u = 1.0 + x;
                hu = High(u);
                k = (hu >> 20) - 1023;
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // rounding error of 1 + x
                c /= u;
            }
            else
            {
                u = x;
                hu = High(u);
                k = (hu >> 20) - 1023;
                c = 0;
            }
            hu &= 0x000fffff;
            if (hu < 0x6a09e)
            {
                u = WithHigh(u, hu | 0x3ff00000);
            }
            else
            {
                k += 1;
                u = WithHigh(u, hu | 0x3fe00000);
                hu = (0x00100000 - hu) >> 2;
            }
            f = u - 1.0;
        }
        double hfsq = 0.5 * f * f;
        double dk = k;
        if (hu == 0)
        {
            if (f == 0.0)
            {
                if (k == 0) return 0.0;
                c += dk * Ln2Lo;
                return dk * Ln2Hi + c;
            }
            double rr = hfsq * (1.0 - 0.66666666666666666 * f);
            return k == 0 ? f - rr : dk * Ln2Hi - ((rr - (dk * Ln2Lo + c)) - f);
        }
        double s = f / (2.0 + f);
        double z = s * s;
        double r = z * (Lg1 + z * (Lg2 + z * (Lg3 + z * (Lg4 + z * (Lg5 + z * (Lg6 + z * Lg7))))));
        return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + (dk * Ln2Lo + c))) - f);
    }

    private const double Ln2 = 6.93147180559945286227e-01;

    /// <summary>Inverse hyperbolic sine.</summary>
    public static double Asinh(double x)
    {
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7ff00000) return x + x;
        if (ix < 0x3e300000) return x;
        double w;
        double t = Abs(x);
        if (ix > 0x41b00000) w = Log(t) + Ln2;
        else if (ix > 0x40000000) w = Log(2.0 * t + 1.0 / (Sqrt(x * x + 1.0) + t));
        else
        {
            double t2 = x * x;
            w = Log1p(t + t2 / (1.0 + Sqrt(1.0 + t2)));
        }
        return hx > 0 ? w : -w;
    }

    /// <summary>Inverse hyperbolic cosine; NaN below 1.</summary>
    public static double Acosh(double x)
    {
        int hx = High(x);
        uint lx = Low(x);
        if (hx < 0x3ff00000) return double.NaN + (x - x);
        if (hx >= 0x41b00000) return hx >= 0x7ff00000 ? x + x : Log(x) + Ln2;
        if (((hx - 0x3ff00000) | (int)lx) == 0) return 0.0;
        if (hx > 0x40000000) return Log(2.0 * x - 1.0 / (x + Sqrt(x * x - 1.0)));
        return AcoshNearOne(x);
    }

    /// <summary>Inverse hyperbolic tangent; ±Inf at ±1, NaN beyond.</summary>
    public static double Atanh(double x)
    {
        int hx = High(x);
        uint lx = Low(x);
        int ix = hx & 0x7fffffff;
        if ((ix | (int)((lx | (uint)-(int)lx) >> 31)) > 0x3ff00000) return double.NaN + (x - x);
        if (ix == 0x3ff00000) return hx >= 0 ? double.PositiveInfinity : double.NegativeInfinity;
        if (ix < 0x3e300000) return x;
        double ax = WithHigh(x, ix);
        double t;
        if (ix < 0x3fe00000)
        {
            t = ax + ax;
            t = 0.5 * Log1p(t + t * ax / (1.0 - ax));
        }
        else
        {
            t = 0.5 * Log1p((ax + ax) / (1.0 - ax));
        }
        return hx >= 0 ? t : -t;
    }
}
