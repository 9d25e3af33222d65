namespace GpuDiff.Kernels.Math;

using static FloatBits;

// Trigonometric functions after fdlibm / FreeBSD msun (Sun Microsystems, 1993; "Permission to
// use, copy, modify, and distribute this software is freely granted, provided that this notice
// is preserved."), with our own large-argument reduction (PiOverTwoReduction).
public static partial class DMath
{
    /// <summary>sin(x + y) for |x + y| &lt;= pi/4, y the tail of the reduced argument.</summary>
    private static double SinKernel(double x, double y, bool hasTail)
    {
        const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
            S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
            S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
        double z = x * x;
        double w = z * z;
        double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
        double v = z * x;
        if (!hasTail) return x + v * (S1 + z * r);
        return x - ((z * (0.5 * y - v * r) - y) - v * S1);
    }

    /// <summary>cos(x + y) for |x + y| &lt;= pi/4.</summary>
    private static double CosKernel(double x, double y)
    {
        const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
            C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
            C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
        double z = x * x;
        double w = z * z;
        double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
        double hz = 0.5 * z;
        // 1 + (-hz), not 1 - hz: ILGPU folds 1 - (1 - hz) to hz, losing the rounding error this
        // compensated sum recovers (see DMath's remarks). The two forms round identically.
        w = 1.0 + -hz;
        return w + (((1.0 - w) - hz) + (z * r - x * y));
    }

    /// <summary>tan(x + y) when <paramref name="odd"/> is false, -1/tan(x + y) when true.</summary>
    private static double TanKernel(double x, double y, bool odd)
    {
        const double T0 = 3.33333333333334091986e-01, T1 = 1.33333333333201242699e-01,
            T2 = 5.39682539762260521377e-02, T3 = 2.18694882948595424599e-02,
            T4 = 8.86323982359930005737e-03, T5 = 3.59207910759131235356e-03,
            T6 = 1.45620945432529025516e-03, T7 = 5.88041240820264096874e-04,
            T8 = 2.46463134818469906812e-04, T9 = 7.81794442939557092300e-05,
            T10 = 7.14072491382608190305e-05, T11 = -1.85586374855275456654e-05,
            T12 = 2.59073051863633712884e-05;
        const double Pio4 = 7.85398163397448278999e-01, Pio4Lo = 3.06161699786838301793e-17;
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        bool big = ix >= 0x3FE59428; // |x| >= 0.6744: use tan(pi/4 - x)
        if (big)
        {
            if (hx < 0) { x = -x; y = -y; }
            double zz = Pio4 - x;
            double ww = Pio4Lo - y;
            x = zz + ww;
            y = 0.0;
        }
        double z = x * x;
        double w = z * z;
        double r = T1 + w * (T3 + w * (T5 + w * (T7 + w * (T9 + w * T11))));
        double v = z * (T2 + w * (T4 + w * (T6 + w * (T8 + w * (T10 + w * T12)))));
        double s = z * x;
        r = y + z * (s * (r + v) + y);
        r += T0 * s;
        w = x + r;
        if (big)
        {
            v = odd ? -1.0 : 1.0;
            return (1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (w * w / (w + v) - r)));
        }
        if (!odd) return w;
        // -1/(x + r) without losing the low part of w.
        z = WithLowZero(w);
        v = r - (z - x);
        double a = -1.0 / w;
        double t = WithLowZero(a);
        s = 1.0 + t * z;
        return t + a * (s + t * v);
    }

    /// <summary>Sine of x in radians, with exact argument reduction for every finite x.</summary>
    public static double Sin(double x)
    {
        int ix = High(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb) return ix < 0x3e500000 ? x : SinKernel(x, 0.0, false);
        if (ix >= 0x7ff00000) return x - x;
        int n = PiOverTwoReduction.Reduce(x, out double y0, out double y1);
        return (n & 3) switch
        {
            0 => SinKernel(y0, y1, true),
            1 => CosKernel(y0, y1),
            2 => -SinKernel(y0, y1, true),
            _ => -CosKernel(y0, y1),
        };
    }

    /// <summary>Cosine of x in radians.</summary>
    public static double Cos(double x)
    {
        int ix = High(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb) return ix < 0x3e46a09e ? 1.0 : CosKernel(x, 0.0);
        if (ix >= 0x7ff00000) return x - x;
        int n = PiOverTwoReduction.Reduce(x, out double y0, out double y1);
        return (n & 3) switch
        {
            0 => CosKernel(y0, y1),
            1 => -SinKernel(y0, y1, true),
            2 => -CosKernel(y0, y1),
            _ => SinKernel(y0, y1, true),
        };
    }

    /// <summary>Sine and cosine of x with one argument reduction; the same bits as <see cref="Sin"/> and <see cref="Cos"/>.</summary>
    public static void SinCos(double x, out double sin, out double cos)
    {
        int ix = High(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb)
        {
            sin = ix < 0x3e500000 ? x : SinKernel(x, 0.0, false);
            cos = ix < 0x3e46a09e ? 1.0 : CosKernel(x, 0.0);
            return;
        }
        if (ix >= 0x7ff00000)
        {
            sin = cos = x - x;
            return;
        }
        int n = PiOverTwoReduction.Reduce(x, out double y0, out double y1);
        double s = SinKernel(y0, y1, true), c = CosKernel(y0, y1);
        (sin, cos) = (n & 3) switch
        {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
    }

    /// <summary>Tangent of x in radians.</summary>
    public static double Tan(double x)
    {
        int ix = High(x) & 0x7fffffff;
        if (ix <= 0x3fe921fb) return ix < 0x3e400000 ? x : TanKernel(x, 0.0, false);
        if (ix >= 0x7ff00000) return x - x;
        int n = PiOverTwoReduction.Reduce(x, out double y0, out double y1);
        return TanKernel(y0, y1, (n & 1) != 0);
    }
}
