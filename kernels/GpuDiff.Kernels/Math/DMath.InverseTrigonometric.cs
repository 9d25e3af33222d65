namespace GpuDiff.Kernels.Math;

using static FloatBits;

// Inverse trigonometric functions after fdlibm / FreeBSD msun (Sun Microsystems, 1993;
// "Permission to use, copy, modify, and distribute this software is freely granted, provided
// that this notice is preserved.").
public static partial class DMath
{
    private const double Pio2Hi = 1.57079632679489655800e+00, Pio2Lo = 6.12323399573676603587e-17;
    private const double Pio4Hi = 7.85398163397448278999e-01;
    private const double PiHi = 3.14159265358979311600e+00, PiLo = 1.2246467991473531772E-16;

    /// <summary>The rational approximation asin(x) ~ x + x*R(x^2) shared by Asin and Acos.</summary>
    private static double AsinRational(double t)
    {
        const double PS0 = 1.66666666666666657415e-01, PS1 = -3.25565818622400915405e-01,
            PS2 = 2.01212532134862925881e-01, PS3 = -4.00555345006794114027e-02,
            PS4 = 7.91534994289814532176e-04, PS5 = 3.47933107596021167570e-05,
            QS1 = -2.40339491173441421878e+00, QS2 = 2.02094576023350569471e+00,
            QS3 = -6.88283971605453293030e-01, QS4 = 7.70381505559019352791e-02;
        double p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
        double q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
        return p / q;
    }

