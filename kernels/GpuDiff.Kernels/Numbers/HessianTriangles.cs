using System.Runtime.CompilerServices;

namespace GpuDiff.Kernels.Numbers;

/// <summary>
/// The upper triangle of the Hessian over a chunk <typeparamref name="P"/>: the second derivatives
/// (i, j) with i &lt;= j, the part of a diagonal block that mirroring does not give. Built as chunks
/// are: a triangle of 2w is a triangle of w, the w x w block right of it (rows of
/// <see cref="IHessianRows{R, P}"/>, whose first derivatives along the row repeat the chunk's) and
/// the triangle of w below it. Every entry is computed by <see cref="HyperDual{P}"/>'s formulas,
/// which give entry (i, j) the same bits from row i as from row j, so the triangle has the bits of
/// the rows and of the blocks, with about half their mixed products.
/// </summary>
/// <typeparam name="T">The implementing type itself.</typeparam>
/// <typeparam name="P">The chunk the triangle spans.</typeparam>
public interface IHessianTriangle<T, P> : IMixedPart<T, P> where T : struct, IHessianTriangle<T, P> where P : struct, IPartials<P>
{
    /// <summary>Hands each entry to <paramref name="sink"/>, rows and columns counted from <paramref name="first"/>.</summary>
    static abstract void EachEntry<TSink>(T t, int first, ref TSink sink) where TSink : struct, IEntrySink;
}

/// <summary>Takes a triangle's entries one at a time.</summary>
public interface IEntrySink
{
    /// <summary>Entry (<paramref name="row"/>, <paramref name="column"/>), row &lt;= column.</summary>
    void Entry(int row, int column, double value);
}

/// <summary>The triangle of one input: its second derivative. Computed as <see cref="RowOne{P}"/> computes it, the row's first derivative being the input's own.</summary>
public struct TriangleOne : IHessianTriangle<TriangleOne, One>
{
    /// <summary>The second derivative.</summary>
    public One Mixed;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TriangleOne Of(One mixed) => new() { Mixed = mixed };

