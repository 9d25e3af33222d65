namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

// log Phi(x), the log-likelihood term of probit models, and its derivatives: finite down to
// x = -1.3e154, where Phi itself underflowed at -38.5. With t = -x/sqrt 2 and erfc(t) =
// e^(-t^2) h(1/t) / t (the fits of erf_fits.py below t = 28, h's asymptotic series beyond), the
// lower tail is -t^2 + log h - log t - log 2 with nothing to cancel, the inverse Mills ratio
// r = Phi'/Phi is sqrt(2/pi) t / h, and x + r, which cancels as r approaches -x, is
// sqrt 2 t g / (sqrt(pi) h) with g = 1 - sqrt(pi) h computed directly.
public static partial class DMath
{
    private const double SqrtPiHi = 1.772453850905516, SqrtPiLo = -7.666586499825799e-17;
    private const double InvSqrtPiHi = 0.5641895835477563, InvSqrtPiLo = 7.66772980658294e-18;
    private const double Sqrt2Hi = 1.4142135623730951, Sqrt2Lo = -9.667293313452913e-17;
    private const double SqrtTwoOverPiHi = 0.7978845608028654, SqrtTwoOverPiLo = -4.98465440455546e-17;

    /// <summary>log Phi(x), the logarithm of the normal CDF, accurate where Phi underflows (x down to -1.3e154).</summary>
    public static double LogNormalCdf(double x)
    {
        if (IsNaN(x)) return x + x;
        if (x == double.PositiveInfinity) return 0.0;
        if (x < -1e150) return -(0.5 * x * x); // -x^2/2 (halved first, so it overflows only where it must); log(-x) and the rest are below 2^-900 of it
        TwoProduct(x, -InvSqrt2Hi, out double t, out double tLo);
        tLo -= x * InvSqrt2Lo;
        double hi, lo;
        if (t >= 1.0)
        {
            // log(erfc(t) / 2) = -t^2 + log h - log t - log 2, every term negative or small: no cancellation.
            TwoProduct(t, t, out double p, out double pe);
            pe += 2.0 * t * tLo;
            TailRatio(t, tLo, out double h, out double hLo, out _, out _);
            LogTwoPart(h, hLo, out double lh, out double lhLo);
            LogTwoPart(t, tLo, out double lt, out double ltLo);
            AddTwoPart(-p, -pe, lh, lhLo, out double a, out double aLo);
            AddTwoPart(a, aLo, -lt, -ltLo, out double b, out double bLo);
            AddTwoPart(b, bLo, -0.6931471805599453, -Ln2TailBeyondDouble, out hi, out lo); // ln 2 in two parts
            return hi + lo;
        }
        if (t > -1.0)
        {
            NormalCdfMiddle(t, tLo, out double c, out double cLo);
            LogTwoPart(c, cLo, out hi, out lo);
            return hi + lo;
        }
        // x >= 1.41: log(1 - Q), Q = erfc(|t|)/2 the upper tail.
        if (t <= -6.0) return -NormalCdf(-x); // Q < 2^-55: log(1 - Q) = -Q to 2^-56 of Q
        ErfcTailTwoPart(-t, -tLo, out double e, out double eLo);
        double q = 0.5 * e, qLo = 0.5 * eLo;
        if (q < 9.765625e-4) // 2^-10: the series, whose terms after -Q are below 2^-11 of it
        {
            double rest = q * q * (0.5 + q * (1.0 / 3 + q * (0.25 + q * (0.2 + q * (1.0 / 6 + q * (1.0 / 7))))));
            return -q - (qLo + rest);
        }
        TwoSum(1.0, -q, out double f, out double fe);
        LogTwoPart(f, fe - qLo, out hi, out lo);
        return hi + lo;
    }

