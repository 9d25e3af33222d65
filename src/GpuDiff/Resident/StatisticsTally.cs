using GpuDiff.Backends;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Resident;

/// <summary>
/// What a <see cref="StatisticsAccumulator"/> has gathered: the tree's root so far, the non-finite
/// indices, the histogram counts and the running extremes, each block appended in order with its
/// indices moved to the whole sequence's.
/// </summary>
internal sealed class StatisticsTally
{
    private readonly StatisticsAccumulator owner;
    private StatisticsRecord total = StatisticsRecord.Empty;
    private List<long> nonFiniteIndices = [];
    private long[]? histogram;
    private double[]? smallest, largest;

    public StatisticsTally(StatisticsAccumulator owner)
    {
        this.owner = owner;
        if (owner.Histogram is { } h) histogram = new long[h.Count + 3];
        if (owner.Extremes > 0)
        {
            smallest = EmptyExtremes(owner.Extremes, largest: false);
            largest = EmptyExtremes(owner.Extremes, largest: true);
        }
    }

    public long Count { get; private set; }

    public StatisticsTally Clone()
    {
        var copy = (StatisticsTally)MemberwiseClone();
        copy.nonFiniteIndices = [.. nonFiniteIndices];
        copy.histogram = (long[]?)histogram?.Clone();
        copy.smallest = (double[]?)smallest?.Clone();
        copy.largest = (double[]?)largest?.Clone();
        return copy;
    }

    /// <summary>Appends the records of the next <paramref name="length"/> values; <paramref name="fetch"/> copies values out, to list non-finite indices.</summary>
    public void Append(BlockRecords records, long length, Action<long, long, double[]> fetch)
    {
        double[]? values = null;
        long blocks = records.Statistics.LongLength / FixedOrderStatistics.RecordLength;
        for (long b = 0; b < blocks; b++)
        {
            var block = StatisticsRecord.Load(new ArrayBuffer(records.Statistics), b * FixedOrderStatistics.RecordLength);
            if (block.NonFinite > 0 && nonFiniteIndices.Count < owner.MaxNonFiniteIndices)
            {
                long first = b * StatisticsAccumulator.BlockLength, size = Math.Min(StatisticsAccumulator.BlockLength, length - first);
                values ??= new double[StatisticsAccumulator.BlockLength];
                fetch(first, size, values);
                for (int i = 0; i < size && nonFiniteIndices.Count < owner.MaxNonFiniteIndices; i++)
                    if (!double.IsFinite(values[i])) nonFiniteIndices.Add(Count + first + i);
            }
            total.Merge(Offset(block, Count));
            if (histogram is not null && records.Histogram is { } h)
                for (int i = 0; i < histogram.Length; i++) histogram[i] += (long)h[b * histogram.Length + i];
            Merge(smallest, records.Smallest, b, largest: false);
            Merge(largest, records.Largest, b, largest: true);
        }
        Count += length;
    }

    public SummaryStatistics Summary() => new(Count, (long)total.Finite, total.Sum, total.Min, (long)total.MinIndex, total.Max, (long)total.MaxIndex,
        owner.Threshold, (long)total.Below, (long)total.NonFinite, [.. nonFiniteIndices])
    {
        Smallest = Pairs(smallest),
        Largest = Pairs(largest),
        HistogramCounts = histogram is null ? null : [.. histogram.AsSpan(0, histogram.Length - 3)],
        BelowHistogram = histogram?[^3] ?? 0,
        AboveHistogram = histogram?[^2] ?? 0,
    };

    /// <summary>Inserts block <paramref name="b"/>'s kept pairs, indices moved to the whole sequence's, into the running pairs.</summary>
    private void Merge(double[]? running, double[]? blocks, long b, bool largest)
    {
        if (running is null || blocks is null) return;
        int k = owner.Extremes;
        var insert = new Extremes { K = k, Largest = largest ? 1 : 0 };
        var target = new ArrayBuffer(running);
        for (int s = 0; s < k; s++)
        {
            double index = blocks[b * 2 * k + 2 * s + 1];
            if (index < 0) break;
            insert.Insert(target, 0, blocks[b * 2 * k + 2 * s], index + Count);
        }
    }

    private static double[] EmptyExtremes(int k, bool largest)
    {
        var pairs = new double[2 * k];
        for (int s = 0; s < k; s++) (pairs[2 * s], pairs[2 * s + 1]) = (largest ? double.NegativeInfinity : double.PositiveInfinity, -1.0);
        return pairs;
    }

    private static IReadOnlyList<(double Value, long Index)> Pairs(double[]? pairs)
    {
        var list = new List<(double, long)>();
        for (int s = 0; pairs is not null && s < pairs.Length / 2 && pairs[2 * s + 1] >= 0; s++) list.Add((pairs[2 * s], (long)pairs[2 * s + 1]));
        return list;
    }

    private static StatisticsRecord Offset(StatisticsRecord r, long offset)
    {
        if (r.MinIndex >= 0) r.MinIndex += offset;
        if (r.MaxIndex >= 0) r.MaxIndex += offset;
        if (r.FirstNonFinite >= 0) r.FirstNonFinite += offset;
        return r;
    }
}
