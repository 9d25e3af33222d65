namespace GpuDiff.Kernels.Math;

using static ExactArithmetic;
using static FloatBits;

// log|gamma(x)| and its derivatives digamma and trigamma, our own (not fdlibm's): Taylor series at
// the zeros 1 and 2 (coefficients from zeta values) and at digamma's positive zero; elsewhere the
// recurrence up to 16 and Stirling's series; for x < 0 the reflection formula. Every step is
// carried in two parts (about 2^-70 absolute on values up to 40), so the one rounding at the end
// is what remains (within 1 ulp of mpmath). Beside lgamma's zeros on the negative axis (-2.457,
// -2.747, ..., two in every interval down to -17) that is not enough for the small result, and a
// Taylor series at each zero takes over (DMath.LogGammaZeros.g.cs). Digamma's negative zeros (one
// between every two poles) have no such series: within a relative 2^-18 of them its error is
// that absolute 2^-70 (measured 1.3e-22), not an ulp of the result.
public static partial class DMath
{
    private const double EulerGamma = 0.5772156649015329, EulerGammaLo = 4.942915152430645e-18;
    private const double LogPiHi = 1.1447298858494002, LogPiLo = 1.0265951162707826e-17;
    private const double PiSquaredHi = 9.869604401089358, PiSquaredLo = 6.265295508739711e-16;
    private const double HalfLog2PiMinusHalfHi = 0.4189385332046727, HalfLog2PiMinusHalfLo = 1.6728209650585413e-17;
    private const double TwoToMinus56 = 1.3877787807814457e-17;
    private const double StirlingFrom = 16.0;

    /// <summary>log |gamma(x)|, C's lgamma: +infinity at 0, at the negative integers and at ±infinity.</summary>
    public static double LogGamma(double x)
    {
        if (IsNaN(x)) return x + x;
        double ax = Abs(x);
        if (ax == double.PositiveInfinity || x == 0.0) return double.PositiveInfinity;
        if (ax < TwoToMinus56)
        {
            // -log|x| - gamma x; the next term, zeta(2) x^2 / 2, is below 2^-110 of the result.
            LogTwoPart(ax, 0.0, out double l, out double lLo);
            TwoSum(-l, -(EulerGamma * x), out double s, out double se);
            return s + (se - lLo);
        }
        double hi, lo;
        if (x > 0.0) LogGammaPositive(x, out hi, out lo);
        else
        {
            if (x == Floor(x)) return double.PositiveInfinity; // the poles; every x <= -2^52 is one
            if (LogGammaBesideNegativeZero(x, out hi, out lo)) return hi + lo;
            // log|gamma(x)| = log(pi / |x sin(pi x)|) - log gamma(|x|)
            SinCosPiTwoPart(x, out double sHi, out double sLo, out _, out _);
            if (sHi < 0.0) { sHi = -sHi; sLo = -sLo; }
            MultiplyTwoPart(ax, 0.0, sHi, sLo, out double t, out double tLo);
            LogTwoPart(t, tLo, out double lt, out double ltLo);
            LogGammaPositive(ax, out double g, out double gLo);
            AddTwoPart(LogPiHi, LogPiLo, -lt, -ltLo, out double a, out double aLo);
            AddTwoPart(a, aLo, -g, -gLo, out hi, out lo);
        }
        return hi + lo;
    }

