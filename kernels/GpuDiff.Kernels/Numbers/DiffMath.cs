using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Math;
using static GpuDiff.Kernels.Math.FloatBits;

namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// The functions a model may call, for any number type: the value from <see cref="DMath"/> and
/// the first and second derivatives from their closed forms. Write <c>using static
/// GpuDiff.Kernels.Numbers.DiffMath;</c> and call <c>Sin(x)</c>.
/// </summary>
/// <remarks>
/// Conventions at kinks: Abs has derivative +1 at 0 (the right derivative); Min and Max take the
/// first argument, value and derivatives, when the two are equal; Floor, Ceiling, Round and
/// Truncate have derivative 0 everywhere. Pow(x, y) with both arguments varying has
/// d/dy = x^y ln x, which is NaN for x &lt; 0 and 0 for x = 0 and y &gt; 0.
/// Every function reads its argument through <see cref="FloatBits.Opaque"/>, so constants in the
/// caller's expression and constants in ours never meet in one of the shapes ILGPU reassociates
/// (see <see cref="DMath"/>'s remarks).
/// </remarks>
public static partial class DiffMath
{
    /// <summary>
    /// <paramref name="constant"/> itself, in a form ILGPU cannot merge with a neighbouring
    /// constant. The number types' operators do this for every double they meet; model code that
    /// computes in plain doubles (<c>p * 0.1 * 3.0</c> with a parameter p) writes
    /// <c>p * Tied(0.1, p) * 3.0</c> to keep the host's bits on GPUs. Costs two integer operations.
    /// </summary>
    /// <param name="constant">The constant.</param>
    /// <param name="anchor">Any value computed at run time next to which the constant is used.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tied(double constant, double anchor) => Beside(constant, anchor);

#pragma warning disable CS1591 // each function is named for what it computes
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Sqrt(v);
        if (T.Order == 0) return T.Constant(f);
        double d = 0.5 / f;
        return T.Chain(x, f, d, -0.5 * d / v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cbrt<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Cbrt(v);
        if (T.Order == 0) return T.Constant(f);
        // (f / v) / 3 keeps cbrt's own error single (1 / (3 f f) doubles it); at 0 and infinity,
        // where f / v has no value, the limits.
        double d = v == 0.0 || f - f != 0.0 ? 1.0 / (3.0 * f * f) : f / v / 3.0;
        return T.Chain(x, f, d, -2.0 * d / (3.0 * v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x) where T : struct, IDiffNumber<T>
    {
        double f = DMath.Exp(Opaque(T.RuleValue(x)));
        return T.Order == 0 ? T.Constant(f) : T.Chain(x, f, f, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp2<T>(T x) where T : struct, IDiffNumber<T>
    {
        const double Ln2 = 0.6931471805599453, Ln2Squared = Ln2 * Ln2; // (f * Ln2) * Ln2 would be reassociated on GPUs
        double f = DMath.Exp2(Opaque(T.RuleValue(x)));
        return T.Order == 0 ? T.Constant(f) : T.Chain(x, f, f * Ln2, f * Ln2Squared);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Expm1<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Expm1(v);
        if (T.Order == 0) return T.Constant(f);
        double e = DMath.Exp(v);
        return T.Chain(x, f, e, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Log(v);
        if (T.Order == 0) return T.Constant(f);
        double d = 1.0 / v;
        return T.Chain(x, f, d, -d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log2<T>(T x) where T : struct, IDiffNumber<T> => LogBase(x, DMath.Log2(Opaque(T.RuleValue(x))), 1.4426950408889634);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log10<T>(T x) where T : struct, IDiffNumber<T> => LogBase(x, DMath.Log10(Opaque(T.RuleValue(x))), 0.4342944819032518);

    // d = (1 / ln b) / v: two roundings, and no overflow of v ln b near the top of the range.
    private static T LogBase<T>(T x, double f, double inverseLnBase) where T : struct, IDiffNumber<T>
    {
        if (T.Order == 0) return T.Constant(f);
        double v = Opaque(T.RuleValue(x));
        double d = inverseLnBase / v;
        return T.Chain(x, f, d, -d / v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1p<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Log1p(v);
        if (T.Order == 0) return T.Constant(f);
        double d = 1.0 / (1.0 + v);
        return T.Chain(x, f, d, -d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sin<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x));
        if (T.Order == 0) return T.Constant(DMath.Sin(v));
        DMath.SinCos(v, out double s, out double c);
        return T.Chain(x, s, c, -s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cos<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x));
        if (T.Order == 0) return T.Constant(DMath.Cos(v));
        DMath.SinCos(v, out double s, out double c);
        return T.Chain(x, c, -s, -c);
    }

    /// <summary>Sin(x) and Cos(x) with one argument reduction: the same bits as calling both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos<T>(T x, out T sin, out T cos) where T : struct, IDiffNumber<T>
    {
        DMath.SinCos(Opaque(T.RuleValue(x)), out double s, out double c);
        if (T.Order == 0)
        {
            (sin, cos) = (T.Constant(s), T.Constant(c));
            return;
        }
        sin = T.Chain(x, s, c, -s);
        cos = T.Chain(x, c, -s, -c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tan<T>(T x) where T : struct, IDiffNumber<T>
    {
        double t = DMath.Tan(Opaque(T.RuleValue(x)));
        if (T.Order == 0) return T.Constant(t);
        double d = 1.0 + t * t;
        return T.Chain(x, t, d, 2.0 * t * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asin<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Asin(v);
        if (T.Order == 0) return T.Constant(f);
        // (1 - v)(1 + v), not 1 - v v: near |v| = 1 the subtraction is exact and nothing cancels.
        double w = (1.0 - v) * (1.0 + v), d = 1.0 / DMath.Sqrt(w);
        return T.Chain(x, f, d, v * d / w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acos<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Acos(v);
        if (T.Order == 0) return T.Constant(f);
        double w = (1.0 - v) * (1.0 + v), d = 1.0 / DMath.Sqrt(w);
        return T.Chain(x, f, -d, -v * d / w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Atan(v);
        if (T.Order == 0) return T.Constant(f);
        // Beyond 2^27, 1 + v^2 rounds to v^2 and v^2 may overflow: d = (1/v)^2 then.
        if (DMath.Abs(v) > 134217728.0)
        {
            double r = 1.0 / v, r2 = r * r;
            return T.Chain(x, f, r2, -2.0 * r2 * r);
        }
        double d = 1.0 / (1.0 + v * v);
        return T.Chain(x, f, d, -2.0 * (v * d) * d);
    }

    /// <summary>The angle of (x, y), y first as in C; derivatives of atan(y/x) continued to every quadrant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan2<T>(T y, T x) where T : struct, IDiffNumber<T>
    {
        double vy = Opaque(T.RuleValue(y)), vx = Opaque(T.RuleValue(x)), f = DMath.Atan2(vy, vx);
        if (T.Order == 0) return T.Constant(f);
        double r2 = vx * vx + vy * vy;
        double r4 = r2 * r2;
        // (y - x)(y + x), not y^2 - x^2, which cancels where |x| and |y| are close.
        return T.Chain(y, x, f, vx / r2, -vy / r2, -2.0 * vx * vy / r4, (vy - vx) * (vy + vx) / r4, 2.0 * vx * vy / r4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Hypot<T>(T x, T y) where T : struct, IDiffNumber<T>
    {
        double vx = Opaque(T.RuleValue(x)), vy = Opaque(T.RuleValue(y)), h = DMath.Hypot(vx, vy);
        if (T.Order == 0) return T.Constant(h);
        // Through the unit vector (u, w) = (x, y) / h: no h^3 to overflow or underflow.
        double u = vx / h, w = vy / h;
        return T.Chain(x, y, h, u, w, w * w / h, -u * w / h, u * u / h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sinh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), s = DMath.Sinh(v);
        return T.Order == 0 ? T.Constant(s) : T.Chain(x, s, DMath.Cosh(v), s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cosh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), c = DMath.Cosh(v);
        return T.Order == 0 ? T.Constant(c) : T.Chain(x, c, DMath.Sinh(v), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), t = DMath.Tanh(v);
        if (T.Order == 0) return T.Constant(t);
        // 1 - t^2 cancels as |t| nears 1 (t'(12) lost 1.9e9 ulp); from |v| = 0.5 on, sech^2 v =
        // 4 e / (1 + e)^2 with e = exp(-2|v|), all terms positive.
        double d;
        double a = DMath.Abs(v);
        if (a < 0.5) d = 1.0 - t * t;
        else
        {
            double e = DMath.Exp(-2.0 * a);
            if (e < 9.5367431640625E-07)
            {
                // e < 2^-20: 1 / (1 + e)^2 = 1 - 2e + 3e^2 to far below half an ulp, without the
                // two roundings of (1 + e)^2.
                d = 4.0 * e * (1.0 - e * (2.0 - 3.0 * e));
            }
            else
            {
                double s = 1.0 + e;
                d = 4.0 * e / (s * s);
            }
        }
        return T.Chain(x, t, d, -2.0 * t * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asinh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Asinh(v);
        if (T.Order == 0) return T.Constant(f);
        // Beyond 2^27, v^2 + 1 rounds to v^2 (which may overflow): d = 1/|v| to within half an ulp.
        if (DMath.Abs(v) > 134217728.0)
        {
            double r = 1.0 / DMath.Abs(v);
            return T.Chain(x, f, r, -DMath.CopySign(r * r, v));
        }
        double w = v * v + 1.0, d = 1.0 / DMath.Sqrt(w);
        return T.Chain(x, f, d, -v * d / w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acosh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Acosh(v);
        if (T.Order == 0) return T.Constant(f);
        if (v > 134217728.0)
        {
            double r = 1.0 / v;
            return T.Chain(x, f, r, -(r * r));
        }
        // (v - 1)(v + 1), not v v - 1: near v = 1 the subtraction is exact and nothing cancels.
        double w = (v - 1.0) * (v + 1.0), d = 1.0 / DMath.Sqrt(w);
        return T.Chain(x, f, d, -v * d / w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atanh<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Atanh(v);
        if (T.Order == 0) return T.Constant(f);
        double d = 1.0 / ((1.0 - v) * (1.0 + v));
        return T.Chain(x, f, d, 2.0 * v * d * d);
    }

    /// <summary>x^p for a constant exponent: defined for negative x when p is an integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow<T>(T x, double p) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.Pow(v, p);
        if (T.Order == 0) return T.Constant(f);
        if (p == 0.0) return T.Constant(f);
        double fOverX = PowOverBase(v, p, f);
        double d = p * fOverX;
        double d2 = T.Order > 1 ? p * (p - 1.0) * PowOverBase(v, p - 1.0, fOverX) : 0.0;
        return T.Chain(x, f, d, d2);
    }

    /// <summary>x^y with both varying.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow<T>(T x, T y) where T : struct, IDiffNumber<T>
    {
        double vx = Opaque(T.RuleValue(x)), vy = Opaque(T.RuleValue(y)), f = DMath.Pow(vx, vy);
        if (T.Order == 0) return T.Constant(f);
        double lnx = vx == 0.0 && vy > 0.0 ? 0.0 : DMath.Log(vx);
        double pm1 = PowOverBase(vx, vy, f);
        double fx = vy * pm1, fy = vx == 0.0 && vy > 0.0 ? 0.0 : f * lnx;
        double fxx = T.Order > 1 ? vy * (vy - 1.0) * PowOverBase(vx, vy - 1.0, pm1) : 0.0;
        return T.Chain(x, y, f, fx, fy, fxx, pm1 * (1.0 + vy * lnx), fy * lnx);
    }

    /// <summary>
    /// x^(p - 1) given f = x^p: f / x where that is exact to a rounding (f a normal double, x not
    /// 0), since x^(p - 1) would round p - 1 in the exponent and lose |ln x| ulp with it (316 ulp
    /// at x = 4.6e8); the power itself elsewhere.
    /// </summary>
    private static double PowOverBase(double x, double p, double f) =>
        x != 0.0 && DMath.Abs(f) >= 2.2250738585072014E-308 && f - f == 0.0 ? f / x : DMath.Pow(x, p - 1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs<T>(T x) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x));
        return T.Order == 0 ? T.Constant(DMath.Abs(v)) : T.Chain(x, DMath.Abs(v), v < 0.0 ? -1.0 : 1.0, 0.0);
    }

    /// <summary>|x| with the sign of s; the derivative is ±1 accordingly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CopySign<T>(T x, double s) where T : struct, IDiffNumber<T>
    {
        double v = Opaque(T.RuleValue(x)), f = DMath.CopySign(v, s);
        return T.Order == 0 ? T.Constant(f) : T.Chain(x, f, DMath.CopySign(1.0, v) * DMath.CopySign(1.0, s), 0.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min<T>(T x, T y) where T : struct, IDiffNumber<T> =>
        y.Primal < x.Primal || x.Primal != x.Primal ? y : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(T x, T y) where T : struct, IDiffNumber<T> =>
        y.Primal > x.Primal || x.Primal != x.Primal ? y : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Floor<T>(T x) where T : struct, IDiffNumber<T> => T.Constant(DMath.Floor(Opaque(T.RuleValue(x))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Ceiling<T>(T x) where T : struct, IDiffNumber<T> => T.Constant(DMath.Ceiling(Opaque(T.RuleValue(x))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Round<T>(T x) where T : struct, IDiffNumber<T> => T.Constant(DMath.Round(Opaque(T.RuleValue(x))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Truncate<T>(T x) where T : struct, IDiffNumber<T> => T.Constant(DMath.Truncate(Opaque(T.RuleValue(x))));
#pragma warning restore CS1591
}
