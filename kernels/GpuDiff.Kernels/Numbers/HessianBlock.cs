using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A second-order number for a block of the Hessian: the value, the first derivatives along an inner
/// chunk of columns <typeparamref name="P"/>, and the block's mixed second derivatives
/// (<typeparamref name="S"/>): for each direction of an outer chunk its first derivative and its
/// row (<see cref="IHessianRows{R, P}"/>), or, for the block on the diagonal, its upper triangle
/// (<see cref="IHessianTriangle{T, P}"/>). One evaluation yields a block of H where a
/// <see cref="HyperDual{P}"/> yields one row of it, and the value and inner partials, which every
/// row would compute alike, are computed once.
/// </summary>
/// <remarks>
/// Every part is computed by <see cref="HyperDual{P}"/>'s formulas: a row of the block is, bit for
/// bit, the hyper-dual evaluation of that row, so a Hessian has the same bits whichever the chunk
/// width and whether it was computed by rows, blocks or triangles.
/// </remarks>
/// <typeparam name="P">The inner chunk.</typeparam>
/// <typeparam name="S">The mixed second derivatives: the outer chunk's rows, or the triangle over <typeparamref name="P"/>.</typeparam>
public struct HessianBlock<P, S> : IDiffNumber<HessianBlock<P, S>> where P : struct, IPartials<P> where S : struct, IMixedPart<S, P>
{
    /// <summary>The value.</summary>
    public double Value;

    /// <summary>The first derivatives along the inner chunk.</summary>
    public P Partials;

    /// <summary>The mixed second derivatives (with each outer direction's first derivative, for rows).</summary>
    public S Mixed;

    /// <summary>A block number from its three parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HessianBlock(double value, P partials, S mixed)
    {
        Value = value;
        Partials = partials;
        Mixed = mixed;
    }

    /// <inheritdoc />
    public readonly double Primal => Value;

    /// <inheritdoc />
    public static double RuleValue(HessianBlock<P, S> x) => x.Value;

    /// <inheritdoc />
    public static int Order => 2;

    /// <inheritdoc />
    public static HessianBlock<P, S> Constant(double value) => new(value, default, default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HessianBlock<P, S> Apply<TRule>(HessianBlock<P, S> x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<HessianBlock<P, S>, TRule>(x);

    /// <inheritdoc />
    public static HessianBlock<P, S> Chain(HessianBlock<P, S> x, double f, double df, double d2f) =>
        new(f, P.Scale(x.Partials, df), S.Chain(x.Mixed, x.Partials, df, d2f));

    /// <inheritdoc />
    public static HessianBlock<P, S> Chain(HessianBlock<P, S> x, HessianBlock<P, S> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        new(f, P.Combine(x.Partials, fx, y.Partials, fy), S.Chain(x.Mixed, y.Mixed, x.Partials, y.Partials, fx, fy, fxx, fxy, fyy));

    /// <inheritdoc />
    public static implicit operator HessianBlock<P, S>(double value) => Constant(value);

#pragma warning disable CS1591
    public static HessianBlock<P, S> operator +(HessianBlock<P, S> a, HessianBlock<P, S> b) =>
        new(a.Value + b.Value, P.Add(a.Partials, b.Partials), S.Add(a.Mixed, b.Mixed));
    public static HessianBlock<P, S> operator +(HessianBlock<P, S> a, double b) => new(a.Value + Beside(b, a.Value), a.Partials, a.Mixed);
    public static HessianBlock<P, S> operator +(double a, HessianBlock<P, S> b) => new(Beside(a, b.Value) + b.Value, b.Partials, b.Mixed);
    public static HessianBlock<P, S> operator -(HessianBlock<P, S> a, HessianBlock<P, S> b) =>
        new(a.Value - b.Value, P.Subtract(a.Partials, b.Partials), S.Subtract(a.Mixed, b.Mixed));
    public static HessianBlock<P, S> operator -(HessianBlock<P, S> a, double b) => new(a.Value - Beside(b, a.Value), a.Partials, a.Mixed);
    public static HessianBlock<P, S> operator -(double a, HessianBlock<P, S> b) => new(Beside(a, b.Value) - b.Value, P.Negate(b.Partials), S.Negate(b.Mixed));
    public static HessianBlock<P, S> operator *(HessianBlock<P, S> a, HessianBlock<P, S> b) =>
        new(a.Value * b.Value, P.Combine(a.Partials, b.Value, b.Partials, a.Value), S.Multiply(a.Mixed, b.Mixed, a.Value, a.Partials, b.Value, b.Partials));
    public static HessianBlock<P, S> operator *(HessianBlock<P, S> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value * c, P.Scale(a.Partials, c), S.Scale(a.Mixed, c));
    }
    public static HessianBlock<P, S> operator *(double a, HessianBlock<P, S> b)
    {
        double c = Beside(a, b.Value); // once: the JIT does not share the integer work
        return new(c * b.Value, P.Scale(b.Partials, c), S.Scale(b.Mixed, c));
    }
    public static HessianBlock<P, S> operator /(HessianBlock<P, S> a, HessianBlock<P, S> b)
    {
        double q = a.Value / b.Value;
        P qPartials = P.Quotient(a.Partials, b.Partials, q, b.Value);
        return new(q, qPartials, S.Quotient(a.Mixed, b.Mixed, q, qPartials, b.Value, b.Partials));
    }
    public static HessianBlock<P, S> operator /(HessianBlock<P, S> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value / c, P.Divide(a.Partials, c), S.Divide(a.Mixed, c));
    }
    public static HessianBlock<P, S> operator /(double a, HessianBlock<P, S> b)
    {
        double q = Beside(a, b.Value) / b.Value;
        double d = -q / b.Value;
        return Chain(b, q, d, -2.0 * d / b.Value);
    }
    public static HessianBlock<P, S> operator -(HessianBlock<P, S> a) => new(-a.Value, P.Negate(a.Partials), S.Negate(a.Mixed));
    public static bool operator <(HessianBlock<P, S> a, HessianBlock<P, S> b) => a.Value < b.Value;
    public static bool operator >(HessianBlock<P, S> a, HessianBlock<P, S> b) => a.Value > b.Value;
    public static bool operator <=(HessianBlock<P, S> a, HessianBlock<P, S> b) => a.Value <= b.Value;
    public static bool operator >=(HessianBlock<P, S> a, HessianBlock<P, S> b) => a.Value >= b.Value;
    public static bool operator <(HessianBlock<P, S> a, double b) => a.Value < b;
    public static bool operator >(HessianBlock<P, S> a, double b) => a.Value > b;
    public static bool operator <=(HessianBlock<P, S> a, double b) => a.Value <= b;
    public static bool operator >=(HessianBlock<P, S> a, double b) => a.Value >= b;
#pragma warning restore CS1591
}