    /// <summary>digamma(x) = d/dx log|gamma(x)|, the derivative of <see cref="LogGamma"/>; NaN at the poles.</summary>
    internal static double Digamma(double x)
    {
        if (IsNaN(x)) return x + x;
        if (x == double.PositiveInfinity) return x;
        if (x == double.NegativeInfinity) return double.NaN;
        double ax = Abs(x);
        if (ax < TwoToMinus56)
        {
            // -1/x - gamma: gamma is below half an ulp of 1/x >= 2^56, so the quotient's one rounding
            // is the result's (and 1/x overflows or is infinite exactly where the result does).
            return -1.0 / x - EulerGamma;
        }
        double hi, lo;
        if (x > 0.0) DigammaPositive(x, out hi, out lo);
        else
        {
            if (x == Floor(x)) return double.NaN;
            // digamma(x) = digamma(|x|) + 1/|x| - pi cot(pi x)
            DigammaPositive(ax, out double g, out double gLo);
            DivideTwoPart(1.0, 0.0, ax, 0.0, out double r, out double rLo);
            SinCosPiTwoPart(x, out double sHi, out double sLo, out double cHi, out double cLo);
            DivideTwoPart(cHi, cLo, sHi, sLo, out double cot, out double cotLo);
            MultiplyTwoPart(PiHi, PiLo, cot, cotLo, out double p, out double pLo);
            AddTwoPart(g, gLo, r, rLo, out double a, out double aLo);
            AddTwoPart(a, aLo, -p, -pLo, out hi, out lo);
        }
        return hi + lo;
    }

    /// <summary>trigamma(x), the second derivative of <see cref="LogGamma"/>: positive everywhere, +infinity at the poles.</summary>
    internal static double Trigamma(double x)
    {
        if (IsNaN(x)) return x + x;
        if (x == double.PositiveInfinity) return 0.0;
        if (x == double.NegativeInfinity) return double.NaN;
        double ax = Abs(x);
        if (ax < TwoToMinus56)
        {
            // 1/x^2; zeta(2) is below 2^-110 of it. The square in two parts, and below 2^-450 scaled
            // by 2^500 so the quotient's exact product cannot overflow: one rounding, then an exact
            // power of two (or the overflow 1/x^2 has).
            if (x == 0.0) return double.PositiveInfinity;
            double scale = ax < 3.4395525670743494e-136 ? 3.273390607896142e150 : 1.0; // 2^-450, 2^500
            InverseSquareTwoPart(ax * scale, 0.0, out double r, out double rLo);
            return (r + rLo) * scale * scale;
        }
        double hi, lo;
        if (x > 0.0) TrigammaPositive(x, out hi, out lo);
        else
        {
            if (x == Floor(x)) return double.PositiveInfinity;
            // trigamma(x) = pi^2 / sin^2(pi x) - trigamma(|x|) + 1/x^2, at least 8.2: nothing cancels.
            SinCosPiTwoPart(x, out double sHi, out double sLo, out _, out _);
            MultiplyTwoPart(sHi, sLo, sHi, sLo, out double s2, out double s2Lo);
            DivideTwoPart(PiSquaredHi, PiSquaredLo, s2, s2Lo, out double q, out double qLo);
            TrigammaPositive(ax, out double g, out double gLo);
            InverseSquareTwoPart(ax, 0.0, out double r, out double rLo);
            AddTwoPart(q, qLo, -g, -gLo, out double a, out double aLo);
            AddTwoPart(a, aLo, r, rLo, out hi, out lo);
        }
        return hi + lo;
    }

    /// <summary>
    /// sum of c_k (x - x0)^k, k = 1..10, with x0 = x0 + x0Mid + x0Lo, when x is within the window of
    /// x0; the Taylor series of log|gamma| at one of its negative zeros (DMath.LogGammaZeros.g.cs).
    /// </summary>
    private static bool SeriesAtZero(double x, double x0, double x0Mid, double x0Lo, double window, double c1, double c1Lo,
        double c2, double c3, double c4, double c5, double c6, double c7, double c8, double c9, double c10, out double hi, out double lo)
    {
        // x - x0 is exact near x0 (Sterbenz); the window is tested on the whole difference, as x0's
        // nearest double can lie farther from x0 than the window when x0 is within 1/n! of a pole.
        double e = x - x0;
        TwoSum(e, -x0Mid, out double d, out double dLo);
        dLo -= x0Lo;
        if (!(Abs(d) <= window) || !(Abs(e) <= 0.25))
        {
            hi = 0.0;
            lo = 0.0;
            return false;
        }
        PolynomialTwoPart(d, dLo, c1, c2, c3, c4, c5, c6, c7, c8, c9 + d * c10, out double s, out double sLo);
        sLo += c1Lo;
        MultiplyTwoPart(d, dLo, s, sLo, out hi, out lo);
        return true;
    }

