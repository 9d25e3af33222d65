using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Math;

namespace GpuDiff.Kernels.Numbers.Rules;

// The functions of one variable that DiffMath offers, one rule each: the value from DMath and the
// derivatives from their closed forms (why each form is the one it is, beside it). A number type
// applies them through IDiffNumber.Apply. Exp, log, sqrt and abs have four-lane forms of their own;
// the others compute their lanes one at a time (UnaryRule.EachLane), which still shares the partials'
// arithmetic of four points.
#pragma warning disable CS1591 // each rule is named for the function it computes

public readonly struct SqrtRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Sqrt(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = 0.5 / f;
        d2 = -0.5 * d / v;
        return f;
    }

    // The scalar form is the IEEE square root and a division, which the lanes round alike.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d)
    {
        var f = Vector256.Sqrt(v);
        d = Vector256.Create(0.5) / f;
        return f;
    }
}

public readonly struct CbrtRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Cbrt(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        // (f / v) / 3 keeps cbrt's own error single (1 / (3 f f) doubles it); at 0 and infinity,
        // where f / v has no value, the limits.
        d = v == 0.0 || f - f != 0.0 ? 1.0 / (3.0 * f * f) : f / v / 3.0;
        d2 = -2.0 * d / (3.0 * v);
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<CbrtRule>(v, out d);
}

public readonly struct ExpRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Exp(v);
        d = d2 = order == 0 ? 0.0 : f;
        return f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => d = DMath.Exp(v);
}

public readonly struct Exp2Rule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        const double Ln2 = 0.6931471805599453, Ln2Squared = Ln2 * Ln2; // (f * Ln2) * Ln2 would be reassociated on GPUs
        double f = DMath.Exp2(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = f * Ln2;
        d2 = f * Ln2Squared;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<Exp2Rule>(v, out d);
}

public readonly struct Expm1Rule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Expm1(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = d2 = DMath.Exp(v);
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<Expm1Rule>(v, out d);
}

public readonly struct LogRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Log(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = 1.0 / v;
        d2 = -d * d;
        return f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d)
    {
        d = Vector256.Create(1.0) / v;
        return DMath.Log(v);
    }
}

public readonly struct Log2Rule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2) =>
        LogBase.Rule(v, DMath.Log2(v), 1.4426950408889634, order, out d, out d2);

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<Log2Rule>(v, out d);
}

public readonly struct Log10Rule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2) =>
        LogBase.Rule(v, DMath.Log10(v), 0.4342944819032518, order, out d, out d2);

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<Log10Rule>(v, out d);
}

internal static class LogBase
{
    // d = (1 / ln b) / v: two roundings, and no overflow of v ln b near the top of the range.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rule(double v, double f, double inverseLnBase, int order, out double d, out double d2)
    {
        if (order == 0) { d = d2 = 0.0; return f; }
        d = inverseLnBase / v;
        d2 = -d / v;
        return f;
    }
}

public readonly struct Log1pRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Log1p(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = 1.0 / (1.0 + v);
        d2 = -d * d;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<Log1pRule>(v, out d);
}

public readonly struct SinRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        if (order == 0) { d = d2 = 0.0; return DMath.Sin(v); }
        DMath.SinCos(v, out double s, out double c);
        d = c;
        d2 = -s;
        return s;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<SinRule>(v, out d);
}

public readonly struct CosRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        if (order == 0) { d = d2 = 0.0; return DMath.Cos(v); }
        DMath.SinCos(v, out double s, out double c);
        d = -s;
        d2 = -c;
        return c;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<CosRule>(v, out d);
}

public readonly struct TanRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double t = DMath.Tan(v);
        if (order == 0) { d = d2 = 0.0; return t; }
        d = 1.0 + t * t;
        d2 = 2.0 * t * d;
        return t;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<TanRule>(v, out d);
}

public readonly struct AsinRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Asin(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        // (1 - v)(1 + v), not 1 - v v: near |v| = 1 the subtraction is exact and nothing cancels.
        double w = (1.0 - v) * (1.0 + v);
        d = 1.0 / DMath.Sqrt(w);
        d2 = v * d / w;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AsinRule>(v, out d);
}

public readonly struct AcosRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Acos(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        double w = (1.0 - v) * (1.0 + v), r = 1.0 / DMath.Sqrt(w);
        d = -r;
        d2 = -v * r / w;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AcosRule>(v, out d);
}

public readonly struct AtanRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Atan(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        // Beyond 2^27, 1 + v^2 rounds to v^2 and v^2 may overflow: d = (1/v)^2 then.
        if (DMath.Abs(v) > 134217728.0)
        {
            double r = 1.0 / v, r2 = r * r;
            d = r2;
            d2 = -2.0 * r2 * r;
            return f;
        }
        d = 1.0 / (1.0 + v * v);
        d2 = -2.0 * (v * d) * d;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AtanRule>(v, out d);
}

public readonly struct SinhRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double s = DMath.Sinh(v);
        if (order == 0) { d = d2 = 0.0; return s; }
        d = DMath.Cosh(v);
        d2 = s;
        return s;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<SinhRule>(v, out d);
}

public readonly struct CoshRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double c = DMath.Cosh(v);
        if (order == 0) { d = d2 = 0.0; return c; }
        d = DMath.Sinh(v);
        d2 = c;
        return c;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<CoshRule>(v, out d);
}
#pragma warning restore CS1591
