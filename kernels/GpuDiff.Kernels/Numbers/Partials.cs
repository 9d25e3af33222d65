using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// A fixed-width chunk of partial derivatives (ForwardDiff's chunk). Widths are built by doubling:
/// <see cref="One"/>, <c>Pair&lt;One&gt;</c> (2), <c>Pair&lt;Pair&lt;One&gt;&gt;</c> (4) and so on, all
/// explicit double fields, which PTX keeps in registers (fixed buffers spill to local memory).
/// Every operation acts on each component with the same scalar operations, so a component's bits
/// do not depend on the width it was computed in.
/// </summary>
/// <typeparam name="P">The implementing type itself.</typeparam>
public interface IPartials<P> where P : struct, IPartials<P>
{
    /// <summary>How many partials the chunk holds.</summary>
    static abstract int Width { get; }

    /// <summary>The unit vector e_index; all zero when index is outside [0, Width).</summary>
    static abstract P Unit(int index);

    /// <summary>Component <paramref name="index"/>.</summary>
    static abstract double Get(P p, int index);

    /// <summary>a + b.</summary>
    static abstract P Add(P a, P b);

    /// <summary>a - b.</summary>
    static abstract P Subtract(P a, P b);

    /// <summary>-a.</summary>
    static abstract P Negate(P a);

    /// <summary>a * s.</summary>
    static abstract P Scale(P a, double s);

    /// <summary>a / d.</summary>
    static abstract P Divide(P a, double d);

    /// <summary>a * s + b * t.</summary>
    static abstract P Combine(P a, double s, P b, double t);

    /// <summary>(a - q * b) / y, the quotient rule's numerator over the divisor.</summary>
    static abstract P Quotient(P a, P b, double q, double y);

    /// <summary>
    /// Stores the first min(<paramref name="count"/>, Width) components at <paramref name="buffer"/>[<paramref name="at"/> + k],
    /// each as <see cref="DerivativeEntry.Canonical"/> gives it: a chunk's run of derivative entries in one call, so
    /// vector chunks store without taking their lanes apart one variable index at a time.
    /// </summary>
    static abstract void StoreCanonical<TBuf>(P p, TBuf buffer, long at, int count) where TBuf : struct, IBuffer;
}