    /// <summary>log gamma(x) for x &gt;= 2^-56, in two parts.</summary>
    private static void LogGammaPositive(double x, out double hi, out double lo)
    {
        if (Abs(x - 1.0) <= 0.2)
        {
            // log gamma(1 + e) = e S(e), S = -gamma + zeta(2)/2 e - zeta(3)/3 e^2 + ..., to e^27.
            double e = x - 1.0; // exact
            double top = -0.11133426586956469 + e * (0.1000994575127818 + e * (-0.09095401714582904 + e * (0.083353840546109 + e * (-0.0769325164113522 + e * (0.07143294629536133 + e * (-0.06666870588242046 + e * (0.06250095514121304 + e * (-0.058823978658684585 + e * (0.055555767627403614 + e * (-0.05263167937961666 + e * (0.05000004769810169 + e * (-0.047619070330142226 + e * (0.04545455629320467 + e * (-0.04347826605304026 + e * (0.04166666915034121 + e * (-0.04000000119214014 + e * (0.03846153903467518 + e * -0.037037037312989324)))))))))))))))));
            PolynomialTwoPart(e, 0.0, -EulerGamma, 0.8224670334241132, -0.40068563438653143, 0.27058080842778454,
                -0.20738555102867398, 0.1695571769974082, -0.1440498967688461, 0.12550966952474304, top, out double s, out double sLo);
            sLo += -EulerGammaLo + 1.520336175199238e-17 * e;
            MultiplyTwoPart(e, 0.0, s, sLo, out hi, out lo);
        }
        else if (Abs(x - 2.0) <= 0.2)
        {
            // log gamma(2 + e) = e S(e), S = (1 - gamma) + (zeta(2) - 1)/2 e - ..., to e^20.
            double e = x - 2.0; // exact
            double top = -0.00022315475845357939 + e * (9.945751278180853e-05 + e * (-4.492623673813314e-05 + e * (2.050721277567069e-05 + e * (-9.439488275268397e-06 + e * (4.374866789907488e-06 + e * (-2.039215753801366e-06 + e * (9.55141213040742e-07 + e * (-4.492469198764566e-07 + e * (2.1207184805554665e-07 + e * (-1.0043224823968099e-07 + e * (4.7698101693639804e-08 + e * -2.2711094608943164e-08)))))))))));
            PolynomialTwoPart(e, 0.0, 0.42278433509846713, 0.3224670334241132, -0.0673523010531981, 0.020580808427784546,
                -0.007385551028673986, 0.0028905103307415234, -0.001192753911703261, 0.0005096695247430425, top, out double s, out double sLo);
            sLo += 4.942915152430645e-18 + 1.520336175199238e-17 * e;
            MultiplyTwoPart(e, 0.0, s, sLo, out hi, out lo);
        }
        else if (x < StirlingFrom)
        {
            // log gamma(x) = log gamma(x + n) - log(x (x + 1) ... (x + n - 1)), x + n >= 16.
            int n = (int)(StirlingFrom - x) + 1;
            double p = x, pLo = 0.0;
            for (int i = 1; i < n; i++)
            {
                TwoSum(x, i, out double f, out double fLo);
                MultiplyTwoPart(p, pLo, f, fLo, out p, out pLo);
            }
            TwoSum(x, n, out double y, out double yLo);
            StirlingTwoPart(y, yLo, out double g, out double gLo);
            LogTwoPart(p, pLo, out double l, out double lLo);
            AddTwoPart(g, gLo, -l, -lLo, out hi, out lo);
        }
        else if (x < 8.45e270) // 2^900: below it the two-part products cannot overflow
        {
            StirlingTwoPart(x, 0.0, out hi, out lo);
        }
        else
        {
            // x (log x - 1), scaled by 2^-100 while in two parts; the other terms are below 2^-800 of it.
            LogTwoPart(x, 0.0, out double l, out double lLo);
            AddTwoPart(l, lLo, -1.0, 0.0, out double a, out double aLo);
            MultiplyTwoPart(x * 7.888609052210118e-31, 0.0, a, aLo, out double m, out double mLo);
            hi = (m + mLo) * 1.2676506002282294e30; // overflows to infinity from x = 2.56e305, as it must
            lo = 0.0;
        }
    }

