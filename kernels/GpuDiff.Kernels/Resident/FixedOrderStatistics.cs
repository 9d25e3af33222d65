using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Kernels.Resident;

/// <summary>
/// Statistics of a value per point in a fixed order of operations, so the same bits come back from
/// every backend and every way of cutting the values into batches. The values are cut into blocks
/// of <see cref="BlockLength"/>, counted from the first value of the whole sequence; chunk t of a
/// block holds its values t, t + 128, t + 256, ... (so the threads of a chunk level read
/// neighbouring values together), summed in that order from +0; a block sums its chunks' sums in
/// chunk order, and the whole sums its blocks in block order. Only finite values enter the sum,
/// the minimum and the maximum; the lowest index wins a tie, whatever the order of visits.
/// A record is <see cref="RecordLength"/> doubles: sum, finite count, min, index of min, max, index
/// of max, count below the threshold, non-finite count, index of the first non-finite value
/// (indices from the start of the values, -1 for none).
/// </summary>
public static class FixedOrderStatistics
{
    /// <summary>Values per chunk, the first level of the tree.</summary>
    public const int ChunkLength = 128;

    /// <summary>Chunks per block, the second level.</summary>
    public const int ChunksPerBlock = 128;

    /// <summary>Values per block: a batch of values that is to give the same bits as one long run starts at a multiple of this.</summary>
    public const int BlockLength = ChunkLength * ChunksPerBlock;

    /// <summary>Doubles per record.</summary>
    public const int RecordLength = 9;

#pragma warning disable CS1591 // the offsets named in the summary
    public const int Sum = 0, Finite = 1, Min = 2, MinIndex = 3, Max = 4, MaxIndex = 5, Below = 6, NonFinite = 7, FirstNonFinite = 8;
#pragma warning restore CS1591
}

/// <summary>
/// One node of the statistics tree (see <see cref="FixedOrderStatistics"/>), kept in registers
/// while a thread works and stored as <see cref="FixedOrderStatistics.RecordLength"/> doubles.
/// </summary>
public struct StatisticsRecord
{
#pragma warning disable CS1591 // as FixedOrderStatistics names them
    public double Sum, Finite, Min, MinIndex, Max, MaxIndex, Below, NonFinite, FirstNonFinite;
#pragma warning restore CS1591

    /// <summary>The record of nothing: sums 0, min +inf and max -inf with no index.</summary>
    public static StatisticsRecord Empty => new()
    {
        Min = double.PositiveInfinity, MinIndex = -1.0, Max = double.NegativeInfinity, MaxIndex = -1.0, FirstNonFinite = -1.0,
    };

    /// <summary>Adds value <paramref name="v"/> at <paramref name="index"/> (indices must come in increasing order).</summary>
    public void Add(double v, long index, double threshold)
    {
        if (v - v != 0.0)
        {
            if (NonFinite == 0.0) FirstNonFinite = index;
            NonFinite += 1.0;
            return;
        }
        Sum += v;
        Finite += 1.0;
        if (v < Min)
        {
            Min = v;
            MinIndex = index;
        }
        if (v > Max)
        {
            Max = v;
            MaxIndex = index;
        }
        if (v < threshold) Below += 1.0;
    }

    /// <summary>Adds the next record of the tree: its sum after this one's, its extremes by value, then by lowest index.</summary>
    public void Merge(StatisticsRecord next)
    {
        Sum += next.Sum;
        Finite += next.Finite;
        if (next.Min < Min || (next.Min == Min && next.MinIndex >= 0 && next.MinIndex < MinIndex))
        {
            Min = next.Min;
            MinIndex = next.MinIndex;
        }
        if (next.Max > Max || (next.Max == Max && next.MaxIndex >= 0 && next.MaxIndex < MaxIndex))
        {
            Max = next.Max;
            MaxIndex = next.MaxIndex;
        }
        Below += next.Below;
        if (next.FirstNonFinite >= 0 && (FirstNonFinite < 0 || next.FirstNonFinite < FirstNonFinite)) FirstNonFinite = next.FirstNonFinite;
        NonFinite += next.NonFinite;
    }