/// <summary>A chunk of one partial derivative.</summary>
public struct One : IPartials<One>
{
    /// <summary>The partial.</summary>
    public double D;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static One Of(double d) => new() { D = d };

#pragma warning disable CS1591
    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 1; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Unit(int index) => Of(index == 0 ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Get(One p, int index) => p.D;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Add(One a, One b) => Of(a.D + b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Subtract(One a, One b) => Of(a.D - b.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Negate(One a) => Of(-a.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Scale(One a, double s) => Of(a.D * s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static One Divide(One a, double d) => Of(a.D / d);
    public static One Combine(One a, double s, One b, double t) => Of(a.D * s + b.D * t);
    public static One Quotient(One a, One b, double q, double y) => Of((a.D - q * b.D) / y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCanonical<TBuf>(One p, TBuf buffer, long at, int count) where TBuf : struct, IBuffer
    {
        if (count > 0) buffer.Store(at, DerivativeEntry.Canonical(p.D));
    }
#pragma warning restore CS1591
}

/// <summary>Two chunks side by side: twice the width of <typeparamref name="P"/>.</summary>
/// <typeparam name="P">The half-width chunk.</typeparam>
public struct Pair<P> : IPartials<Pair<P>> where P : struct, IPartials<P>
{
    /// <summary>Components 0 .. Width/2 - 1.</summary>
    public P Low;

    /// <summary>Components Width/2 .. Width - 1.</summary>
    public P High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Pair<P> Of(P low, P high) => new() { Low = low, High = high };

#pragma warning disable CS1591
    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 2 * P.Width; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Unit(int index) => Of(P.Unit(index), P.Unit(index - P.Width));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Get(Pair<P> p, int index) => index < P.Width ? P.Get(p.Low, index) : P.Get(p.High, index - P.Width);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Add(Pair<P> a, Pair<P> b) => Of(P.Add(a.Low, b.Low), P.Add(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Subtract(Pair<P> a, Pair<P> b) => Of(P.Subtract(a.Low, b.Low), P.Subtract(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Negate(Pair<P> a) => Of(P.Negate(a.Low), P.Negate(a.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Scale(Pair<P> a, double s) => Of(P.Scale(a.Low, s), P.Scale(a.High, s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair<P> Divide(Pair<P> a, double d) => Of(P.Divide(a.Low, d), P.Divide(a.High, d));
    public static Pair<P> Combine(Pair<P> a, double s, Pair<P> b, double t) =>
        Of(P.Combine(a.Low, s, b.Low, t), P.Combine(a.High, s, b.High, t));
    public static Pair<P> Quotient(Pair<P> a, Pair<P> b, double q, double y) =>
        Of(P.Quotient(a.Low, b.Low, q, y), P.Quotient(a.High, b.High, q, y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCanonical<TBuf>(Pair<P> p, TBuf buffer, long at, int count) where TBuf : struct, IBuffer
    {
        if (P.Width == 1 && count >= 2)
        {
            // Two partials side by side: one pair store (a 16-byte store on GPUs).
            buffer.StorePair(at, DerivativeEntry.Canonical(P.Get(p.Low, 0)), DerivativeEntry.Canonical(P.Get(p.High, 0)));
            return;
        }
        P.StoreCanonical(p.Low, buffer, at, count);
        if (count > P.Width) P.StoreCanonical(p.High, buffer, at + P.Width, count - P.Width);
    }
#pragma warning restore CS1591
}

/// <summary>
/// Two chunks of different widths side by side, for the widths that are not powers of two
/// (6 = 4 + 2, 7 = 4 + 2 + 1, ...): a model with 6 inputs seeds 6 columns, not 8.
/// </summary>
/// <typeparam name="A">The first, wider chunk.</typeparam>
/// <typeparam name="B">The second chunk.</typeparam>
public struct Join<A, B> : IPartials<Join<A, B>> where A : struct, IPartials<A> where B : struct, IPartials<B>
{
    // ILGPU 1.5.3 keys a struct's field layout by its flattened shape (see RowOne): without this
    // field, never read, a join of 4 and 2 has the shape of a dual of 5, and once both are compiled
    // in one context neither compiles. Leading, so every join's shape starts where no chunk's or
    // number's does.
#pragma warning disable CS0169, IDE0051 // for its shape only
    private readonly int shape;
#pragma warning restore CS0169, IDE0051

    /// <summary>Components 0 .. A's width - 1.</summary>
    public A Low;

    /// <summary>The components after them.</summary>
    public B High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Join<A, B> Of(A low, B high) => new() { Low = low, High = high };

#pragma warning disable CS1591
    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => A.Width + B.Width; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Unit(int index) => Of(A.Unit(index), B.Unit(index - A.Width));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Get(Join<A, B> p, int index) => index < A.Width ? A.Get(p.Low, index) : B.Get(p.High, index - A.Width);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Add(Join<A, B> a, Join<A, B> b) => Of(A.Add(a.Low, b.Low), B.Add(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Subtract(Join<A, B> a, Join<A, B> b) => Of(A.Subtract(a.Low, b.Low), B.Subtract(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Negate(Join<A, B> a) => Of(A.Negate(a.Low), B.Negate(a.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Scale(Join<A, B> a, double s) => Of(A.Scale(a.Low, s), B.Scale(a.High, s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Join<A, B> Divide(Join<A, B> a, double d) => Of(A.Divide(a.Low, d), B.Divide(a.High, d));
    public static Join<A, B> Combine(Join<A, B> a, double s, Join<A, B> b, double t) =>
        Of(A.Combine(a.Low, s, b.Low, t), B.Combine(a.High, s, b.High, t));
    public static Join<A, B> Quotient(Join<A, B> a, Join<A, B> b, double q, double y) =>
        Of(A.Quotient(a.Low, b.Low, q, y), B.Quotient(a.High, b.High, q, y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCanonical<TBuf>(Join<A, B> p, TBuf buffer, long at, int count) where TBuf : struct, IBuffer
    {
        A.StoreCanonical(p.Low, buffer, at, count);
        if (count > A.Width) B.StoreCanonical(p.High, buffer, at + A.Width, count - A.Width);
    }
#pragma warning restore CS1591
}