    /// <summary>Stirling's series for log gamma(y), y = yHi + yLo &gt;= 16, to B_18 (next term below 2^-70).</summary>
    private static void StirlingTwoPart(double yHi, double yLo, out double hi, out double lo)
    {
        LogTwoPart(yHi, yLo, out double l, out double lLo);
        AddTwoPart(l, lLo, -1.0, 0.0, out double a, out double aLo);
        AddTwoPart(yHi, yLo, -0.5, 0.0, out double b, out double bLo);
        MultiplyTwoPart(b, bLo, a, aLo, out double m, out double mLo);
        TwoProduct(yHi, 12.0, out double t, out double tLo);
        DivideTwoPart(1.0, 0.0, t, tLo + 12.0 * yLo, out double w, out double wLo); // 1/(12 y)
        double iy = 1.0 / yHi, iy2 = iy * iy;
        double rest = iy * iy2 * (-0.002777777777777778 + iy2 * (0.0007936507936507937 + iy2 * (-0.0005952380952380953 +
            iy2 * (0.0008417508417508417 + iy2 * (-0.0019175269175269176 + iy2 * (0.00641025641025641 +
            iy2 * (-0.029550653594771242 + iy2 * 0.17964437236883057)))))));
        AddTwoPart(m, mLo, HalfLog2PiMinusHalfHi, HalfLog2PiMinusHalfLo, out double c, out double cLo);
        AddTwoPart(c, cLo, w, wLo + rest, out hi, out lo);
    }

    /// <summary>digamma(x) for x &gt;= 2^-56, in two parts.</summary>
    private static void DigammaPositive(double x, out double hi, out double lo)
    {
        const double ZeroHi = 1.4616321449683622, ZeroLo = 9.549995429965697e-17; // digamma's positive zero
        if (Abs(x - ZeroHi) < 0.04)
        {
            // Taylor at the zero: sum of polygamma_k(x0) / k! d^k, to d^16.
            TwoSum(x - ZeroHi, -ZeroLo, out double d, out double dLo); // x - ZeroHi is exact
            double top = -0.01542476590494896 + d * (0.010538791616612175 + d * (-0.007204534386356869 + d * (0.004926781395729853 +
                d * (-0.003369801655439328 + d * (0.002305126326734928 + d * -0.0015769367714301972)))));
            PolynomialTwoPart(d, dLo, 0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
                0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736, 0.022597648232218104 + d * top, out double s, out double sLo);
            sLo += -3.387874303038943e-17 + -2.4685968258808798e-17 * d;
            MultiplyTwoPart(d, dLo, s, sLo, out hi, out lo);
            return;
        }
        double y = x, yLo = 0.0, sum = 0.0, sumLo = 0.0;
        if (x < StirlingFrom)
        {
            // digamma(x) = digamma(x + n) - sum of 1/(x + i), i < n
            int n = (int)(StirlingFrom - x) + 1;
            for (int i = 0; i < n; i++)
            {
                TwoSum(x, i, out double f, out double fLo);
                DivideTwoPart(1.0, 0.0, f, fLo, out double r, out double rLo);
                AddTwoPart(sum, sumLo, r, rLo, out sum, out sumLo);
            }
            TwoSum(x, n, out y, out yLo);
        }
        // log y - 1/(2y) - sum of B_2k / (2k y^2k), to B_18.
        LogTwoPart(y, yLo, out double l, out double lLo);
        ReciprocalTwoPart(y, yLo, out double iy, out double iyLo);
        MultiplyTwoPart(iy, iyLo, iy, iyLo, out double iy2, out double iy2Lo);
        DivideTwoPart(iy2, iy2Lo, 12.0, 0.0, out double twelfth, out double twelfthLo);
        double z = iy * iy;
        double rest = z * z * (0.008333333333333333 + z * (-0.003968253968253968 + z * (0.004166666666666667 + z * (-0.007575757575757576 +
            z * (0.021092796092796094 + z * (-0.08333333333333333 + z * (0.4432598039215686 + z * -3.0539543302701198)))))));
        AddTwoPart(l, lLo, -0.5 * iy, -0.5 * iyLo, out double a, out double aLo);
        AddTwoPart(a, aLo, -twelfth, rest - twelfthLo, out double b, out double bLo);
        AddTwoPart(b, bLo, -sum, -sumLo, out hi, out lo);
    }

