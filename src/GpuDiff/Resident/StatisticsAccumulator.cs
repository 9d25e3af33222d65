using GpuDiff.Backends;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Resident;

/// <summary>
/// Running statistics of values appended in order, from device arrays
/// (<see cref="Engine.DerivativeEngine.Accumulate"/>) or host memory (<see cref="Add"/>), with the
/// same bits either way and however the values are cut into appends. The order of operations is
/// fixed by the values' indices alone: blocks of 16,384 values, chunk t of a block its values t,
/// t + 128, ... summed in that order from +0, each block summing its 128 chunks in order, the whole
/// summing its blocks in order.
/// </summary>
public sealed class StatisticsAccumulator
{
    /// <summary>Values per block: every device append but the last holds a multiple of this.</summary>
    public const int BlockLength = FixedOrderStatistics.BlockLength;

    private StatisticsRecord total = StatisticsRecord.Empty;
    private readonly List<long> nonFiniteIndices = [];
    private readonly double[] pending = new double[BlockLength];
    private int pendingCount;
    private long count;
    private bool closed;

    /// <summary>Statistics counting values strictly below <paramref name="threshold"/>, keeping up to <paramref name="maxNonFiniteIndices"/> indices of non-finite values.</summary>
    public StatisticsAccumulator(double threshold = double.NegativeInfinity, int maxNonFiniteIndices = 1000)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("The threshold cannot be NaN.", nameof(threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(maxNonFiniteIndices);
        Threshold = threshold;
        MaxNonFiniteIndices = maxNonFiniteIndices;
    }

    /// <summary>The bound of the below-threshold count.</summary>
    public double Threshold { get; }

    /// <summary>How many non-finite indices are kept.</summary>
    public int MaxNonFiniteIndices { get; }

    /// <summary>Values appended so far.</summary>
    public long Count => count + pendingCount;

    /// <summary>Appends values from host memory, in any pieces.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        if (closed) throw new InvalidOperationException("A device append that was not a whole number of blocks ended this sequence.");
        while (!values.IsEmpty)
        {
            int take = Math.Min(values.Length, BlockLength - pendingCount);
            values[..take].CopyTo(pending.AsSpan(pendingCount));
            pendingCount += take;
            values = values[take..];
            if (pendingCount == BlockLength) Flush();
        }
    }

    /// <summary>The statistics of everything appended so far.</summary>
    public SummaryStatistics Result
    {
        get
        {
            var t = total;
            if (pendingCount > 0) t.Merge(Offset(Reduce(pending, pendingCount, Threshold), count));
            var indices = new List<long>(nonFiniteIndices);
            for (int i = 0; i < pendingCount && indices.Count < MaxNonFiniteIndices; i++)
                if (!double.IsFinite(pending[i])) indices.Add(count + i);
            return new SummaryStatistics(Count, (long)t.Finite, t.Sum, t.Min, (long)t.MinIndex, t.Max, (long)t.MaxIndex,
                Threshold, (long)t.Below, (long)t.NonFinite, indices);
        }
    }

    internal void CheckAppend(long length)
    {
        if (closed || pendingCount > 0)
            throw new InvalidOperationException($"Device appends continue a sequence only at a multiple of {BlockLength} values; {Count} have been appended.");
        closed = length % BlockLength != 0;
    }

    /// <summary>Appends the block records of <paramref name="length"/> values; <paramref name="fetch"/> copies values out, to find non-finite indices.</summary>
    internal void AppendBlocks(double[] records, long length, Action<long, long, double[]> fetch)
    {
        double[]? values = null;
        for (long b = 0; b * FixedOrderStatistics.RecordLength < records.LongLength; b++)
        {
            var block = StatisticsRecord.Load(new ArrayBuffer(records), b * FixedOrderStatistics.RecordLength);
            if (block.NonFinite > 0 && nonFiniteIndices.Count < MaxNonFiniteIndices)
            {
                long first = b * BlockLength, size = Math.Min(BlockLength, length - first);
                values ??= new double[BlockLength];
                fetch(first, size, values);
                for (int i = 0; i < size && nonFiniteIndices.Count < MaxNonFiniteIndices; i++)
                    if (!double.IsFinite(values[i])) nonFiniteIndices.Add(count + first + i);
            }
            total.Merge(Offset(block, count));
        }
        count += length;
    }

    private void Flush()
    {
        total.Merge(Offset(Reduce(pending, pendingCount, Threshold), count));
        for (int i = 0; i < pendingCount && nonFiniteIndices.Count < MaxNonFiniteIndices; i++)
            if (!double.IsFinite(pending[i])) nonFiniteIndices.Add(count + i);
        count += pendingCount;
        pendingCount = 0;
    }

    /// <summary>One block's record, by the device operations' own code on a host buffer.</summary>
    private static StatisticsRecord Reduce(double[] values, int length, double threshold)
    {
        const long chunks = FixedOrderStatistics.ChunksPerBlock;
        var chunkRecords = new double[chunks * FixedOrderStatistics.RecordLength];
        var blockRecord = new double[FixedOrderStatistics.RecordLength];
        var chunk = new ChunkStatistics { Count = length, Threshold = threshold };
        var empty = new ArrayBuffer([]);
        for (long c = 0; c < chunks; c++) chunk.Run(c, new ArrayBuffer(values), new ArrayBuffer(chunkRecords), empty);
        new BlockStatistics { Chunks = chunks }.Run(0, new ArrayBuffer(chunkRecords), new ArrayBuffer(blockRecord), empty);
        return StatisticsRecord.Load(new ArrayBuffer(blockRecord), 0);
    }

    private static StatisticsRecord Offset(StatisticsRecord r, long offset)
    {
        if (r.MinIndex >= 0) r.MinIndex += offset;
        if (r.MaxIndex >= 0) r.MaxIndex += offset;
        if (r.FirstNonFinite >= 0) r.FirstNonFinite += offset;
        return r;
    }
}
