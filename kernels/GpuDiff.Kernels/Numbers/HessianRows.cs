using System.Runtime.CompilerServices;

namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// The mixed second derivatives a <see cref="HessianBlock{P, S}"/> carries beside its value and
/// first derivatives: rows of a block (<see cref="IHessianRows{R, P}"/>) or the upper triangle of
/// a diagonal one (<see cref="IHessianTriangle{T, P}"/>). Every operation is
/// <see cref="HyperDual{P}"/>'s on its mixed parts, written the same way, given the number's value
/// and first derivatives, so each entry has the bits a row-at-a-time evaluation gives it.
/// </summary>
/// <typeparam name="S">The implementing type itself.</typeparam>
/// <typeparam name="P">The chunk of the number's first derivatives.</typeparam>
public interface IMixedPart<S, P> where S : struct, IMixedPart<S, P> where P : struct, IPartials<P>
{
    /// <summary>The part of input <paramref name="index"/> (relative to the part's first row): no second derivatives, its own row's first derivative 1.</summary>
    static abstract S Seed(int index);

#pragma warning disable CS1591 // HyperDual's operations, named as there
    static abstract S Add(S a, S b);
    static abstract S Subtract(S a, S b);
    static abstract S Negate(S a);
    static abstract S Scale(S a, double c);
    static abstract S Divide(S a, double c);
    static abstract S Multiply(S a, S b, double aValue, P aPartials, double bValue, P bPartials);
    static abstract S Quotient(S a, S b, double q, P qPartials, double bValue, P bPartials);
    static abstract S Chain(S x, P xPartials, double df, double d2f);
    static abstract S Chain(S x, S y, P xPartials, P yPartials, double fx, double fy, double fxx, double fxy, double fyy);
#pragma warning restore CS1591
}

/// <summary>
/// The rows of a <see cref="HessianBlock{P, S}"/>: for each direction of the block's outer chunk, the
/// first derivative along it and its row of mixed second derivatives against the inner chunk
/// <typeparamref name="P"/>. Each row is a <see cref="HyperDual{P}"/> without the value and the
/// inner partials, which the rows share. Rows are built by doubling (<see cref="RowPair{R, P}"/>)
/// and joining (<see cref="RowJoin{A, B, P}"/>) as chunks are.
/// </summary>
/// <typeparam name="R">The implementing type itself.</typeparam>
/// <typeparam name="P">The inner chunk.</typeparam>
public interface IHessianRows<R, P> : IMixedPart<R, P> where R : struct, IHessianRows<R, P> where P : struct, IPartials<P>
{
    /// <summary>How many rows (outer directions).</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Hands each row to <paramref name="sink"/> with its index (<paramref name="first"/> for the first
    /// row). A visit rather than an indexer: ILGPU 1.5.3 fails to compile a row picked by a run-time
    /// index out of the nested rows ("Cannot convert from 'Struct&lt;...&gt;'").
    /// </summary>
    static abstract void EachRow<TSink>(R r, int first, ref TSink sink) where TSink : struct, IRowSink<P>;
}

/// <summary>Takes the rows of a <see cref="HessianBlock{P, S}"/> one at a time.</summary>
/// <typeparam name="P">The inner chunk.</typeparam>
public interface IRowSink<P> where P : struct, IPartials<P>
{
    /// <summary>Row <paramref name="index"/>: its first derivative and its mixed second derivatives.</summary>
    void Row(int index, double along, P mixed);
}

/// <summary>One row: what a <see cref="HyperDual{P}"/> carries besides the value and the inner partials.</summary>
/// <typeparam name="P">The inner chunk.</typeparam>
public struct RowOne<P> : IHessianRows<RowOne<P>, P> where P : struct, IPartials<P>
{
    /// <summary>The first derivative along the row's direction.</summary>
    public double Along;

    /// <summary>The second derivatives along the row's direction and each inner column.</summary>
    public P Mixed;

