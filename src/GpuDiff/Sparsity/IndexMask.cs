using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuDiff.Sparsity;

/// <summary>
/// A set of input indices below <see cref="Capacity"/>, as a value: a tracer carries one per
/// number, so the union of two is two vector ors and no allocation.
/// </summary>
internal struct IndexMask : IEquatable<IndexMask>
{
    /// <summary>Inputs a pattern can be detected for.</summary>
    public const int Capacity = 512;

    private Vector256<ulong> a, b;

    private IndexMask(Vector256<ulong> a, Vector256<ulong> b)
    {
        this.a = a;
        this.b = b;
    }

    public static IndexMask Of(int index)
    {
        var m = default(IndexMask);
        m.Add(index);
        return m;
    }

    public readonly bool IsEmpty => (a | b) == Vector256<ulong>.Zero;

    public void Add(int index)
    {
        int lane = (index >> 6) & 3;
        ulong bit = 1UL << (index & 63);
        if (index < 256) a = a.WithElement(lane, a.GetElement(lane) | bit);
        else b = b.WithElement(lane, b.GetElement(lane) | bit);
    }

    public readonly bool Contains(int index)
    {
        var half = index < 256 ? a : b;
        return (half.GetElement((index >> 6) & 3) & (1UL << (index & 63))) != 0;
    }

    public readonly int Count
    {
        get
        {
            int c = 0;
            for (int k = 0; k < 4; k++) c += BitOperations.PopCount(a.GetElement(k)) + BitOperations.PopCount(b.GetElement(k));
            return c;
        }
    }

    /// <summary>The indices in increasing order into <paramref name="into"/>.</summary>
    public readonly void AppendTo(List<int> into)
    {
        for (int k = 0; k < 8; k++)
        {
            ulong w = k < 4 ? a.GetElement(k) : b.GetElement(k - 4);
            while (w != 0)
            {
                into.Add(k * 64 + BitOperations.TrailingZeroCount(w));
                w &= w - 1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IndexMask operator |(IndexMask x, IndexMask y) => new(x.a | y.a, x.b | y.b);

    public readonly bool Equals(IndexMask other) => a == other.a && b == other.b;

    public override readonly bool Equals(object? obj) => obj is IndexMask m && Equals(m);

    public override readonly int GetHashCode() => HashCode.Combine(a, b);
}
