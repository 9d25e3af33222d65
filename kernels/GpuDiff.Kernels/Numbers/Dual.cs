using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A forward-mode dual number: a value and a chunk of partial derivatives, x + sum_k d_k eps_k with
/// eps_j eps_k = 0. Seeding k input columns at once shares the primal work between them.
/// </summary>
/// <typeparam name="P">The chunk of partials (<see cref="One"/>, <see cref="Pair{P}"/> of those).</typeparam>
public struct Dual<P> : IDiffNumber<Dual<P>> where P : struct, IPartials<P>
{
    /// <summary>The value.</summary>
    public double Value;

    /// <summary>The partial derivatives.</summary>
    public P Partials;

    /// <summary>A dual with the given value and partials.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual(double value, P partials)
    {
        Value = value;
        Partials = partials;
    }

    /// <inheritdoc />
    public readonly double Primal => Value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RuleValue(Dual<P> x) => x.Value;

    /// <inheritdoc />
    public static int Order => 1;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> Constant(double value) => new(value, default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> Apply<TRule>(Dual<P> x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<Dual<P>, TRule>(x);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> Chain(Dual<P> x, double f, double df, double d2f) => new(f, P.Scale(x.Partials, df));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> Chain(Dual<P> x, Dual<P> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        new(f, P.Combine(x.Partials, fx, y.Partials, fy));

    /// <inheritdoc />
    public static implicit operator Dual<P>(double value) => new(value, default);

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator +(Dual<P> a, Dual<P> b) => new(a.Value + b.Value, P.Add(a.Partials, b.Partials));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator +(Dual<P> a, double b) => new(a.Value + Beside(b, a.Value), a.Partials);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator +(double a, Dual<P> b) => new(Beside(a, b.Value) + b.Value, b.Partials);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator -(Dual<P> a, Dual<P> b) => new(a.Value - b.Value, P.Subtract(a.Partials, b.Partials));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator -(Dual<P> a, double b) => new(a.Value - Beside(b, a.Value), a.Partials);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator -(double a, Dual<P> b) => new(Beside(a, b.Value) - b.Value, P.Negate(b.Partials));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator *(Dual<P> a, Dual<P> b) =>
        new(a.Value * b.Value, P.Combine(a.Partials, b.Value, b.Partials, a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator *(Dual<P> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value * c, P.Scale(a.Partials, c));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator *(double a, Dual<P> b)
    {
        double c = Beside(a, b.Value); // once: the JIT does not share the integer work
        return new(c * b.Value, P.Scale(b.Partials, c));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator /(Dual<P> a, Dual<P> b)
    {
        double q = a.Value / b.Value;
        return new(q, P.Quotient(a.Partials, b.Partials, q, b.Value));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator /(Dual<P> a, double b)
    {
        double c = Beside(b, a.Value); // once: the JIT does not share the integer work
        return new(a.Value / c, P.Divide(a.Partials, c));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator /(double a, Dual<P> b)
    {
        double q = Beside(a, b.Value) / b.Value;
        return new(q, P.Scale(b.Partials, -q / b.Value));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual<P> operator -(Dual<P> a) => new(-a.Value, P.Negate(a.Partials));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(Dual<P> a, Dual<P> b) => a.Value < b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(Dual<P> a, Dual<P> b) => a.Value > b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(Dual<P> a, Dual<P> b) => a.Value <= b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(Dual<P> a, Dual<P> b) => a.Value >= b.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <(Dual<P> a, double b) => a.Value < b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >(Dual<P> a, double b) => a.Value > b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator <=(Dual<P> a, double b) => a.Value <= b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool operator >=(Dual<P> a, double b) => a.Value >= b;
#pragma warning restore CS1591
}