    // The row of this input, whose along part is the input's partial: RowOne's formula, unchanged,
    // gives the entry (the along part it also computes is dead code).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RowOne<One> Row(TriangleOne t, One partial) => new() { Along = partial.D, Mixed = t.Mixed };

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Seed(int index) => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachEntry<TSink>(TriangleOne t, int first, ref TSink sink) where TSink : struct, IEntrySink => sink.Entry(first, first, t.Mixed.D);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Add(TriangleOne a, TriangleOne b) => Of(One.Add(a.Mixed, b.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Subtract(TriangleOne a, TriangleOne b) => Of(One.Subtract(a.Mixed, b.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Negate(TriangleOne a) => Of(One.Negate(a.Mixed));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Scale(TriangleOne a, double c) => Of(One.Scale(a.Mixed, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleOne Divide(TriangleOne a, double c) => Of(One.Divide(a.Mixed, c));
    public static TriangleOne Multiply(TriangleOne a, TriangleOne b, double aValue, One aPartials, double bValue, One bPartials) =>
        Of(RowOne<One>.Multiply(Row(a, aPartials), Row(b, bPartials), aValue, aPartials, bValue, bPartials).Mixed);
    public static TriangleOne Quotient(TriangleOne a, TriangleOne b, double q, One qPartials, double bValue, One bPartials)
    {
        // RowOne's quotient with its along part, (a's partial - q b's partial) / b, being qPartials'
        // own (the same formula), which is all this signature has of it.
        One cross = One.Add(One.Scale(bPartials, qPartials.D), One.Scale(qPartials, bPartials.D));
        return Of(One.Divide(One.Subtract(One.Subtract(a.Mixed, cross), One.Scale(b.Mixed, q)), bValue));
    }
    public static TriangleOne Chain(TriangleOne x, One xPartials, double df, double d2f) =>
        Of(RowOne<One>.Chain(Row(x, xPartials), xPartials, df, d2f).Mixed);
    public static TriangleOne Chain(TriangleOne x, TriangleOne y, One xPartials, One yPartials, double fx, double fy, double fxx, double fxy, double fyy) =>
        Of(RowOne<One>.Chain(Row(x, xPartials), Row(y, yPartials), xPartials, yPartials, fx, fy, fxx, fxy, fyy).Mixed);
#pragma warning restore CS1591
}

/// <summary>The triangle over <c>Pair&lt;P&gt;</c>: the first half's triangle, the block of its rows over the second half, the second half's triangle.</summary>
/// <typeparam name="T">The half's triangle.</typeparam>
/// <typeparam name="P">The half chunk.</typeparam>
/// <typeparam name="R">As many rows as <typeparamref name="P"/> has columns.</typeparam>
public struct TrianglePair<T, P, R> : IHessianTriangle<TrianglePair<T, P, R>, Pair<P>>
    where T : struct, IHessianTriangle<T, P> where P : struct, IPartials<P> where R : struct, IHessianRows<R, P>
{
    /// <summary>Rows and columns of the first half.</summary>
    public T Low;

    /// <summary>Rows of the first half, columns of the second.</summary>
    public R Block;

    /// <summary>Rows and columns of the second half.</summary>
    public T High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TrianglePair<T, P, R> Of(T low, R block, T high) => new() { Low = low, Block = block, High = high };

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Seed(int index) => Of(T.Seed(index), R.Seed(index), T.Seed(index - P.Width));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachEntry<TSink>(TrianglePair<T, P, R> t, int first, ref TSink sink) where TSink : struct, IEntrySink
    {
        T.EachEntry(t.Low, first, ref sink);
        var rows = new RowEntries<TSink, P>(sink, first + P.Width);
        R.EachRow(t.Block, first, ref rows);
        sink = rows.Sink;
        T.EachEntry(t.High, first + P.Width, ref sink);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Add(TrianglePair<T, P, R> a, TrianglePair<T, P, R> b) => Of(T.Add(a.Low, b.Low), R.Add(a.Block, b.Block), T.Add(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Subtract(TrianglePair<T, P, R> a, TrianglePair<T, P, R> b) =>
        Of(T.Subtract(a.Low, b.Low), R.Subtract(a.Block, b.Block), T.Subtract(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Negate(TrianglePair<T, P, R> a) => Of(T.Negate(a.Low), R.Negate(a.Block), T.Negate(a.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Scale(TrianglePair<T, P, R> a, double c) => Of(T.Scale(a.Low, c), R.Scale(a.Block, c), T.Scale(a.High, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TrianglePair<T, P, R> Divide(TrianglePair<T, P, R> a, double c) => Of(T.Divide(a.Low, c), R.Divide(a.Block, c), T.Divide(a.High, c));
    public static TrianglePair<T, P, R> Multiply(TrianglePair<T, P, R> a, TrianglePair<T, P, R> b, double aValue, Pair<P> aPartials, double bValue, Pair<P> bPartials) =>
        Of(T.Multiply(a.Low, b.Low, aValue, aPartials.Low, bValue, bPartials.Low),
            R.Multiply(a.Block, b.Block, aValue, aPartials.High, bValue, bPartials.High),
            T.Multiply(a.High, b.High, aValue, aPartials.High, bValue, bPartials.High));
    public static TrianglePair<T, P, R> Quotient(TrianglePair<T, P, R> a, TrianglePair<T, P, R> b, double q, Pair<P> qPartials, double bValue, Pair<P> bPartials) =>
        Of(T.Quotient(a.Low, b.Low, q, qPartials.Low, bValue, bPartials.Low),
            R.Quotient(a.Block, b.Block, q, qPartials.High, bValue, bPartials.High),
            T.Quotient(a.High, b.High, q, qPartials.High, bValue, bPartials.High));
    public static TrianglePair<T, P, R> Chain(TrianglePair<T, P, R> x, Pair<P> xPartials, double df, double d2f) =>
        Of(T.Chain(x.Low, xPartials.Low, df, d2f), R.Chain(x.Block, xPartials.High, df, d2f), T.Chain(x.High, xPartials.High, df, d2f));
    public static TrianglePair<T, P, R> Chain(TrianglePair<T, P, R> x, TrianglePair<T, P, R> y, Pair<P> xPartials, Pair<P> yPartials,
        double fx, double fy, double fxx, double fxy, double fyy) =>
        Of(T.Chain(x.Low, y.Low, xPartials.Low, yPartials.Low, fx, fy, fxx, fxy, fyy),
            R.Chain(x.Block, y.Block, xPartials.High, yPartials.High, fx, fy, fxx, fxy, fyy),
            T.Chain(x.High, y.High, xPartials.High, yPartials.High, fx, fy, fxx, fxy, fyy));
#pragma warning restore CS1591
}

/// <summary>The triangle over <c>Join&lt;A, B&gt;</c>, for widths that are not powers of two, as <see cref="TrianglePair{T, P, R}"/> is over halves.</summary>
/// <typeparam name="TA">The first chunk's triangle.</typeparam>
/// <typeparam name="TB">The second chunk's triangle.</typeparam>
/// <typeparam name="A">The first chunk.</typeparam>
/// <typeparam name="B">The second chunk.</typeparam>
/// <typeparam name="R">As many rows as <typeparamref name="A"/> has columns, over <typeparamref name="B"/>'s columns.</typeparam>
public struct TriangleJoin<TA, TB, A, B, R> : IHessianTriangle<TriangleJoin<TA, TB, A, B, R>, Join<A, B>>
    where TA : struct, IHessianTriangle<TA, A> where TB : struct, IHessianTriangle<TB, B>
    where A : struct, IPartials<A> where B : struct, IPartials<B> where R : struct, IHessianRows<R, B>
{
    /// <summary>Rows and columns of the first chunk.</summary>
    public TA Low;

    /// <summary>Rows of the first chunk, columns of the second.</summary>
    public R Block;

    /// <summary>Rows and columns of the second chunk.</summary>
    public TB High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TriangleJoin<TA, TB, A, B, R> Of(TA low, R block, TB high) => new() { Low = low, Block = block, High = high };

#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Seed(int index) => Of(TA.Seed(index), R.Seed(index), TB.Seed(index - A.Width));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EachEntry<TSink>(TriangleJoin<TA, TB, A, B, R> t, int first, ref TSink sink) where TSink : struct, IEntrySink
    {
        TA.EachEntry(t.Low, first, ref sink);
        var rows = new RowEntries<TSink, B>(sink, first + A.Width);
        R.EachRow(t.Block, first, ref rows);
        sink = rows.Sink;
        TB.EachEntry(t.High, first + A.Width, ref sink);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Add(TriangleJoin<TA, TB, A, B, R> a, TriangleJoin<TA, TB, A, B, R> b) =>
        Of(TA.Add(a.Low, b.Low), R.Add(a.Block, b.Block), TB.Add(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Subtract(TriangleJoin<TA, TB, A, B, R> a, TriangleJoin<TA, TB, A, B, R> b) =>
        Of(TA.Subtract(a.Low, b.Low), R.Subtract(a.Block, b.Block), TB.Subtract(a.High, b.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Negate(TriangleJoin<TA, TB, A, B, R> a) => Of(TA.Negate(a.Low), R.Negate(a.Block), TB.Negate(a.High));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Scale(TriangleJoin<TA, TB, A, B, R> a, double c) => Of(TA.Scale(a.Low, c), R.Scale(a.Block, c), TB.Scale(a.High, c));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TriangleJoin<TA, TB, A, B, R> Divide(TriangleJoin<TA, TB, A, B, R> a, double c) => Of(TA.Divide(a.Low, c), R.Divide(a.Block, c), TB.Divide(a.High, c));
    public static TriangleJoin<TA, TB, A, B, R> Multiply(TriangleJoin<TA, TB, A, B, R> a, TriangleJoin<TA, TB, A, B, R> b,
        double aValue, Join<A, B> aPartials, double bValue, Join<A, B> bPartials) =>
        Of(TA.Multiply(a.Low, b.Low, aValue, aPartials.Low, bValue, bPartials.Low),
            R.Multiply(a.Block, b.Block, aValue, aPartials.High, bValue, bPartials.High),
            TB.Multiply(a.High, b.High, aValue, aPartials.High, bValue, bPartials.High));
    public static TriangleJoin<TA, TB, A, B, R> Quotient(TriangleJoin<TA, TB, A, B, R> a, TriangleJoin<TA, TB, A, B, R> b,
        double q, Join<A, B> qPartials, double bValue, Join<A, B> bPartials) =>
        Of(TA.Quotient(a.Low, b.Low, q, qPartials.Low, bValue, bPartials.Low),
            R.Quotient(a.Block, b.Block, q, qPartials.High, bValue, bPartials.High),
            TB.Quotient(a.High, b.High, q, qPartials.High, bValue, bPartials.High));
    public static TriangleJoin<TA, TB, A, B, R> Chain(TriangleJoin<TA, TB, A, B, R> x, Join<A, B> xPartials, double df, double d2f) =>
        Of(TA.Chain(x.Low, xPartials.Low, df, d2f), R.Chain(x.Block, xPartials.High, df, d2f), TB.Chain(x.High, xPartials.High, df, d2f));
    public static TriangleJoin<TA, TB, A, B, R> Chain(TriangleJoin<TA, TB, A, B, R> x, TriangleJoin<TA, TB, A, B, R> y, Join<A, B> xPartials, Join<A, B> yPartials,
        double fx, double fy, double fxx, double fxy, double fyy) =>
        Of(TA.Chain(x.Low, y.Low, xPartials.Low, yPartials.Low, fx, fy, fxx, fxy, fyy),
            R.Chain(x.Block, y.Block, xPartials.High, yPartials.High, fx, fy, fxx, fxy, fyy),
            TB.Chain(x.High, y.High, xPartials.High, yPartials.High, fx, fy, fxx, fxy, fyy));
#pragma warning restore CS1591
}

/// <summary>Turns a block's rows into entries: row r's mixed part k is entry (r, <paramref name="firstColumn"/> + k).</summary>
/// <typeparam name="TSink">Where the entries go.</typeparam>
/// <typeparam name="P">The block's column chunk.</typeparam>
public struct RowEntries<TSink, P>(TSink sink, int firstColumn) : IRowSink<P> where TSink : struct, IEntrySink where P : struct, IPartials<P>
{
    /// <summary>The sink, handed back to the triangle when the rows are done.</summary>
    public TSink Sink = sink;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Row(int index, double along, P mixed)
    {
        for (int k = 0; k < P.Width; k++) Sink.Entry(index, firstColumn + k, P.Get(mixed, k));
    }
}
