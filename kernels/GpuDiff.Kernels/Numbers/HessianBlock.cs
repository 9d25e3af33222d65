using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A second-order number for a block of the Hessian: the value, the first derivatives along an inner
/// chunk of columns <typeparamref name="P"/>, and for each direction of an outer chunk its first
/// derivative and its row of mixed second derivatives (<typeparamref name="R"/>). One evaluation
/// yields an outer-by-inner block of H where a <see cref="HyperDual{P}"/> yields one row of it,
/// and the value and inner partials, which every row would compute alike, are computed once.
/// </summary>
/// <remarks>
/// Every part is computed by <see cref="HyperDual{P}"/>'s formulas: a row of the block is, bit for
/// bit, the hyper-dual evaluation of that row, so a Hessian has the same bits whichever the chunk
/// width and whether it was computed by rows or by blocks.
/// </remarks>
/// <typeparam name="P">The inner chunk.</typeparam>
/// <typeparam name="R">The rows of the outer chunk.</typeparam>
public struct HessianBlock<P, R> : IDiffNumber<HessianBlock<P, R>> where P : struct, IPartials<P> where R : struct, IHessianRows<R, P>
{
    /// <summary>The value.</summary>
    public double Value;

    /// <summary>The first derivatives along the inner chunk.</summary>
    public P Partials;

    /// <summary>Each outer direction's first derivative and mixed row.</summary>
    public R Rows;

    /// <summary>A block number from its three parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HessianBlock(double value, P partials, R rows)
    {
        Value = value;
        Partials = partials;
        Rows = rows;
    }

    /// <inheritdoc />
    public readonly double Primal => Value;

    /// <inheritdoc />
    public static double RuleValue(HessianBlock<P, R> x) => x.Value;

    /// <inheritdoc />
    public static int Order => 2;

    /// <inheritdoc />
    public static HessianBlock<P, R> Constant(double value) => new(value, default, default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HessianBlock<P, R> Apply<TRule>(HessianBlock<P, R> x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<HessianBlock<P, R>, TRule>(x);

    /// <inheritdoc />
    public static HessianBlock<P, R> Chain(HessianBlock<P, R> x, double f, double df, double d2f) =>
        new(f, P.Scale(x.Partials, df), R.Chain(x.Rows, x.Partials, df, d2f));

    /// <inheritdoc />
    public static HessianBlock<P, R> Chain(HessianBlock<P, R> x, HessianBlock<P, R> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        new(f, P.Combine(x.Partials, fx, y.Partials, fy), R.Chain(x.Rows, y.Rows, x.Partials, y.Partials, fx, fy, fxx, fxy, fyy));

    /// <inheritdoc />
    public static implicit operator HessianBlock<P, R>(double value) => Constant(value);

#pragma warning disable CS1591
    public static HessianBlock<P, R> operator +(HessianBlock<P, R> a, HessianBlock<P, R> b) =>
        new(a.Value + b.Value, P.Add(a.Partials, b.Partials), R.Add(a.Rows, b.Rows));
    public static HessianBlock<P, R> operator +(HessianBlock<P, R> a, double b) => new(a.Value + Beside(b, a.Value), a.Partials, a.Rows);
    public static HessianBlock<P, R> operator +(double a, HessianBlock<P, R> b) => new(Beside(a, b.Value) + b.Value, b.Partials, b.Rows);
    public static HessianBlock<P, R> operator -(HessianBlock<P, R> a, HessianBlock<P, R> b) =>
        new(a.Value - b.Value, P.Subtract(a.Partials, b.Partials), R.Subtract(a.Rows, b.Rows));
    public static HessianBlock<P, R> operator -(HessianBlock<P, R> a, double b) => new(a.Value - Beside(b, a.Value), a.Partials, a.Rows);
    public static HessianBlock<P, R> operator -(double a, HessianBlock<P, R> b) => new(Beside(a, b.Value) - b.Value, P.Negate(b.Partials), R.Negate(b.Rows));
    public static HessianBlock<P, R> operator *(HessianBlock<P, R> a, HessianBlock<P, R> b) =>
        new(a.Value * b.Value, P.Combine(a.Partials, b.Value, b.Partials, a.Value), R.Multiply(a.Rows, b.Rows, a.Value, a.Partials, b.Value, b.Partials));
    public static HessianBlock<P, R> operator *(HessianBlock<P, R> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value * c, P.Scale(a.Partials, c), R.Scale(a.Rows, c));
    }
    public static HessianBlock<P, R> operator *(double a, HessianBlock<P, R> b)
    {
        double c = Beside(a, b.Value); // once: the JIT does not share the integer work
        return new(c * b.Value, P.Scale(b.Partials, c), R.Scale(b.Rows, c));
    }
    public static HessianBlock<P, R> operator /(HessianBlock<P, R> a, HessianBlock<P, R> b)
    {
        double q = a.Value / b.Value;
        P qPartials = P.Quotient(a.Partials, b.Partials, q, b.Value);
        return new(q, qPartials, R.Quotient(a.Rows, b.Rows, q, qPartials, b.Value, b.Partials));
    }
    public static HessianBlock<P, R> operator /(HessianBlock<P, R> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value / c, P.Divide(a.Partials, c), R.Divide(a.Rows, c));
    }
    public static HessianBlock<P, R> operator /(double a, HessianBlock<P, R> b)
    {
        double q = Beside(a, b.Value) / b.Value;
        double d = -q / b.Value;
        return Chain(b, q, d, -2.0 * d / b.Value);
    }
    public static HessianBlock<P, R> operator -(HessianBlock<P, R> a) => new(-a.Value, P.Negate(a.Partials), R.Negate(a.Rows));
    public static bool operator <(HessianBlock<P, R> a, HessianBlock<P, R> b) => a.Value < b.Value;
    public static bool operator >(HessianBlock<P, R> a, HessianBlock<P, R> b) => a.Value > b.Value;
    public static bool operator <=(HessianBlock<P, R> a, HessianBlock<P, R> b) => a.Value <= b.Value;
    public static bool operator >=(HessianBlock<P, R> a, HessianBlock<P, R> b) => a.Value >= b.Value;
    public static bool operator <(HessianBlock<P, R> a, double b) => a.Value < b;
    public static bool operator >(HessianBlock<P, R> a, double b) => a.Value > b;
    public static bool operator <=(HessianBlock<P, R> a, double b) => a.Value <= b;
    public static bool operator >=(HessianBlock<P, R> a, double b) => a.Value >= b;
#pragma warning restore CS1591
}
