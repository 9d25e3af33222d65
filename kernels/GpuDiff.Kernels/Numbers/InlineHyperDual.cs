using System.Runtime.CompilerServices;
using static GpuDiff.Kernels.Math.FloatBits;
namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A <see cref="HyperDual{P}"/> whose + - * the host JIT inlines into the model's code. For the
/// narrow chunks of the sparse Hessian and element-sum kernels (2-4 colours) that is 1.6-2x faster
/// on the host; for the wide chunks of dense Hessians (8-16 partials, up to 288 bytes a number) it
/// is a fifth to a third slower, which is why <see cref="HyperDual{P}"/> does not inline them
/// (perf/RESULTS.md). The bodies of + - * are <see cref="HyperDual{P}"/>'s, written out here because
/// a shared body would leave HyperDual's operators small enough for the JIT to inline them too (and
/// ILGPU honours NoInlining, so that cannot keep them apart); every other operation calls
/// <see cref="HyperDual{P}"/>'s. NumberTypeTests checks each operation of the two bit for bit.
/// </summary>
/// <typeparam name="P">The chunk of partials.</typeparam>
public struct InlineHyperDual<P> : IDiffNumber<InlineHyperDual<P>> where P : struct, IPartials<P>
{
    /// <summary>The number itself.</summary>
    public HyperDual<P> Number;

    /// <summary>Wraps a hyper-dual.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public InlineHyperDual(HyperDual<P> number) => Number = number;

    /// <inheritdoc />
    public readonly double Primal => Number.Value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RuleValue(InlineHyperDual<P> x) => x.Number.Value;

    /// <inheritdoc />
    public static int Order => 2;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> Constant(double value) => new(HyperDual<P>.Constant(value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> Apply<TRule>(InlineHyperDual<P> x) where TRule : struct, IUnaryRule => UnaryRule.OnePoint<InlineHyperDual<P>, TRule>(x);

    /// <inheritdoc />
    public static InlineHyperDual<P> Chain(InlineHyperDual<P> x, double f, double df, double d2f) =>
        new(HyperDual<P>.Chain(x.Number, f, df, d2f));

    /// <inheritdoc />
    public static InlineHyperDual<P> Chain(InlineHyperDual<P> x, InlineHyperDual<P> y, double f, double fx, double fy, double fxx, double fxy, double fyy) =>
        new(HyperDual<P>.Chain(x.Number, y.Number, f, fx, fy, fxx, fxy, fyy));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator InlineHyperDual<P>(double value) => Constant(value);

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator +(InlineHyperDual<P> a, InlineHyperDual<P> b) =>
        Of(a.Number.Value + b.Number.Value, a.Number.Along + b.Number.Along, P.Add(a.Number.Partials, b.Number.Partials), P.Add(a.Number.Mixed, b.Number.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator +(InlineHyperDual<P> a, double b) =>
        Of(a.Number.Value + Beside(b, a.Number.Value), a.Number.Along, a.Number.Partials, a.Number.Mixed);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator +(double a, InlineHyperDual<P> b) =>
        Of(Beside(a, b.Number.Value) + b.Number.Value, b.Number.Along, b.Number.Partials, b.Number.Mixed);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator -(InlineHyperDual<P> a, InlineHyperDual<P> b) =>
        Of(a.Number.Value - b.Number.Value, a.Number.Along - b.Number.Along, P.Subtract(a.Number.Partials, b.Number.Partials), P.Subtract(a.Number.Mixed, b.Number.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator -(InlineHyperDual<P> a, double b) =>
        Of(a.Number.Value - Beside(b, a.Number.Value), a.Number.Along, a.Number.Partials, a.Number.Mixed);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator -(double a, InlineHyperDual<P> b) =>
        Of(Beside(a, b.Number.Value) - b.Number.Value, -b.Number.Along, P.Negate(b.Number.Partials), P.Negate(b.Number.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator *(InlineHyperDual<P> a, InlineHyperDual<P> b)
    {
        HyperDual<P> x = a.Number, y = b.Number;
        return Of(x.Value * y.Value, x.Along * y.Value + x.Value * y.Along, P.Combine(x.Partials, y.Value, y.Partials, x.Value),
            P.Add(P.Combine(x.Mixed, y.Value, y.Mixed, x.Value), P.Combine(x.Partials, y.Along, y.Partials, x.Along)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator *(InlineHyperDual<P> a, double b) => Scaled(a.Number, Beside(b, a.Number.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator *(double a, InlineHyperDual<P> b) => ScaledFromLeft(Beside(a, b.Number.Value), b.Number);
    public static InlineHyperDual<P> operator /(InlineHyperDual<P> a, InlineHyperDual<P> b) => new(a.Number / b.Number);
    public static InlineHyperDual<P> operator /(InlineHyperDual<P> a, double b) => new(a.Number / b);
    public static InlineHyperDual<P> operator /(double a, InlineHyperDual<P> b) => new(a / b.Number);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static InlineHyperDual<P> operator -(InlineHyperDual<P> a) => new(-a.Number);
    public static bool operator <(InlineHyperDual<P> a, InlineHyperDual<P> b) => a.Number.Value < b.Number.Value;
    public static bool operator >(InlineHyperDual<P> a, InlineHyperDual<P> b) => a.Number.Value > b.Number.Value;
    public static bool operator <=(InlineHyperDual<P> a, InlineHyperDual<P> b) => a.Number.Value <= b.Number.Value;
    public static bool operator >=(InlineHyperDual<P> a, InlineHyperDual<P> b) => a.Number.Value >= b.Number.Value;
    public static bool operator <(InlineHyperDual<P> a, double b) => a.Number.Value < b;
    public static bool operator >(InlineHyperDual<P> a, double b) => a.Number.Value > b;
    public static bool operator <=(InlineHyperDual<P> a, double b) => a.Number.Value <= b;
    public static bool operator >=(InlineHyperDual<P> a, double b) => a.Number.Value >= b;
#pragma warning restore CS1591

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static InlineHyperDual<P> Of(double value, double along, P partials, P mixed) => new(new HyperDual<P>(value, along, partials, mixed));

    // c is computed once, as HyperDual's operators do, and each side keeps HyperDual's operand order,
    // so the code reads as HyperDual's does (IEEE products commute, so the bits would agree anyway).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static InlineHyperDual<P> Scaled(HyperDual<P> x, double c) => Of(x.Value * c, x.Along * c, P.Scale(x.Partials, c), P.Scale(x.Mixed, c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static InlineHyperDual<P> ScaledFromLeft(double c, HyperDual<P> x) => Of(c * x.Value, c * x.Along, P.Scale(x.Partials, c), P.Scale(x.Mixed, c));
}
