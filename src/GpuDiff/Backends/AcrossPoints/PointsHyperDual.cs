using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// <see cref="HyperDual{P}"/> of four points at once, for the element-sum kernel: value, the one
/// direction along e1, the partials along e2 and the mixed parts, each a vector of four points'
/// lanes. Every operation is HyperDual's (as <see cref="InlineHyperDual{P}"/> writes it), in the
/// same order, so each lane has the bits HyperDual gives its point; functions of one variable take
/// the rule's scalar form at order 2 a lane at a time (the second derivative has no lane form).
/// Models that decide or call another function keep the one-point kernel (<see cref="FourPointKernels"/>).
/// </summary>
internal struct PointsHyperDual<L> : IDiffNumber<PointsHyperDual<L>> where L : struct, IPointPartials<L>
{
    public Vector256<double> Value, Along;
    public L Partials, Mixed;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PointsHyperDual(Vector256<double> value, Vector256<double> along, L partials, L mixed)
    {
        Value = value;
        Along = along;
        Partials = partials;
        Mixed = mixed;
    }

    public readonly double Primal => throw PointsDual<L>.NotArithmetic();

    public static double RuleValue(PointsHyperDual<L> x) => throw PointsDual<L>.NotArithmetic();

    public static int Order => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> Constant(double value) => new(Vector256.Create(value), Vector256<double>.Zero, default, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator PointsHyperDual<L>(double value) => Constant(value);

    /// <summary>HyperDual.Chain with each lane's f, f' and f'' from the rule's scalar form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> Apply<TRule>(PointsHyperDual<L> x) where TRule : struct, IUnaryRule
    {
        var v = x.Value;
        double f0 = TRule.Apply(v.GetElement(0), 2, out double d0, out double s0), f1 = TRule.Apply(v.GetElement(1), 2, out double d1, out double s1),
            f2 = TRule.Apply(v.GetElement(2), 2, out double d2, out double s2), f3 = TRule.Apply(v.GetElement(3), 2, out double d3, out double s3);
        return Chain(x, Vector256.Create(f0, f1, f2, f3), Vector256.Create(d0, d1, d2, d3), Vector256.Create(s0, s1, s2, s3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PointsHyperDual<L> Chain(PointsHyperDual<L> x, Vector256<double> f, Vector256<double> df, Vector256<double> d2f) =>
        new(f, df * x.Along, L.Scale(x.Partials, df), L.Combine(x.Mixed, df, L.Scale(x.Partials, x.Along), d2f));

    public static PointsHyperDual<L> Chain(PointsHyperDual<L> x, double f, double df, double d2f) => throw PointsDual<L>.NotArithmetic();

    public static PointsHyperDual<L> Chain(PointsHyperDual<L> x, PointsHyperDual<L> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        throw PointsDual<L>.NotArithmetic();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> All(double c) => Vector256.Create(c);

    // -x as the scalar code negates: the sign bit flipped (0 - x would turn -0 into +0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Minus(Vector256<double> x) => Vector256.Xor(x, All(-0.0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator +(PointsHyperDual<L> a, PointsHyperDual<L> b) =>
        new(a.Value + b.Value, a.Along + b.Along, L.Add(a.Partials, b.Partials), L.Add(a.Mixed, b.Mixed));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator +(PointsHyperDual<L> a, double b) => new(a.Value + All(b), a.Along, a.Partials, a.Mixed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator +(double a, PointsHyperDual<L> b) => new(All(a) + b.Value, b.Along, b.Partials, b.Mixed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator -(PointsHyperDual<L> a, PointsHyperDual<L> b) =>
        new(a.Value - b.Value, a.Along - b.Along, L.Subtract(a.Partials, b.Partials), L.Subtract(a.Mixed, b.Mixed));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator -(PointsHyperDual<L> a, double b) => new(a.Value - All(b), a.Along, a.Partials, a.Mixed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator -(double a, PointsHyperDual<L> b) =>
        new(All(a) - b.Value, Minus(b.Along), L.Negate(b.Partials), L.Negate(b.Mixed));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator *(PointsHyperDual<L> a, PointsHyperDual<L> b) =>
        new(a.Value * b.Value, a.Along * b.Value + a.Value * b.Along, L.Combine(a.Partials, b.Value, b.Partials, a.Value),
            L.Add(L.Combine(a.Mixed, b.Value, b.Mixed, a.Value), L.Combine(a.Partials, b.Along, b.Partials, a.Along)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator *(PointsHyperDual<L> a, double b)
    {
        var c = All(b);
        return new(a.Value * c, a.Along * c, L.Scale(a.Partials, c), L.Scale(a.Mixed, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator *(double a, PointsHyperDual<L> b)
    {
        var c = All(a);
        return new(c * b.Value, c * b.Along, L.Scale(b.Partials, c), L.Scale(b.Mixed, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator /(PointsHyperDual<L> a, PointsHyperDual<L> b)
    {
        // HyperDual's: from a = q b, every part of q is (part of a - the other products) / b.
        var q = a.Value / b.Value;
        var qAlong = (a.Along - q * b.Along) / b.Value;
        var qPartials = L.Quotient(a.Partials, b.Partials, q, b.Value);
        var cross = L.Add(L.Scale(b.Partials, qAlong), L.Scale(qPartials, b.Along));
        var qMixed = L.Divide(L.Subtract(L.Subtract(a.Mixed, cross), L.Scale(b.Mixed, q)), b.Value);
        return new(q, qAlong, qPartials, qMixed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator /(PointsHyperDual<L> a, double b)
    {
        var c = All(b);
        return new(a.Value / c, a.Along / c, L.Divide(a.Partials, c), L.Divide(a.Mixed, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator /(double a, PointsHyperDual<L> b)
    {
        var q = All(a) / b.Value;
        var d = Minus(q) / b.Value;
        return Chain(b, q, d, All(-2.0) * d / b.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsHyperDual<L> operator -(PointsHyperDual<L> a) => new(Minus(a.Value), Minus(a.Along), L.Negate(a.Partials), L.Negate(a.Mixed));

#pragma warning disable CS1591 // a decision: refused, as PointsDual refuses it
    public static bool operator <(PointsHyperDual<L> a, PointsHyperDual<L> b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator >(PointsHyperDual<L> a, PointsHyperDual<L> b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator <=(PointsHyperDual<L> a, PointsHyperDual<L> b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator >=(PointsHyperDual<L> a, PointsHyperDual<L> b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator <(PointsHyperDual<L> a, double b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator >(PointsHyperDual<L> a, double b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator <=(PointsHyperDual<L> a, double b) => throw PointsDual<L>.NotArithmetic();
    public static bool operator >=(PointsHyperDual<L> a, double b) => throw PointsDual<L>.NotArithmetic();
#pragma warning restore CS1591
}
