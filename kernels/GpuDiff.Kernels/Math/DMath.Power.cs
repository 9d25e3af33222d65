namespace GpuDiff.Kernels.Math;

using static FloatBits;

// pow, cbrt and hypot after fdlibm / FreeBSD msun (Sun Microsystems, 1993-2004; "Permission to
// use, copy, modify, and distribute this software is freely granted, provided that this notice
// is preserved.").
public static partial class DMath
{
    /// <summary>x^y with C99's special cases; exact whenever the result is a representable integer.</summary>
    public static double Pow(double x, double y)
    {
        const double Two53 = 9007199254740992.0;
        const double L1 = 5.99999999999994648725e-01, L2 = 4.28571428578550184252e-01,
            L3 = 3.33333329818377432918e-01, L4 = 2.72728123808534006489e-01,
            L5 = 2.30660745775561754067e-01, L6 = 2.06975017800338417784e-01;
        const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
            P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
        const double Lg2 = 6.93147180559945286227e-01, Lg2H = 6.93147182464599609375e-01, Lg2L = -1.90465429995776804525e-09;
        const double Ovt = 8.0085662595372944372e-17;
        const double Cp = 9.61796693925975554329e-01, CpH = 9.61796700954437255859e-01, CpL = -7.02846165095275826516e-09;
        const double IvLn2 = 1.44269504088896338700e+00;
        const double Huge = double.PositiveInfinity, Tiny = 0.0;

        int hx = High(x), hy = High(y);
        uint lx = Low(x), ly = Low(y);
        int ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;

        if ((iy | (int)ly) == 0) return 1.0;
        if (hx == 0x3ff00000 && lx == 0) return 1.0;
        if (IsNaN(x) || IsNaN(y)) return x + y;

        // yIsInt: 0 = not an integer, 1 = odd integer, 2 = even integer (only needed for x < 0).
        int yIsInt = 0;
        if (hx < 0)
        {
            if (iy >= 0x43400000) yIsInt = 2;
            else if (iy >= 0x3ff00000)
            {
                int kk = (iy >> 20) - 0x3ff;
                if (kk > 20)
                {
                    uint jj = ly >> (52 - kk);
                    if ((jj << (52 - kk)) == ly) yIsInt = 2 - (int)(jj & 1);
                }
                else if (ly == 0)
                {
                    int jj = iy >> (20 - kk);
                    if ((jj << (20 - kk)) == iy) yIsInt = 2 - (jj & 1);
                }
            }
        }

        if (ly == 0)
        {
            if (iy == 0x7ff00000)
            {
                if (((ix - 0x3ff00000) | (int)lx) == 0) return 1.0;       // (-1)^±inf
                if (ix >= 0x3ff00000) return hy >= 0 ? y : 0.0;
                return hy < 0 ? -y : 0.0;
            }
            if (iy == 0x3ff00000) return hy < 0 ? 1.0 / x : x;
            if (hy == 0x40000000) return x * x;
            if (hy == 0x3fe00000 && hx >= 0) return Sqrt(x);
        }

        double ax = Abs(x);
        if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000))
        {
            double z0 = ax;
            if (hy < 0) z0 = 1.0 / z0;
            if (hx < 0)
            {
                if (((ix - 0x3ff00000) | yIsInt) == 0) z0 = double.NaN;
                else if (yIsInt == 1) z0 = -z0;
            }
            return z0;
        }

        int n = (int)((uint)hx >> 31) - 1;
        if ((n | yIsInt) == 0) return double.NaN; // negative x, non-integer y
        double s = 1.0;
        if ((n | (yIsInt - 1)) == 0) s = -1.0;     // negative x, odd integer y

        double t1, t2;
        if (iy > 0x41e00000)
        {
            // |y| > 2^31: the result over- or underflows unless x is within 2^-20 of 1.
            if (iy > 0x43f00000)
            {
                if (ix <= 0x3fefffff) return hy < 0 ? Huge : Tiny;
                if (ix >= 0x3ff00000) return hy > 0 ? Huge : Tiny;
            }
            if (ix < 0x3fefffff) return hy < 0 ? s * Huge : s * Tiny;
            if (ix > 0x3ff00000) return hy > 0 ? s * Huge : s * Tiny;
            // log2(1 + d) for |d| < 2^-20 as d/ln2 + (log(1+d) - d)/ln2, the first part exact
            // in two pieces; fdlibm's one-product form here costs up to 200 ulp at |y| ~ 2^32.
            const double IvLn2Tail = 2.0355273740931033e-17; // 1/ln2 minus IvLn2
            double d = ax - 1.0;
            double c = -(d * d) * (0.5 - d * (0.3333333333333333333333 - d * 0.25));
            ExactArithmetic.TwoProduct(d, IvLn2, out double u, out double ue);
            double v = ue + d * IvLn2Tail + c * IvLn2;
            t1 = WithLowZero(u + v);
            t2 = v - (t1 - u);
        }
        else
        {
            // log2(ax) as t1 + t2 with t1 holding 21 bits.
            n = 0;
            if (ix < 0x00100000) { ax *= Two53; n -= 53; ix = High(ax); }
            n += (ix >> 20) - 0x3ff;
            int j = ix & 0x000fffff;
            ix = j | 0x3ff00000;
            int k;
            if (j <= 0x3988E) k = 0;
            else if (j < 0xBB67A) k = 1;
            else { k = 0; n += 1; ix -= 0x00100000; }
            ax = WithHigh(ax, ix);
            double bp = k == 0 ? 1.0 : 1.5;
            double dpH = k == 0 ? 0.0 : 5.84962487220764160156e-01;
            double dpL = k == 0 ? 0.0 : 1.35003920212974897128e-08;
            double u = ax - bp;
            double v = 1.0 / (ax + bp);
            double ss = u * v;
            double sH = WithLowZero(ss);
            double tH = FromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
            double tL = ax - (tH - bp);
            double sL = v * ((u - sH * tH) - sH * tL);
            double s2 = ss * ss;
            double r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
            r += sL * (sH + ss);
            s2 = sH * sH;
            tH = WithLowZero(3.0 + s2 + r);
            tL = r - ((tH - 3.0) - s2);
            u = sH * tH;
            v = sL * tH + tL * ss;
            double pH = WithLowZero(u + v);
            double pL = v - (pH - u);
            double zH = CpH * pH;
            double zL = CpL * pH + pL * Cp + dpL;
            double tn = n;
            t1 = WithLowZero(((zH + zL) + dpH) + tn);
            t2 = zL - (((t1 - tn) - dpH) - zH);
        }

        // y * log2(x) as pHi + pLo, then 2^(pHi + pLo).
        double y1 = WithLowZero(y);
        double pLo = (y - y1) * t1 + y * t2;
        double pHi = y1 * t1;
        double zz = pLo + pHi;
        int jz = High(zz);
        uint iz = Low(zz);
        if (jz >= 0x40900000)
        {
            if (((jz - 0x40900000) | (int)iz) != 0) return s * Huge;
            if (pLo + Ovt > zz - pHi) return s * Huge;
        }
        else if ((jz & 0x7fffffff) >= 0x4090cc00)
        {
            if (((jz - unchecked((int)0xc090cc00)) | (int)iz) != 0) return s * Tiny;
            if (pLo <= zz - pHi) return s * Tiny;
        }
        int i = jz & 0x7fffffff;
        int kz = (i >> 20) - 0x3ff;
        int nz = 0;
        if (i > 0x3fe00000)
        {
            nz = jz + (0x00100000 >> (kz + 1));
            kz = ((nz & 0x7fffffff) >> 20) - 0x3ff;
            double tt = FromWords(nz & ~(0x000fffff >> kz), 0);
            nz = ((nz & 0x000fffff) | 0x00100000) >> (20 - kz);
            if (jz < 0) nz = -nz;
            pHi -= tt;
        }
        double t = WithLowZero(pLo + pHi);
        double uu = t * Lg2H;
        double vv = (pLo - (t - pHi)) * Lg2 + t * Lg2L;
        double z = uu + vv;
        double ww = vv - (z - uu);
        t = z * z;
        double tp = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        double rr = (z * tp) / (tp - 2.0) - (ww + z * ww);
        z = 1.0 - (rr - z);
        int jr = High(z) + (nz << 20);
        z = (jr >> 20) <= 0 ? ScaleB(z, nz) : WithHigh(z, jr);
        return s * z;
    }

    /// <summary>Real cube root, odd in x.</summary>
    public static double Cbrt(double x)
    {
        const uint B1 = 715094163, B2 = 696219795;
        const double P0 = 1.87595182427177009643, P1 = -1.88497979543377169875, P2 = 1.621429720105354466140,
            P3 = -0.758397934778766047437, P4 = 0.145996192886612446982;
        int hx = High(x);
        uint low = Low(x);
        uint sign = (uint)hx & 0x80000000;
        hx &= 0x7fffffff;
        if (hx >= 0x7ff00000) return x + x;
        double t;
        if (hx < 0x00100000)
        {
            if ((hx | (int)low) == 0) return x;
            t = FromWords(0x43500000, 0) * x; // 2^54 * x brings a subnormal into range
            uint high = (uint)High(t) & 0x7fffffff;
            t = FromWords((int)(sign | (high / 3 + B2)), 0);
        }
        else
        {
            t = FromWords((int)(sign | ((uint)hx / 3 + B1)), 0);
        }
        // A polynomial step to 23 bits, rounded to 32 bits, then one Newton step to 53 bits.
        double r = (t * t) * (t / x);
        t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4));
        t = BitConverter.Int64BitsToDouble((long)((ulong)(BitConverter.DoubleToInt64Bits(t) + 0x80000000L) & 0xffffffffc0000000UL));
        double s = t * t;
        r = x / s;
        double w = t + t;
        r = (r - t) / (w + r);
        return t + t * r;
    }

    /// <summary>sqrt(x^2 + y^2) without spurious overflow or underflow; +Inf if either is infinite.</summary>
    public static double Hypot(double x, double y)
    {
        int ha = High(x) & 0x7fffffff, hb = High(y) & 0x7fffffff;
        double a, b;
        if (hb > ha) { a = y; b = x; int j = ha; ha = hb; hb = j; } else { a = x; b = y; }
        a = Abs(a);
        b = Abs(b);
        if (ha - hb > 0x3c00000) return a + b; // ratio above 2^60
        int k = 0;
        if (ha > 0x5f300000)
        {
            if (ha >= 0x7ff00000)
            {
                double w0 = Abs(x + 0.0) - Abs(y + 0.0);
                if (((ha & 0xfffff) | (int)Low(a)) == 0) w0 = a;
                if (((hb ^ 0x7ff00000) | (int)Low(b)) == 0) w0 = b;
                return w0;
            }
            ha -= 0x25800000; hb -= 0x25800000; k += 600;
            a = WithHigh(a, ha);
            b = WithHigh(b, hb);
        }
        if (hb < 0x20b00000)
        {
            if (hb <= 0x000fffff)
            {
                if ((hb | (int)Low(b)) == 0) return a;
                double t1s = FromWords(0x7fd00000, 0); // 2^1022
                b *= t1s;
                a *= t1s;
                k -= 1022;
                ha = High(a); hb = High(b);
            }
            else
            {
                ha += 0x25800000; hb += 0x25800000; k -= 600;
                a = WithHigh(a, ha);
                b = WithHigh(b, hb);
            }
        }
        double w = a - b;
        if (w > b)
        {
            double t1 = FromWords(ha, 0);
            double t2 = a - t1;
            w = Sqrt(t1 * t1 - (b * (-b) - t2 * (a + t1)));
        }
        else
        {
            a = a + a;
            double y1 = FromWords(hb, 0);
            double y2 = b - y1;
            double t1 = FromWords(ha + 0x00100000, 0);
            double t2 = a - t1;
            w = Sqrt(t1 * y1 - (w * (-w) - (t1 * y2 + t2 * b)));
        }
        return k != 0 ? ScaleB(w, k) : w;
    }
}
