namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

// log and sin/cos of pi x to about 2^-70, as two-part sums: the gamma family subtracts values of
// 10 to 40 to get results near zero, and only this much precision in the parts leaves the result
// within an ulp.
public static partial class DMath
{

    /// <summary>
    /// log(yHi + yLo) as hi + lo with about 2^-70 absolute error (plus 2^-86 per binade from 1),
    /// for positive finite yHi and |yLo| &lt;= ulp(yHi); subnormal yHi included.
    /// </summary>
    internal static void LogTwoPart(double yHi, double yLo, out double hi, out double lo)
    {
        int k = 0;
        if (yHi < 2.2250738585072014e-308)
        {
            yHi *= Two54; // exact
            yLo *= Two54;
            k = -54;
        }
        int hy = High(yHi);
        k += (hy >> 20) - 1023;
        int mantissa = hy & 0x000fffff;
        int half = (mantissa + 0x95f64) & 0x100000; // m in [sqrt(2)/2, sqrt(2)), as Log reduces
        double m = FromWords(mantissa | (half ^ 0x3ff00000), Low(yHi));
        k += half >> 20;
        double mLo = ScaleB(yLo, -k);
        // log m = 2 atanh(s) = 2s + s^3 Q(s^2), s = (m - 1)/(m + 1), |s| <= 0.1716.
        TwoSum(m - 1.0, mLo, out double nHi, out double nLo); // m - 1 is exact
        TwoSum(m, 1.0, out double dHi, out double dLo);
        DivideTwoPart(nHi, nLo, dHi, dLo + mLo, out double s, out double sLo);
        TwoProduct(s, s, out double z, out double zLo);
        zLo += 2.0 * s * sLo;
        // Q(z) = 2/3 + 2/5 z + ... + 2/29 z^13; the terms from z^8 on are below 2^-60 of Q and plain.
        double top = 2.0 / 19 + z * (2.0 / 21 + z * (2.0 / 23 + z * (2.0 / 25 + z * (2.0 / 27 + z * (2.0 / 29)))));
        PolynomialTwoPart(z, zLo, 2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, top, out double q, out double qLo);
        qLo += 3.700743415417188e-17 + -2.2204460492503132e-17 * z; // 2/3 and 2/5 beyond their doubles
        MultiplyTwoPart(s, sLo, z, zLo, out double c, out double cLo);
        MultiplyTwoPart(c, cLo, q, qLo, out double u, out double uLo);
        AddTwoPart(2.0 * s, 2.0 * sLo, u, uLo, out double v, out double vLo);
        // k ln 2 = k (Ln2Hi + Ln2Lo) to k 2^-86, k Ln2Hi exact.
        double kd = k;
        AddTwoPart(kd * Ln2Hi, kd * Ln2Lo, v, vLo, out hi, out lo);
    }

    /// <summary>
    /// sin(pi x) and cos(pi x) as two-part sums with about 2^-70 relative error, exact zeros at the
    /// integers and half-integers they vanish at; for finite x.
    /// </summary>
    internal static void SinCosPiTwoPart(double x, out double sHi, out double sLo, out double cHi, out double cLo)
    {
        double n = Round(2.0 * x); // |x| >= 2^51 gives an integer or half-integer: r = 0
        double r = x - 0.5 * n;    // exact, |r| <= 1/4
        long quadrant = (long)Abs(n) & 3;
        if (n < 0.0) quadrant = (4 - quadrant) & 3;
        TwoProduct(PiHi, r, out double u, out double uLo);
        uLo += PiLo * r;
        TwoProduct(u, u, out double z, out double zLo);
        zLo += 2.0 * u * uLo;
        // sin u = u + u^3 P(z), cos u = 1 + z C(z): Taylor to u^23 and u^22, whose next terms are
        // below 2^-80 for |u| <= pi/4; the leading coefficients carry their parts beyond a double.
        double sinTop = -8.22063524662433e-18 + z * (1.9572941063391263e-20 + z * -3.868170170630684e-23);
        PolynomialTwoPart(z, zLo, -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800, 1.0 / 6227020800,
            -1.0 / 1307674368000, 1.0 / 355687428096000, sinTop, out double p, out double pLo);
        pLo += -9.25185853854297e-18 + z * (1.1564823173178714e-19 + z * -1.7209558293420705e-22);
        MultiplyTwoPart(u, uLo, z, zLo, out double u3, out double u3Lo);
        MultiplyTwoPart(u3, u3Lo, p, pLo, out double t, out double tLo);
        AddTwoPart(u, uLo, t, tLo, out double sinHi, out double sinLo);
        double cosTop = -1.5619206968586225e-16 + z * (4.110317623312165e-19 + z * -8.896791392450574e-22);
        PolynomialTwoPart(z, zLo, -0.5, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
            -1.0 / 87178291200, 1.0 / 20922789888000, cosTop, out double cp, out double cpLo);
        cpLo += z * (2.3129646346357427e-18 + z * 5.300543954373577e-20); // 1/24 and -1/720 beyond their doubles
        MultiplyTwoPart(z, zLo, cp, cpLo, out double w, out double wLo);
        AddTwoPart(1.0, 0.0, w, wLo, out double cosHi, out double cosLo);
        if (r == 0.0) { sinHi = 0.0; sinLo = 0.0; }
        switch (quadrant)
        {
            case 0: sHi = sinHi; sLo = sinLo; cHi = cosHi; cLo = cosLo; break;
            case 1: sHi = cosHi; sLo = cosLo; cHi = -sinHi; cLo = -sinLo; break;
            case 2: sHi = -sinHi; sLo = -sinLo; cHi = -cosHi; cLo = -cosLo; break;
            default: sHi = -cosHi; sLo = -cosLo; cHi = sinHi; cLo = sinLo; break;
        }
    }
}