    /// <summary>The record stored at <paramref name="at"/>.</summary>
    public static StatisticsRecord Load<TBuf>(TBuf r, long at) where TBuf : struct, IBuffer => new()
    {
        Sum = r.Load(at + FixedOrderStatistics.Sum), Finite = r.Load(at + FixedOrderStatistics.Finite),
        Min = r.Load(at + FixedOrderStatistics.Min), MinIndex = r.Load(at + FixedOrderStatistics.MinIndex),
        Max = r.Load(at + FixedOrderStatistics.Max), MaxIndex = r.Load(at + FixedOrderStatistics.MaxIndex),
        Below = r.Load(at + FixedOrderStatistics.Below), NonFinite = r.Load(at + FixedOrderStatistics.NonFinite),
        FirstNonFinite = r.Load(at + FixedOrderStatistics.FirstNonFinite),
    };

    /// <summary>Stores the record at <paramref name="at"/>.</summary>
    public readonly void Store<TBuf>(TBuf r, long at) where TBuf : struct, IBuffer
    {
        r.Store(at + FixedOrderStatistics.Sum, Sum);
        r.Store(at + FixedOrderStatistics.Finite, Finite);
        r.Store(at + FixedOrderStatistics.Min, Min);
        r.Store(at + FixedOrderStatistics.MinIndex, MinIndex);
        r.Store(at + FixedOrderStatistics.Max, Max);
        r.Store(at + FixedOrderStatistics.MaxIndex, MaxIndex);
        r.Store(at + FixedOrderStatistics.Below, Below);
        r.Store(at + FixedOrderStatistics.NonFinite, NonFinite);
        r.Store(at + FixedOrderStatistics.FirstNonFinite, FirstNonFinite);
    }
}

/// <summary>
/// The first level: one thread per chunk (see <see cref="FixedOrderStatistics"/>) of the first
/// buffer's <see cref="Count"/> values writes its record into the second; thread c takes chunk
/// c mod 128 of block c / 128.
/// </summary>
public struct ChunkStatistics : IDeviceOperation
{
    /// <summary>How many values there are.</summary>
    public long Count;

    /// <summary>The bound of the below-threshold count (strictly below).</summary>
    public double Threshold;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        long block = index / FixedOrderStatistics.ChunksPerBlock, lane = index - block * FixedOrderStatistics.ChunksPerBlock;
        long start = block * FixedOrderStatistics.BlockLength + lane;
        var record = StatisticsRecord.Empty;
        for (int k = 0; k < FixedOrderStatistics.ChunkLength; k++)
        {
            long i = start + (long)k * FixedOrderStatistics.ChunksPerBlock;
            if (i >= Count) break;
            record.Add(first.Load(i), i, Threshold);
        }
        record.Store(second, index * FixedOrderStatistics.RecordLength);
    }
}

/// <summary>
/// The second level: one thread per block merges up to <see cref="FixedOrderStatistics.ChunksPerBlock"/>
/// chunk records of the first buffer (<see cref="Chunks"/> in all), in order, into its record in the second.
/// </summary>
public struct BlockStatistics : IDeviceOperation
{
    /// <summary>How many chunk records there are.</summary>
    public long Chunks;

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        long at = index * FixedOrderStatistics.RecordLength, start = index * FixedOrderStatistics.ChunksPerBlock;
        long end = start + FixedOrderStatistics.ChunksPerBlock < Chunks ? start + FixedOrderStatistics.ChunksPerBlock : Chunks;
        var record = StatisticsRecord.Empty;
        for (long c = start; c < end; c++) record.Merge(StatisticsRecord.Load(first, c * FixedOrderStatistics.RecordLength));
        record.Store(second, at);
    }
}
