namespace GpuDiff.Streaming;

/// <summary>
/// Points first .. first + count - 1 of another source: one shard of a sweep cut into contiguous
/// parts for several machines. The inner source is moved to the slice's start on first use (a seek
/// for sources that can, such as the counter-based random source).
/// </summary>
public sealed class PointSourceSlice : IPointSource
{
    private readonly IPointSource inner;
    private readonly int inputs;
    private readonly long firstValue;
    private long valuesLeft;
    private bool positioned;

    /// <summary>Creates the slice of <paramref name="count"/> points starting at point <paramref name="first"/>.</summary>
    public PointSourceSlice(IPointSource inner, int inputs, long first, long count)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (inner.Count is long total && first + count > total)
            throw new ArgumentException($"Points {first} .. {first + count - 1} are past the source's {total} points.", nameof(count));
        (this.inner, this.inputs, firstValue, valuesLeft) = (inner, inputs, checked(first * inputs), checked(count * inputs));
        (First, Count) = (first, count);
    }

    /// <summary>The slice's first point in the inner source.</summary>
    public long First { get; }

    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="shards"/> of a sweep of <paramref name="total"/>
    /// points: points total * index / shards up to total * (index + 1) / shards, so the shards cover
    /// the sweep exactly once, in order, and differ in size by at most one point.
    /// </summary>
    public static (long First, long Count) Shard(long total, int index, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        if (index < 0 || index >= shards) throw new ArgumentOutOfRangeException(nameof(index), index, $"A shard index is 0 to {shards - 1}.");
        long Start(int i) => (long)((Int128)total * i / shards);
        return (Start(index), Start(index + 1) - Start(index));
    }

    /// <inheritdoc />
    public long? Count { get; }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
    {
        await PositionAsync(cancellationToken);
        if (valuesLeft == 0) return 0;
        int got = await inner.ReadAsync(destination[..(int)Math.Min(destination.Length, valuesLeft)], cancellationToken);
        valuesLeft -= got;
        return got;
    }

    /// <inheritdoc />
    public async ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        await PositionAsync(cancellationToken);
        long skipped = await inner.SkipAsync(Math.Min(values, valuesLeft), cancellationToken);
        valuesLeft -= skipped;
        return skipped;
    }

    private async ValueTask PositionAsync(CancellationToken cancellationToken)
    {
        if (positioned) return;
        positioned = true;
        if (firstValue > 0 && await inner.SkipAsync(firstValue, cancellationToken) != firstValue)
            throw new InvalidDataException($"The source ended before point {firstValue / inputs}, where this slice starts.");
    }
}
