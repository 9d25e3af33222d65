using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>
/// Four partials in one 256-bit vector, for the host backend only (ILGPU cannot compile vectors).
/// Every operation is the scalar chunk's sequence of IEEE additions, subtractions, multiplications
/// and divisions applied lane by lane, each correctly rounded as in the scalar code, and .NET never
/// contracts a vector multiply and add into a fused one: the bits are <see cref="One"/>'s.
/// Negation flips the sign bit (x ^ -0.0) as scalar negation does; 0 - x would turn -0 into +0.
/// </summary>
internal struct Lanes4 : IPartials<Lanes4>
{
    public Vector256<double> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes4 Of(Vector256<double> v) => new() { V = v };

    public static int Width { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 4; }

    /// <summary>
    /// A 1 between zeros: lane k of a window starting at 4 - index is 1 exactly when k = index, so
    /// a seed is one load where four compares and a vector build cost Brown's n = 32 Jacobian, which
    /// seeds every input twice a chunk, most of its time (perf/RESULTS.md).
    /// </summary>
    private static readonly double[] UnitWindow = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Unit(int index) =>
        Of(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(UnitWindow), (nuint)(4 - Math.Clamp(index, -4, 4))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Get(Lanes4 p, int index) => p.V.GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Add(Lanes4 a, Lanes4 b) => Of(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Subtract(Lanes4 a, Lanes4 b) => Of(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Negate(Lanes4 a) => Of(Vector256.Xor(a.V, Vector256.Create(-0.0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Scale(Lanes4 a, double s) => Of(a.V * Vector256.Create(s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Divide(Lanes4 a, double d) => Of(a.V / Vector256.Create(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Combine(Lanes4 a, double s, Lanes4 b, double t) => Of(a.V * Vector256.Create(s) + b.V * Vector256.Create(t));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Quotient(Lanes4 a, Lanes4 b, double q, double y) => Of((a.V - Vector256.Create(q) * b.V) / Vector256.Create(y));

    /// <summary>DerivativeEntry.Canonical on all four lanes at once (zeros as +0, NaNs as double.NaN's bits), then stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCanonical<TBuf>(Lanes4 p, TBuf buffer, long at, int count) where TBuf : struct, IBuffer
    {
        var zero = Vector256<double>.Zero;
        var v = Vector256.ConditionalSelect(Vector256.Equals(p.V, zero), zero, p.V);
        v = Vector256.ConditionalSelect(Vector256.Equals(v, v), v, Vector256.Create(double.NaN));
        if (count >= 4 && typeof(TBuf) == typeof(PointerBuffer))
        {
            // The host's own buffers are pinned memory: one vector store (the JIT drops this test for other buffers).
            ((PointerBuffer)(object)buffer).StoreVector(at, v);
            return;
        }
        for (int k = 0; k < count && k < 4; k++) buffer.Store(at + k, v.GetElement(k));
    }
}
