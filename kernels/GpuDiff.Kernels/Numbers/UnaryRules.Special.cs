using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Math;

namespace GpuDiff.Kernels.Numbers.Rules;

// The rules whose derivatives need care of their own (tanh's and the inverse hyperbolic functions'
// cancellation, the special functions of statistics), and |x|.
#pragma warning disable CS1591 // each rule is named for the function it computes

public readonly struct TanhRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double t = DMath.Tanh(v);
        if (order == 0) { d = d2 = 0.0; return t; }
        // 1 - t^2 cancels as |t| nears 1 (t'(12) lost 1.9e9 ulp); from |v| = 0.5 on, sech^2 v =
        // 4 e / (1 + e)^2 with e = exp(-2|v|), all terms positive.
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
        d2 = -2.0 * t * d;
        return t;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<TanhRule>(v, out d);
}

public readonly struct AsinhRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Asinh(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        // Beyond 2^27, v^2 + 1 rounds to v^2 (which may overflow): d = 1/|v| to within half an ulp.
        if (DMath.Abs(v) > 134217728.0)
        {
            double r = 1.0 / DMath.Abs(v);
            d = r;
            d2 = -DMath.CopySign(r * r, v);
            return f;
        }
        double w = v * v + 1.0;
        d = 1.0 / DMath.Sqrt(w);
        d2 = -v * d / w;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AsinhRule>(v, out d);
}

public readonly struct AcoshRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Acosh(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        if (v > 134217728.0)
        {
            double r = 1.0 / v;
            d = r;
            d2 = -(r * r);
            return f;
        }
        // (v - 1)(v + 1), not v v - 1: near v = 1 the subtraction is exact and nothing cancels.
        double w = (v - 1.0) * (v + 1.0);
        d = 1.0 / DMath.Sqrt(w);
        d2 = -v * d / w;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AcoshRule>(v, out d);
}

public readonly struct AtanhRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Atanh(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = 1.0 / ((1.0 - v) * (1.0 + v));
        d2 = 2.0 * v * d * d;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<AtanhRule>(v, out d);
}

/// <summary>|x|, with derivative +1 at 0 (the right derivative).</summary>
public readonly struct AbsRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        d = order == 0 ? 0.0 : v < 0.0 ? -1.0 : 1.0;
        d2 = 0.0;
        return DMath.Abs(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d)
    {
        d = Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<double>.Zero), Vector256.Create(-1.0), Vector256.Create(1.0));
        return Vector256.AndNot(v, Vector256.Create(-0.0)); // the sign bit cleared, as DMath.Abs does
    }
}

public readonly struct ErfRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Erf(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        DMath.ErfDerivatives(v, out d, out d2);
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<ErfRule>(v, out d);
}

public readonly struct ErfcRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.Erfc(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        DMath.ErfDerivatives(v, out double e, out double e2);
        d = -e;
        d2 = -e2;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<ErfcRule>(v, out d);
}

public readonly struct NormalCdfRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.NormalCdf(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        DMath.NormalCdfDerivatives(v, out d, out d2);
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<NormalCdfRule>(v, out d);
}

public readonly struct LogNormalCdfRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.LogNormalCdf(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        DMath.LogNormalCdfDerivatives(v, out d, out d2);
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<LogNormalCdfRule>(v, out d);
}

public readonly struct LogGammaRule : IUnaryRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Apply(double v, int order, out double d, out double d2)
    {
        double f = DMath.LogGamma(v);
        if (order == 0) { d = d2 = 0.0; return f; }
        d = DMath.Digamma(v);
        d2 = order > 1 ? DMath.Trigamma(v) : 0.0;
        return f;
    }

    public static Vector256<double> Apply(Vector256<double> v, out Vector256<double> d) => UnaryRule.EachLane<LogGammaRule>(v, out d);
}
#pragma warning restore CS1591
