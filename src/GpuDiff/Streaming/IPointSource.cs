namespace GpuDiff.Streaming;

/// <summary>Points (or directions) arriving in blocks, row-major [point][input], for streaming sweeps.</summary>
public interface IPointSource
{
    /// <summary>How many points the source will give, when it knows; used for progress only.</summary>
    long? Count { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> from its start and returns how many doubles were
    /// written; fewer than asked for is fine, and 0 means the source is exhausted.
    /// </summary>
    ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken);

    /// <summary>
    /// Moves past the next <paramref name="values"/> doubles, as a resumed sweep does to start at its
    /// first missing point; returns how many were skipped (fewer when the source ends first). The
    /// default reads and drops them; sources that can seek override it.
    /// </summary>
    async ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(values);
        var scratch = new double[(int)Math.Min(values, 1 << 16)];
        long skipped = 0;
        while (skipped < values)
        {
            int got = await ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, values - skipped)), cancellationToken);
            if (got == 0) break;
            skipped += got;
        }
        return skipped;
    }
}

/// <summary>Where a streaming sweep's results go, block after block in point order.</summary>
/// <remarks>
/// The engine calls <see cref="CompleteAsync"/> once, after the last block, only when the whole
/// sweep succeeded; when it is cancelled or fails it calls <see cref="AbortAsync"/> instead. A sink
/// must make its output look finished only in <see cref="CompleteAsync"/> (a file sink writes to a
/// temporary name and renames it there), so a stopped sweep never leaves a complete-looking result.
/// </remarks>
public interface IResultSink
{
    /// <summary>Takes the results of points firstPoint.. in <paramref name="block"/>; the memory is reused after the returned task ends.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken);

    /// <summary>The sweep succeeded and every block has been written.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>The sweep stopped early (cancelled or failed): discard what was written.</summary>
    ValueTask AbortAsync();
}

/// <summary>What a streaming sweep did.</summary>
/// <param name="Points">Points computed and written by this call (after <see cref="FirstPoint"/> when resumed).</param>
/// <param name="NonFinitePoints">How many points have a NaN or infinity in their results.</param>
/// <param name="FirstNonFinitePoints">The indices of the first of those, at most <see cref="SweepSummary.ListedNonFinite"/>.</param>
public sealed record SweepSummary(long Points, long NonFinitePoints, IReadOnlyList<long> FirstNonFinitePoints)
{
    /// <summary>How many non-finite point indices a summary lists.</summary>
    public const int ListedNonFinite = 1000;

    /// <summary>Where the call started: 0, or the first point a resumed sweep computed.</summary>
    public long FirstPoint { get; init; }
}