    /// <summary>trigamma(x) for x &gt;= 2^-56, in two parts.</summary>
    private static void TrigammaPositive(double x, out double hi, out double lo)
    {
        double y = x, yLo = 0.0, sum = 0.0, sumLo = 0.0;
        if (x < StirlingFrom)
        {
            // trigamma(x) = trigamma(x + n) + sum of 1/(x + i)^2, i < n
            int n = (int)(StirlingFrom - x) + 1;
            for (int i = 0; i < n; i++)
            {
                TwoSum(x, i, out double f, out double fLo);
                InverseSquareTwoPart(f, fLo, out double r, out double rLo);
                AddTwoPart(sum, sumLo, r, rLo, out sum, out sumLo);
            }
            TwoSum(x, n, out y, out yLo);
        }
        // 1/y + 1/(2 y^2) + sum of B_2k / y^(2k+1), to B_18.
        ReciprocalTwoPart(y, yLo, out double iy, out double iyLo);
        MultiplyTwoPart(iy, iyLo, iy, iyLo, out double iy2, out double iy2Lo);
        double z = iy * iy;
        double rest = iy * z * (0.16666666666666666 + z * (-0.03333333333333333 + z * (0.023809523809523808 + z * (-0.03333333333333333 +
            z * (0.07575757575757576 + z * (-0.2531135531135531 + z * (1.1666666666666667 + z * (-7.092156862745098 + z * 54.971177944862156))))))));
        AddTwoPart(iy, iyLo, 0.5 * iy2, 0.5 * iy2Lo + rest, out double a, out double aLo);
        AddTwoPart(a, aLo, sum, sumLo, out hi, out lo);
    }

    /// <summary>1/(yHi + yLo) in two parts for any normal yHi: beyond 2^995, where the exact product
    /// inside the quotient would overflow, through y 2^-200 (the low part may then round, far below
    /// the subnormal result's ulp).</summary>
    private static void ReciprocalTwoPart(double yHi, double yLo, out double hi, out double lo)
    {
        if (Abs(yHi) < 6.7e299)
        {
            DivideTwoPart(1.0, 0.0, yHi, yLo, out hi, out lo);
            return;
        }
        const double TwoToMinus200 = 6.223015277861142e-61;
        DivideTwoPart(1.0, 0.0, yHi * TwoToMinus200, yLo * TwoToMinus200, out hi, out lo);
        hi *= TwoToMinus200;
        lo *= TwoToMinus200;
    }

    /// <summary>1/(aHi + aLo)^2 in two parts, for |aHi| between 2^-500 and 2^500.</summary>
    private static void InverseSquareTwoPart(double aHi, double aLo, out double hi, out double lo)
    {
        MultiplyTwoPart(aHi, aLo, aHi, aLo, out double s, out double sLo);
        DivideTwoPart(1.0, 0.0, s, sLo, out hi, out lo);
    }
}
