namespace GpuDiff.Resident;

/// <summary>
/// Statistics of a sequence of values (one per point): the finite values' sum, mean, minimum and
/// maximum with the index of each (the lowest index on a tie; -1 when there are no finite values),
/// how many finite values lie strictly below the threshold, and the non-finite values' count and
/// first indices. Indices count from the first value of the sequence.
/// </summary>
/// <param name="Count">Values in all.</param>
/// <param name="FiniteCount">Finite values.</param>
/// <param name="Sum">The finite values' sum, in the fixed order of <see cref="StatisticsAccumulator"/>.</param>
/// <param name="Min">The smallest finite value (+inf when there is none).</param>
/// <param name="MinIndex">Its index.</param>
/// <param name="Max">The largest finite value (-inf when there is none).</param>
/// <param name="MaxIndex">Its index.</param>
/// <param name="Threshold">The bound of <paramref name="BelowThreshold"/>.</param>
/// <param name="BelowThreshold">Finite values strictly below the threshold.</param>
/// <param name="NonFiniteCount">NaN and infinite values.</param>
/// <param name="NonFiniteIndices">The first of their indices, in order, up to the accumulator's limit.</param>
public sealed record SummaryStatistics(long Count, long FiniteCount, double Sum, double Min, long MinIndex, double Max, long MaxIndex,
    double Threshold, long BelowThreshold, long NonFiniteCount, IReadOnlyList<long> NonFiniteIndices)
{
    /// <summary>The smallest finite values with their indices, smallest first (ties: lowest index first), as many as the accumulator keeps.</summary>
    public IReadOnlyList<(double Value, long Index)> Smallest { get; init; } = [];

    /// <summary>The largest finite values with their indices, largest first.</summary>
    public IReadOnlyList<(double Value, long Index)> Largest { get; init; } = [];

    /// <summary>The histogram's counts per bin, or null when none was asked for.</summary>
    public IReadOnlyList<long>? HistogramCounts { get; init; }

    /// <summary>Finite values below the histogram's range.</summary>
    public long BelowHistogram { get; init; }

    /// <summary>Finite values at or above the histogram's upper end.</summary>
    public long AboveHistogram { get; init; }

    /// <summary>Sum over the finite count (NaN when there are no finite values).</summary>
    public double Mean => FiniteCount == 0 ? double.NaN : Sum / FiniteCount;
}