    /// <summary>
    /// The derivatives of log Phi: d = r = Phi'/Phi (the inverse Mills ratio) and d2 = -r (x + r),
    /// each within a few ulp, with x + r computed without its cancellation in the lower tail.
    /// </summary>
    internal static void LogNormalCdfDerivatives(double x, out double d, out double d2)
    {
        if (IsNaN(x)) { d = x + x; d2 = d; return; }
        if (x == double.PositiveInfinity || x > 40.0) { d = 0.0; d2 = -0.0; return; } // Phi' underflows
        if (x < -1e150) { d = -x; d2 = -1.0; return; } // r = -x (1 + 1/x^2 ...), r (x + r) = 1 - 2/x^2 ...
        TwoProduct(x, -InvSqrt2Hi, out double t, out double tLo);
        tLo -= x * InvSqrt2Lo;
        if (t >= 1.0)
        {
            TailRatio(t, tLo, out double h, out double hLo, out double g, out double gLo);
            // r = sqrt(2/pi) t / h; x + r = sqrt 2 t g / (sqrt pi h)
            MultiplyTwoPart(SqrtTwoOverPiHi, SqrtTwoOverPiLo, t, tLo, out double a, out double aLo);
            DivideTwoPart(a, aLo, h, hLo, out double r, out double rLo);
            MultiplyTwoPart(Sqrt2Hi, Sqrt2Lo, t, tLo, out double b, out double bLo);
            MultiplyTwoPart(b, bLo, g, gLo, out double num, out double numLo);
            MultiplyTwoPart(SqrtPiHi, SqrtPiLo, h, hLo, out double den, out double denLo);
            DivideTwoPart(num, numLo, den, denLo, out double s, out double sLo);
            MultiplyTwoPart(r, rLo, s, sLo, out double rs, out double rsLo);
            d = r + rLo;
            d2 = -(rs + rsLo);
            return;
        }
        // phi(x) = e^(-x^2/2) / sqrt(2 pi) = 2^k (p + pLo), unscaled so the upper tail's subnormal d rounds once.
        TwoProduct(x, x, out double sq, out double sqe);
        int k = ExpTwoPartUnscaled(-0.5 * sq, -0.5 * sqe, out double eHi, out double eLo);
        MultiplyTwoPart(eHi, eLo, InvSqrt2PiHi, InvSqrt2PiLo, out double p, out double pLo);
        double c, cLo;
        if (t > -1.0) NormalCdfMiddle(t, tLo, out c, out cLo);
        else
        {
            double q = 0.0, qLo = 0.0;
            if (t > -6.0)
            {
                ErfcTailTwoPart(-t, -tLo, out double e, out double eLo2);
                q = 0.5 * e;
                qLo = 0.5 * eLo2;
            }
            TwoSum(1.0, -q, out c, out double ce);
            cLo = ce - qLo;
        }
        DivideTwoPart(p, pLo, c, cLo, out double ru, out double ruLo); // r / 2^k
        double scale = ScaleB(1.0, k);
        AddTwoPart(x, 0.0, ru * scale, ruLo * scale, out double u, out double uLo); // x + r, nothing cancels here
        MultiplyTwoPart(ru, ruLo, u, uLo, out double v, out double vLo);
        d = ScaleB(ru + ruLo, k);
        d2 = -ScaleB(v + vLo, k);
    }

    /// <summary>Phi = erfc(t)/2 for |t| &lt; 1 as hi + lo, t = -x/sqrt 2 in two parts.</summary>
    private static void NormalCdfMiddle(double t, double tLo, out double hi, out double lo)
    {
        ErfSmallTwoPart(t, tLo, out double e, out double eLo);
        TwoSum(1.0, -e, out double a, out double ae);
        hi = 0.5 * a;
        lo = 0.5 * (ae - eLo);
    }

    /// <summary>
    /// For t &gt;= 1 (t = t + tLo): h = t e^(t^2) erfc(t) and g = 1 - sqrt(pi) h, both in two parts.
    /// Below 28 from erfc's fits; beyond, from the asymptotic series of g in z = 1/t (to z^18, the
    /// next term below 2^-66 of g), so g never comes from a difference of nearly equal values there.
    /// </summary>
    private static void TailRatio(double t, double tLo, out double h, out double hLo, out double g, out double gLo)
    {
        if (t < 28.0)
        {
            ScaledErfc(t, tLo, out h, out hLo);
            MultiplyTwoPart(SqrtPiHi, SqrtPiLo, h, hLo, out double s, out double sLo);
            TwoSum(1.0, -s, out g, out double ge);
            gLo = ge - sLo;
            return;
        }
        DivideTwoPart(1.0, 0.0, t, tLo, out double z, out double zLo);
        MultiplyTwoPart(z, zLo, z, zLo, out double z2, out double z2Lo);
        // g = z^2 (1/2 - 3/4 z^2 + 15/8 z^4 - ...), the coefficients (2k - 1)!! / 2^k exact in binary.
        PolynomialTwoPart(z2, z2Lo, 0.5, -0.75, 1.875, -6.5625, 29.53125, -162.421875, 1055.7421875, -7918.06640625, 67303.564453125,
            out double s2, out double s2Lo);
        MultiplyTwoPart(z2, z2Lo, s2, s2Lo, out g, out gLo);
        TwoSum(1.0, -g, out double f, out double fe);
        MultiplyTwoPart(f, fe - gLo, InvSqrtPiHi, InvSqrtPiLo, out h, out hLo);
    }
}