    /// <summary>Arcsine in [-pi/2, pi/2]; NaN outside [-1, 1].</summary>
    public static double Asin(double x)
    {
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x3ff00000)
        {
            if (((ix - 0x3ff00000) | (int)Low(x)) == 0) return x * Pio2Hi + x * Pio2Lo;
            return double.NaN + (x - x);
        }
        if (ix < 0x3fe00000)
        {
            if (ix < 0x3e500000) return x;
            return x + x * AsinRational(x * x);
        }
        double w = 1.0 - Abs(x);
        double t = w * 0.5;
        double r = AsinRational(t);
        double s = Sqrt(t);
        if (ix >= 0x3FEF3333)
        {
            t = Pio2Hi - (2.0 * (s + s * r) - Pio2Lo);
        }
        else
        {
            w = WithLowZero(s);
            double c = (t - w * w) / (s + w);
            double p = 2.0 * s * r - (Pio2Lo - 2.0 * c);
            double q = Pio4Hi - 2.0 * w;
            t = Pio4Hi - (p - q);
        }
        return hx > 0 ? t : -t;
    }

    /// <summary>Arccosine in [0, pi]; NaN outside [-1, 1].</summary>
    public static double Acos(double x)
    {
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x3ff00000)
        {
            if (((ix - 0x3ff00000) | (int)Low(x)) == 0) return hx > 0 ? 0.0 : PiHi + 2.0 * Pio2Lo;
            return double.NaN + (x - x);
        }
        if (ix < 0x3fe00000)
        {
            if (ix <= 0x3c600000) return Pio2Hi + Pio2Lo;
            return Pio2Hi - (x - (Pio2Lo - x * AsinRational(x * x)));
        }
        if (hx < 0)
        {
            double z = (1.0 + x) * 0.5;
            double s = Sqrt(z);
            double w = AsinRational(z) * s - Pio2Lo;
            return PiHi - 2.0 * (s + w);
        }
        else
        {
            double z = (1.0 - x) * 0.5;
            double s = Sqrt(z);
            double df = WithLowZero(s);
            double c = (z - df * df) / (s + df);
            double w = AsinRational(z) * s + c;
            return 2.0 * (df + w);
        }
    }

    /// <summary>Arctangent in [-pi/2, pi/2].</summary>
    public static double Atan(double x)
    {
        int hx = High(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x44100000)
        {
            if (ix > 0x7ff00000 || (ix == 0x7ff00000 && Low(x) != 0)) return x + x;
            return hx > 0 ? Pio2Hi + Pio2Lo : -Pio2Hi - Pio2Lo;
        }
        int id;
        if (ix < 0x3fdc0000)
        {
            if (ix < 0x3e400000) return x;
            id = -1;
        }
        else
        {
            x = Abs(x);
            if (ix < 0x3ff30000)
            {
                if (ix < 0x3fe60000) { id = 0; x = (2.0 * x - 1.0) / (2.0 + x); }
                else { id = 1; x = (x - 1.0) / (x + 1.0); }
            }
            else
            {
                if (ix < 0x40038000) { id = 2; x = (x - 1.5) / (1.0 + 1.5 * x); }
                else { id = 3; x = -1.0 / x; }
            }
        }
        double z = x * x;
        double w = z * z;
        double s1 = z * (3.33333333333329318027e-01 + w * (1.42857142725034663711e-01 + w * (9.09088713343650656196e-02 +
            w * (6.66107313738753120669e-02 + w * (4.97687799461593236017e-02 + w * 1.62858201153657823623e-02)))));
        double s2 = w * (-1.99999999998764832476e-01 + w * (-1.11111104054623557880e-01 + w * (-7.69187620504482999495e-02 +
            w * (-5.83357013379057348645e-02 + w * -3.65315727442169155270e-02))));
        if (id < 0) return x - x * (s1 + s2);
        double hi = id switch { 0 => 4.63647609000806093515e-01, 1 => 7.85398163397448278999e-01, 2 => 9.82793723247329054082e-01, _ => 1.57079632679489655800e+00 };
        double lo = id switch { 0 => 2.26987774529616870924e-17, 1 => 3.06161699786838301793e-17, 2 => 1.39033110312309984516e-17, _ => 6.12323399573676603587e-17 };
        z = hi - ((x * (s1 + s2) - lo) - x);
        return hx < 0 ? -z : z;
    }

    /// <summary>The angle of the point (x, y) in [-pi, pi], with C99's rules for zeros and infinities.</summary>
    public static double Atan2(double y, double x)
    {
        const double Pio4 = 7.8539816339744827900E-01;
        int hx = High(x), hy = High(y);
        uint lx = Low(x), ly = Low(y);
        int ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
        if (IsNaN(x) || IsNaN(y)) return x + y;
        if (hx == 0x3ff00000 && lx == 0) return Atan(y);
        int m = ((hy >> 31) & 1) | ((hx >> 30) & 2); // quadrant: bit 0 sign of y, bit 1 sign of x
        if ((iy | (int)ly) == 0)
        {
            return m switch { 0 or 1 => y, 2 => PiHi, _ => -PiHi };
        }
        if ((ix | (int)lx) == 0) return hy < 0 ? -Pio2Hi : Pio2Hi;
        if (ix == 0x7ff00000)
        {
            if (iy == 0x7ff00000)
                return m switch { 0 => Pio4, 1 => -Pio4, 2 => 3.0 * Pio4, _ => -3.0 * Pio4 };
            return m switch { 0 => 0.0, 1 => -0.0, 2 => PiHi, _ => -PiHi };
        }
        if (iy == 0x7ff00000) return hy < 0 ? -Pio2Hi : Pio2Hi;
        int k = (iy - ix) >> 20;
        double z;
        if (k > 60) { z = Pio2Hi + 0.5 * PiLo; m &= 1; }
        else if (hx < 0 && k < -60) z = 0.0;
        else z = AtanOfQuotient(Abs(y), Abs(x));
        return m switch
        {
            0 => z,
            1 => -z,
            2 => PiHi - (z - PiLo),
            _ => -(PiHi - (z - PiLo)), // fdlibm's (z - PiLo) - PiHi, in a form ILGPU does not reassociate
        };
    }

    /// <summary>atan(a / b) for positive finite a, b, with the division's rounding error corrected.</summary>
    private static double AtanOfQuotient(double a, double b)
    {
        double q = a / b;
        // Below 2^-900, atan(q) = q and q is already the correctly rounded quotient.
        if (q < 1.2e-271 || q == double.PositiveInfinity) return Atan(q);
        // Scale b into [1, 2) (exactly: q < 2^62 here) so Dekker's product can neither overflow nor underflow.
        int shift = ((High(b) >> 20) & 0x7ff) - 1023;
        if (shift < -1022) shift = -1022;
        a = ScaleB(a, -shift);
        b = ScaleB(b, -shift);
        // a - q*b exactly, so atan(a/b) = atan(q) + (a - q b)/(b (1 + q^2)) to first order.
        ExactArithmetic.TwoProduct(q, b, out double p, out double e);
        double residual = (a - p) - e;
        double correction = residual / (b + q * a);
        return Atan(q) + correction;
    }
}
