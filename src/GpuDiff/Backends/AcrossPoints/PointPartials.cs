using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// A chunk of partial derivatives of four points at once: partial k of each point in lane l of one
/// 256-bit vector. Each operation is the scalar chunk's (<see cref="Kernels.Numbers.IPartials{P}"/>)
/// sequence of IEEE operations applied lane by lane; .NET never fuses a vector multiply and add, so
/// every lane has the bits the scalar code gives its point.
/// </summary>
/// <typeparam name="L">The implementing type itself.</typeparam>
internal interface IPointPartials<L> where L : struct, IPointPartials<L>
{
    static abstract int Width { get; }

    /// <summary>Column <paramref name="index"/>'s unit seed on every lane (all zero outside the chunk).</summary>
    static abstract L Unit(int index);

    static abstract Vector256<double> Get(L p, int index);

    static abstract L Add(L a, L b);

    static abstract L Subtract(L a, L b);

    static abstract L Negate(L a);

    static abstract L Scale(L a, Vector256<double> s);

    static abstract L Divide(L a, Vector256<double> d);

    static abstract L Combine(L a, Vector256<double> s, L b, Vector256<double> t);

    static abstract L Quotient(L a, L b, Vector256<double> q, Vector256<double> y);
}

/// <summary>No partials: four points' values alone, for the Value kind (every operation a no-op).</summary>
internal struct PointNone : IPointPartials<PointNone>
{
    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 0; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Unit(int index) => default;

    public static Vector256<double> Get(PointNone p, int index) => throw new ArgumentOutOfRangeException(nameof(index), "no partials");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Add(PointNone a, PointNone b) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Subtract(PointNone a, PointNone b) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Negate(PointNone a) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Scale(PointNone a, Vector256<double> s) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Divide(PointNone a, Vector256<double> d) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Combine(PointNone a, Vector256<double> s, PointNone b, Vector256<double> t) => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointNone Quotient(PointNone a, PointNone b, Vector256<double> q, Vector256<double> y) => default;
}

/// <summary>One partial of four points.</summary>
internal struct PointOne : IPointPartials<PointOne>
{
    public Vector256<double> D;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PointOne Of(Vector256<double> d) => new() { D = d };

    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 1; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Unit(int index) => Of(Vector256.Create(index == 0 ? 1.0 : 0.0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Get(PointOne p, int index) => p.D;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Add(PointOne a, PointOne b) => Of(a.D + b.D);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Subtract(PointOne a, PointOne b) => Of(a.D - b.D);

    // x ^ -0.0, as scalar negation: 0 - x would turn -0 into +0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Negate(PointOne a) => Of(Vector256.Xor(a.D, Vector256.Create(-0.0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Scale(PointOne a, Vector256<double> s) => Of(a.D * s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Divide(PointOne a, Vector256<double> d) => Of(a.D / d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Combine(PointOne a, Vector256<double> s, PointOne b, Vector256<double> t) => Of(a.D * s + b.D * t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointOne Quotient(PointOne a, PointOne b, Vector256<double> q, Vector256<double> y) => Of((a.D - q * b.D) / y);
}

/// <summary>Two chunks side by side: twice the width of <typeparamref name="L"/>.</summary>
internal struct PointPair<L> : IPointPartials<PointPair<L>> where L : struct, IPointPartials<L>
{
    public L Low, High;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PointPair<L> Of(L low, L high) => new() { Low = low, High = high };

    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 2 * L.Width; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Unit(int index) => Of(L.Unit(index), L.Unit(index - L.Width));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Get(PointPair<L> p, int index) => index < L.Width ? L.Get(p.Low, index) : L.Get(p.High, index - L.Width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Add(PointPair<L> a, PointPair<L> b) => Of(L.Add(a.Low, b.Low), L.Add(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Subtract(PointPair<L> a, PointPair<L> b) => Of(L.Subtract(a.Low, b.Low), L.Subtract(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Negate(PointPair<L> a) => Of(L.Negate(a.Low), L.Negate(a.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Scale(PointPair<L> a, Vector256<double> s) => Of(L.Scale(a.Low, s), L.Scale(a.High, s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Divide(PointPair<L> a, Vector256<double> d) => Of(L.Divide(a.Low, d), L.Divide(a.High, d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Combine(PointPair<L> a, Vector256<double> s, PointPair<L> b, Vector256<double> t) =>
        Of(L.Combine(a.Low, s, b.Low, t), L.Combine(a.High, s, b.High, t));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PointPair<L> Quotient(PointPair<L> a, PointPair<L> b, Vector256<double> q, Vector256<double> y) =>
        Of(L.Quotient(a.Low, b.Low, q, y), L.Quotient(a.High, b.High, q, y));
}
