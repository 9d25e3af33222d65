using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GpuDiff.Sparsity;

/// <summary>
/// A set of input indices as a value, which a tracer carries per number: the union of two is a few
/// ors and no allocation. Three sizes (64, 256, 512 inputs), so a model pays for the words it needs.
/// </summary>
internal interface IIndexMask<TMask> : IEquatable<TMask> where TMask : struct, IIndexMask<TMask>
{
    /// <summary>Indices below this fit.</summary>
    static abstract int Capacity { get; }

    static abstract TMask Of(int index);

    static abstract TMask operator |(TMask x, TMask y);

    bool IsEmpty { get; }

    /// <summary>rows[i] |= <paramref name="other"/> for each index i in this set.</summary>
    void OrInto(TMask[] rows, TMask other);

    /// <summary>The same set in the wide form.</summary>
    IndexMask Widen();
}

/// <summary>Up to 64 indices in one word.</summary>
internal readonly struct Mask64(ulong bits) : IIndexMask<Mask64>
{
    private readonly ulong bits = bits;

    public static int Capacity => 64;

    public static Mask64 Of(int index) => new(1UL << index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Mask64 operator |(Mask64 x, Mask64 y) => new(x.bits | y.bits);

    public bool IsEmpty => bits == 0;

    public void OrInto(Mask64[] rows, Mask64 other)
    {
        for (ulong w = bits; w != 0; w &= w - 1) rows[BitOperations.TrailingZeroCount(w)] |= other;
    }

    public IndexMask Widen()
    {
        var wide = default(IndexMask);
        for (ulong w = bits; w != 0; w &= w - 1) wide.Add(BitOperations.TrailingZeroCount(w));
        return wide;
    }

    public bool Equals(Mask64 other) => bits == other.bits;

    public override bool Equals(object? obj) => obj is Mask64 m && Equals(m);

    public override int GetHashCode() => bits.GetHashCode();
}

/// <summary>Up to 256 indices in one 256-bit vector.</summary>
internal readonly struct Mask256(Vector256<ulong> bits) : IIndexMask<Mask256>
{
    private readonly Vector256<ulong> bits = bits;

    public static int Capacity => 256;

    public static Mask256 Of(int index) => new(Vector256<ulong>.Zero.WithElement(index >> 6, 1UL << (index & 63)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Mask256 operator |(Mask256 x, Mask256 y) => new(x.bits | y.bits);

    public bool IsEmpty => bits == Vector256<ulong>.Zero;

    public void OrInto(Mask256[] rows, Mask256 other)
    {
        for (int k = 0; k < 4; k++)
            for (ulong w = bits.GetElement(k); w != 0; w &= w - 1) rows[k * 64 + BitOperations.TrailingZeroCount(w)] |= other;
    }

    public IndexMask Widen()
    {
        var wide = default(IndexMask);
        for (int k = 0; k < 4; k++)
            for (ulong w = bits.GetElement(k); w != 0; w &= w - 1) wide.Add(k * 64 + BitOperations.TrailingZeroCount(w));
        return wide;
    }

    public bool Equals(Mask256 other) => bits == other.bits;

    public override bool Equals(object? obj) => obj is Mask256 m && Equals(m);

    public override int GetHashCode() => bits.GetHashCode();
}

/// <summary>Up to 512 indices in two 256-bit vectors.</summary>
internal struct IndexMask : IIndexMask<IndexMask>
{
    /// <summary>Inputs a pattern can be detected for.</summary>
    public const int MaxInputs = 512;

    public static int Capacity => MaxInputs;

    private Vector256<ulong> a, b;

    private IndexMask(Vector256<ulong> a, Vector256<ulong> b)
    {
        this.a = a;
        this.b = b;
    }

    public readonly IndexMask Widen() => this;

    public readonly void OrInto(IndexMask[] rows, IndexMask other)
    {
        for (int k = 0; k < 8; k++)
            for (ulong w = k < 4 ? a.GetElement(k) : b.GetElement(k - 4); w != 0; w &= w - 1)
                rows[k * 64 + BitOperations.TrailingZeroCount(w)] |= other;
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
