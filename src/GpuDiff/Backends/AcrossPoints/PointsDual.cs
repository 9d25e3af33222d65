using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// <see cref="Dual{P}"/> of four points at once: each operation is Dual's, lane by lane, so each
/// lane has the bits Dual gives its point. Functions of one variable apply their rule's lane form
/// (<see cref="Apply{TRule}"/>). Only for models that make no decision and call no other function
/// (checked by a trace before a call, <see cref="FourPointKernels"/>): those read a value
/// (<see cref="RuleValue"/>) or compare one, which four different points do not share, so those
/// members refuse rather than answer for one lane.
/// </summary>
internal struct PointsDual<L> : IDiffNumber<PointsDual<L>> where L : struct, IPointPartials<L>
{
    public Vector256<double> Value;
    public L Partials;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PointsDual(Vector256<double> value, L partials)
    {
        Value = value;
        Partials = partials;
    }

    internal static InvalidOperationException NotArithmetic() =>
        new("A model evaluated four points at once read a value or compared one; the trace before the call should have kept it on the one-point path. This is a GpuDiff bug, please report it.");

    public readonly double Primal => throw NotArithmetic();

    public static double RuleValue(PointsDual<L> x) => throw NotArithmetic();

    public static int Order => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> Constant(double value) => new(Vector256.Create(value), default);

    /// <summary>The rule's lane form: each lane's value and derivative with the scalar rule's bits, then the chain rule as <see cref="Dual{P}"/> applies it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> Apply<TRule>(PointsDual<L> x) where TRule : struct, IUnaryRule
    {
        var f = TRule.Apply(x.Value, out var d);
        return new(f, L.Scale(x.Partials, d));
    }

    public static PointsDual<L> Chain(PointsDual<L> x, double f, double df, double d2f) => throw NotArithmetic();

    public static PointsDual<L> Chain(PointsDual<L> x, PointsDual<L> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        throw NotArithmetic();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator PointsDual<L>(double value) => Constant(value);

    // The scalar constant meets every lane as it is: FloatBits.Beside is the identity on the host.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> All(double c) => Vector256.Create(c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator +(PointsDual<L> a, PointsDual<L> b) => new(a.Value + b.Value, L.Add(a.Partials, b.Partials));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator +(PointsDual<L> a, double b) => new(a.Value + All(b), a.Partials);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator +(double a, PointsDual<L> b) => new(All(a) + b.Value, b.Partials);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator -(PointsDual<L> a, PointsDual<L> b) => new(a.Value - b.Value, L.Subtract(a.Partials, b.Partials));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator -(PointsDual<L> a, double b) => new(a.Value - All(b), a.Partials);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator -(double a, PointsDual<L> b) => new(All(a) - b.Value, L.Negate(b.Partials));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator *(PointsDual<L> a, PointsDual<L> b) =>
        new(a.Value * b.Value, L.Combine(a.Partials, b.Value, b.Partials, a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator *(PointsDual<L> a, double b)
    {
        var c = All(b);
        return new(a.Value * c, L.Scale(a.Partials, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator *(double a, PointsDual<L> b)
    {
        var c = All(a);
        return new(c * b.Value, L.Scale(b.Partials, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator /(PointsDual<L> a, PointsDual<L> b)
    {
        var q = a.Value / b.Value;
        return new(q, L.Quotient(a.Partials, b.Partials, q, b.Value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator /(PointsDual<L> a, double b)
    {
        var c = All(b);
        return new(a.Value / c, L.Divide(a.Partials, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator /(double a, PointsDual<L> b)
    {
        var q = All(a) / b.Value;
        return new(q, L.Scale(b.Partials, Vector256.Xor(q, All(-0.0)) / b.Value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointsDual<L> operator -(PointsDual<L> a) => new(Vector256.Xor(a.Value, All(-0.0)), L.Negate(a.Partials));

    public static bool operator <(PointsDual<L> a, PointsDual<L> b) => throw NotArithmetic();
    public static bool operator >(PointsDual<L> a, PointsDual<L> b) => throw NotArithmetic();
    public static bool operator <=(PointsDual<L> a, PointsDual<L> b) => throw NotArithmetic();
    public static bool operator >=(PointsDual<L> a, PointsDual<L> b) => throw NotArithmetic();
    public static bool operator <(PointsDual<L> a, double b) => throw NotArithmetic();
    public static bool operator >(PointsDual<L> a, double b) => throw NotArithmetic();
    public static bool operator <=(PointsDual<L> a, double b) => throw NotArithmetic();
    public static bool operator >=(PointsDual<L> a, double b) => throw NotArithmetic();
}
