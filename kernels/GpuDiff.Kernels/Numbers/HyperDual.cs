using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A second-order number for forward-over-forward Hessians: x + a e1 + sum_k d_k e2_k + sum_k m_k e1 e2_k,
/// with e1^2 = e2_j e2_k = 0. One direction rides on e1 (a unit vector for a Hessian row, the
/// vector v for a Hessian-vector product), a chunk of columns on e2; the mixed parts m_k are then
/// the second derivatives along e1 and column k.
/// </summary>
/// <typeparam name="P">The chunk of partials.</typeparam>
public struct HyperDual<P> : IDiffNumber<HyperDual<P>> where P : struct, IPartials<P>
{
    /// <summary>The value.</summary>
    public double Value;

    /// <summary>The first derivative along the e1 direction.</summary>
    public double Along;

    /// <summary>The first derivatives along the chunk of columns.</summary>
    public P Partials;

    /// <summary>The second derivatives along e1 and each column.</summary>
    public P Mixed;

    /// <summary>A hyper-dual from its four parts.</summary>
    public HyperDual(double value, double along, P partials, P mixed)
    {
        Value = value;
        Along = along;
        Partials = partials;
        Mixed = mixed;
    }

    /// <inheritdoc />
    public readonly double Primal => Value;

    /// <inheritdoc />
    public static double RuleValue(HyperDual<P> x) => x.Value;

    /// <inheritdoc />
    public static int Order => 2;

    /// <inheritdoc />
    public static HyperDual<P> Constant(double value) => new(value, 0.0, default, default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HyperDual<P> Apply<TRule>(HyperDual<P> x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<HyperDual<P>, TRule>(x);

    // The mixed parts are written so that swapping the roles of e1 and e2 gives the same bits: each
    // product of an e1 part and an e2 part is formed before it is scaled, and such products come in
    // pairs added to each other (IEEE products and sums commute; they do not associate). Entry
    // (i, j) of a Hessian is then bit for bit the same whether row i's evaluation computes it or
    // row j's, which lets a star colouring read an entry from either row (SparseTables.Hessian).

    /// <inheritdoc />
    public static HyperDual<P> Chain(HyperDual<P> x, double f, double df, double d2f) =>
        new(f, df * x.Along, P.Scale(x.Partials, df), P.Combine(x.Mixed, df, P.Scale(x.Partials, x.Along), d2f));

    /// <inheritdoc />
    public static HyperDual<P> Chain(HyperDual<P> x, HyperDual<P> y, double f, double fx, double fy, double fxx, double fxy, double fyy)
    {
        P xx = P.Scale(x.Partials, x.Along), yy = P.Scale(y.Partials, y.Along);
        P xy = P.Add(P.Scale(x.Partials, y.Along), P.Scale(y.Partials, x.Along));
        return new(f, fx * x.Along + fy * y.Along, P.Combine(x.Partials, fx, y.Partials, fy),
            P.Add(P.Combine(x.Mixed, fx, y.Mixed, fy), P.Add(P.Combine(xx, fxx, xy, fxy), P.Scale(yy, fyy))));
    }

    /// <inheritdoc />
    public static implicit operator HyperDual<P>(double value) => Constant(value);

#pragma warning disable CS1591
    public static HyperDual<P> operator +(HyperDual<P> a, HyperDual<P> b) =>
        new(a.Value + b.Value, a.Along + b.Along, P.Add(a.Partials, b.Partials), P.Add(a.Mixed, b.Mixed));
    public static HyperDual<P> operator +(HyperDual<P> a, double b) => new(a.Value + Beside(b, a.Value), a.Along, a.Partials, a.Mixed);
    public static HyperDual<P> operator +(double a, HyperDual<P> b) => new(Beside(a, b.Value) + b.Value, b.Along, b.Partials, b.Mixed);
    public static HyperDual<P> operator -(HyperDual<P> a, HyperDual<P> b) =>
        new(a.Value - b.Value, a.Along - b.Along, P.Subtract(a.Partials, b.Partials), P.Subtract(a.Mixed, b.Mixed));
    public static HyperDual<P> operator -(HyperDual<P> a, double b) => new(a.Value - Beside(b, a.Value), a.Along, a.Partials, a.Mixed);
    public static HyperDual<P> operator -(double a, HyperDual<P> b) => new(Beside(a, b.Value) - b.Value, -b.Along, P.Negate(b.Partials), P.Negate(b.Mixed));
    public static HyperDual<P> operator *(HyperDual<P> a, HyperDual<P> b) =>
        new(a.Value * b.Value, a.Along * b.Value + a.Value * b.Along,
            P.Combine(a.Partials, b.Value, b.Partials, a.Value),
            P.Add(P.Combine(a.Mixed, b.Value, b.Mixed, a.Value), P.Combine(a.Partials, b.Along, b.Partials, a.Along)));
    public static HyperDual<P> operator *(HyperDual<P> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value * c, a.Along * c, P.Scale(a.Partials, c), P.Scale(a.Mixed, c));
    }
    public static HyperDual<P> operator *(double a, HyperDual<P> b)
    {
        double c = Beside(a, b.Value); // once: the JIT does not share the integer work
        return new(c * b.Value, c * b.Along, P.Scale(b.Partials, c), P.Scale(b.Mixed, c));
    }
    public static HyperDual<P> operator /(HyperDual<P> a, HyperDual<P> b)
    {
        // From a = q b: every part of q is (part of a - the other products) / b.
        double q = a.Value / b.Value;
        double qAlong = (a.Along - q * b.Along) / b.Value;
        P qPartials = P.Quotient(a.Partials, b.Partials, q, b.Value);
        P cross = P.Add(P.Scale(b.Partials, qAlong), P.Scale(qPartials, b.Along));
        P qMixed = P.Divide(P.Subtract(P.Subtract(a.Mixed, cross), P.Scale(b.Mixed, q)), b.Value);
        return new(q, qAlong, qPartials, qMixed);
    }
    public static HyperDual<P> operator /(HyperDual<P> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value / c, a.Along / c, P.Divide(a.Partials, c), P.Divide(a.Mixed, c));
    }
    public static HyperDual<P> operator /(double a, HyperDual<P> b)
    {
        double q = Beside(a, b.Value) / b.Value;
        double d = -q / b.Value;
        return Chain(b, q, d, -2.0 * d / b.Value);
    }
    public static HyperDual<P> operator -(HyperDual<P> a) => new(-a.Value, -a.Along, P.Negate(a.Partials), P.Negate(a.Mixed));
    public static bool operator <(HyperDual<P> a, HyperDual<P> b) => a.Value < b.Value;
    public static bool operator >(HyperDual<P> a, HyperDual<P> b) => a.Value > b.Value;
    public static bool operator <=(HyperDual<P> a, HyperDual<P> b) => a.Value <= b.Value;
    public static bool operator >=(HyperDual<P> a, HyperDual<P> b) => a.Value >= b.Value;
    public static bool operator <(HyperDual<P> a, double b) => a.Value < b;
    public static bool operator >(HyperDual<P> a, double b) => a.Value > b;
    public static bool operator <=(HyperDual<P> a, double b) => a.Value <= b;
    public static bool operator >=(HyperDual<P> a, double b) => a.Value >= b;
#pragma warning restore CS1591
}