    // ILGPU 1.5.3 keys a struct's field layout by its flattened shape, so two structs of as many
    // doubles nested differently (a row of 2 beside a Dual of 2, a block of 2 beside a Dual of 8)
    // get each other's fields once both are compiled in one context. This field, never read, gives
    // every type that holds rows a shape no chunk or number type has.
#pragma warning disable CS0169, IDE0051 // for its shape only
    private readonly int shape;
#pragma warning restore CS0169, IDE0051

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RowOne<P> Of(double along, P mixed) => new() { Along = along, Mixed = mixed };

#pragma warning disable CS1591
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 1; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Seed(int index) => Of(index == 0 ? 1.0 : 0.0, default);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachRow<TSink>(RowOne<P> r, int first, ref TSink sink) where TSink : struct, IRowSink<P> => sink.Row(first, r.Along, r.Mixed);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Add(RowOne<P> a, RowOne<P> b) => Of(a.Along + b.Along, P.Add(a.Mixed, b.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Subtract(RowOne<P> a, RowOne<P> b) => Of(a.Along - b.Along, P.Subtract(a.Mixed, b.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Negate(RowOne<P> a) => Of(-a.Along, P.Negate(a.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Scale(RowOne<P> a, double c) => Of(a.Along * c, P.Scale(a.Mixed, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowOne<P> Divide(RowOne<P> a, double c) => Of(a.Along / c, P.Divide(a.Mixed, c));
    public static RowOne<P> Multiply(RowOne<P> a, RowOne<P> b, double aValue, P aPartials, double bValue, P bPartials) =>
        Of(a.Along * bValue + aValue * b.Along,
            P.Add(P.Combine(a.Mixed, bValue, b.Mixed, aValue), P.Combine(aPartials, b.Along, bPartials, a.Along)));
    public static RowOne<P> Quotient(RowOne<P> a, RowOne<P> b, double q, P qPartials, double bValue, P bPartials)
    {
        double qAlong = (a.Along - q * b.Along) / bValue;
        P cross = P.Add(P.Scale(bPartials, qAlong), P.Scale(qPartials, b.Along));
        return Of(qAlong, P.Divide(P.Subtract(P.Subtract(a.Mixed, cross), P.Scale(b.Mixed, q)), bValue));
    }
    public static RowOne<P> Chain(RowOne<P> x, P xPartials, double df, double d2f) =>
        Of(df * x.Along, P.Combine(x.Mixed, df, P.Scale(xPartials, x.Along), d2f));
    public static RowOne<P> Chain(RowOne<P> x, RowOne<P> y, P xPartials, P yPartials, double fx, double fy, double fxx, double fxy, double fyy)
    {
        P xx = P.Scale(xPartials, x.Along), yy = P.Scale(yPartials, y.Along);
        P xy = P.Add(P.Scale(xPartials, y.Along), P.Scale(yPartials, x.Along));
        return Of(fx * x.Along + fy * y.Along, P.Add(P.Combine(x.Mixed, fx, y.Mixed, fy), P.Add(P.Combine(xx, fxx, xy, fxy), P.Scale(yy, fyy))));
    }
#pragma warning restore CS1591
}

/// <summary>Two sets of rows of the same shape: twice the rows of <typeparamref name="R"/>.</summary>
/// <typeparam name="R">The half.</typeparam>
/// <typeparam name="P">The inner chunk.</typeparam>
public struct RowPair<R, P> : IHessianRows<RowPair<R, P>, P> where R : struct, IHessianRows<R, P> where P : struct, IPartials<P>
{
    /// <summary>Rows 0 .. Count/2 - 1.</summary>
    public R Upper;

    /// <summary>Rows Count/2 .. Count - 1.</summary>
    public R Lower;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RowPair<R, P> Of(R low, R high) => new() { Upper = low, Lower = high };

#pragma warning disable CS1591
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 2 * R.Count; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Seed(int index) => Of(R.Seed(index), R.Seed(index - R.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachRow<TSink>(RowPair<R, P> r, int first, ref TSink sink) where TSink : struct, IRowSink<P>
    {
        R.EachRow(r.Upper, first, ref sink);
        R.EachRow(r.Lower, first + R.Count, ref sink);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Add(RowPair<R, P> a, RowPair<R, P> b) => Of(R.Add(a.Upper, b.Upper), R.Add(a.Lower, b.Lower));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Subtract(RowPair<R, P> a, RowPair<R, P> b) => Of(R.Subtract(a.Upper, b.Upper), R.Subtract(a.Lower, b.Lower));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Negate(RowPair<R, P> a) => Of(R.Negate(a.Upper), R.Negate(a.Lower));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Scale(RowPair<R, P> a, double c) => Of(R.Scale(a.Upper, c), R.Scale(a.Lower, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPair<R, P> Divide(RowPair<R, P> a, double c) => Of(R.Divide(a.Upper, c), R.Divide(a.Lower, c));
    public static RowPair<R, P> Multiply(RowPair<R, P> a, RowPair<R, P> b, double aValue, P aPartials, double bValue, P bPartials) =>
        Of(R.Multiply(a.Upper, b.Upper, aValue, aPartials, bValue, bPartials), R.Multiply(a.Lower, b.Lower, aValue, aPartials, bValue, bPartials));
    public static RowPair<R, P> Quotient(RowPair<R, P> a, RowPair<R, P> b, double q, P qPartials, double bValue, P bPartials) =>
        Of(R.Quotient(a.Upper, b.Upper, q, qPartials, bValue, bPartials), R.Quotient(a.Lower, b.Lower, q, qPartials, bValue, bPartials));
    public static RowPair<R, P> Chain(RowPair<R, P> x, P xPartials, double df, double d2f) =>
        Of(R.Chain(x.Upper, xPartials, df, d2f), R.Chain(x.Lower, xPartials, df, d2f));
    public static RowPair<R, P> Chain(RowPair<R, P> x, RowPair<R, P> y, P xPartials, P yPartials, double fx, double fy, double fxx, double fxy, double fyy) =>
        Of(R.Chain(x.Upper, y.Upper, xPartials, yPartials, fx, fy, fxx, fxy, fyy), R.Chain(x.Lower, y.Lower, xPartials, yPartials, fx, fy, fxx, fxy, fyy));
#pragma warning restore CS1591
}

/// <summary>Two sets of rows of different counts, for counts that are not powers of two (6 = 4 + 2); as <see cref="Join{A, B}"/>.</summary>
/// <typeparam name="A">The first rows.</typeparam>
/// <typeparam name="B">The rows after them.</typeparam>
/// <typeparam name="P">The inner chunk.</typeparam>
public struct RowJoin<A, B, P> : IHessianRows<RowJoin<A, B, P>, P>
    where A : struct, IHessianRows<A, P> where B : struct, IHessianRows<B, P> where P : struct, IPartials<P>
{
    /// <summary>Rows 0 .. A's count - 1.</summary>
    public A Low;

    /// <summary>The rows after them.</summary>
    public B High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RowJoin<A, B, P> Of(A low, B high) => new() { Low = low, High = high };

#pragma warning disable CS1591
    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => A.Count + B.Count; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Seed(int index) => Of(A.Seed(index), B.Seed(index - A.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachRow<TSink>(RowJoin<A, B, P> r, int first, ref TSink sink) where TSink : struct, IRowSink<P>
    {
        A.EachRow(r.Low, first, ref sink);
        B.EachRow(r.High, first + A.Count, ref sink);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Add(RowJoin<A, B, P> a, RowJoin<A, B, P> b) => Of(A.Add(a.Low, b.Low), B.Add(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Subtract(RowJoin<A, B, P> a, RowJoin<A, B, P> b) => Of(A.Subtract(a.Low, b.Low), B.Subtract(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Negate(RowJoin<A, B, P> a) => Of(A.Negate(a.Low), B.Negate(a.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Scale(RowJoin<A, B, P> a, double c) => Of(A.Scale(a.Low, c), B.Scale(a.High, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowJoin<A, B, P> Divide(RowJoin<A, B, P> a, double c) => Of(A.Divide(a.Low, c), B.Divide(a.High, c));
    public static RowJoin<A, B, P> Multiply(RowJoin<A, B, P> a, RowJoin<A, B, P> b, double aValue, P aPartials, double bValue, P bPartials) =>
        Of(A.Multiply(a.Low, b.Low, aValue, aPartials, bValue, bPartials), B.Multiply(a.High, b.High, aValue, aPartials, bValue, bPartials));
    public static RowJoin<A, B, P> Quotient(RowJoin<A, B, P> a, RowJoin<A, B, P> b, double q, P qPartials, double bValue, P bPartials) =>
        Of(A.Quotient(a.Low, b.Low, q, qPartials, bValue, bPartials), B.Quotient(a.High, b.High, q, qPartials, bValue, bPartials));
    public static RowJoin<A, B, P> Chain(RowJoin<A, B, P> x, P xPartials, double df, double d2f) =>
        Of(A.Chain(x.Low, xPartials, df, d2f), B.Chain(x.High, xPartials, df, d2f));
    public static RowJoin<A, B, P> Chain(RowJoin<A, B, P> x, RowJoin<A, B, P> y, P xPartials, P yPartials, double fx, double fy, double fxx, double fxy, double fyy) =>
        Of(A.Chain(x.Low, y.Low, xPartials, yPartials, fx, fy, fxx, fxy, fyy), B.Chain(x.High, y.High, xPartials, yPartials, fx, fy, fxx, fxy, fyy));
#pragma warning restore CS1591
}
