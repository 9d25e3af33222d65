using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Math;
using GpuDiff.Kernels.Numbers.Rules;
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
    public static T Sqrt<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<SqrtRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cbrt<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<CbrtRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<ExpRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp2<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<Exp2Rule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Expm1<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<Expm1Rule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<LogRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log2<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<Log2Rule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log10<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<Log10Rule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log1p<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<Log1pRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sin<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<SinRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cos<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<CosRule>(x);

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
    public static T Tan<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<TanRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asin<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AsinRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acos<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AcosRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AtanRule>(x);

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
    public static T Sinh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<SinhRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cosh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<CoshRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<TanhRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Asinh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AsinhRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Acosh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AcoshRule>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atanh<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AtanhRule>(x);

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
    public static T Abs<T>(T x) where T : struct, IDiffNumber<T> => T.Apply<AbsRule>(x);

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
