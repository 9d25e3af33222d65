using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Kernels.Resident;

/// <summary>
/// A histogram over [<see cref="Lo"/>, <see cref="Hi"/>) in <see cref="Bins"/> equal bins, by the
/// chunks of <see cref="FixedOrderStatistics"/>: one thread per chunk of the first buffer's
/// <see cref="Count"/> values writes Bins + 3 counts into the second (the bins, then below Lo, at or
/// above Hi, non-finite). Counts are whole numbers, so their sums are exact in any order.
/// </summary>
public struct ChunkHistogram : IDeviceOperation
{
#pragma warning disable CS1591 // named in the summary
    public long Count;
    public double Lo, Hi;
    public int Bins;
#pragma warning restore CS1591

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        long at = index * (Bins + 3);
        for (int b = 0; b < Bins + 3; b++) second.Store(at + b, 0.0);
        long block = index / FixedOrderStatistics.ChunksPerBlock, lane = index - block * FixedOrderStatistics.ChunksPerBlock;
        long start = block * FixedOrderStatistics.BlockLength + lane;
        for (int k = 0; k < FixedOrderStatistics.ChunkLength; k++)
        {
            long i = start + (long)k * FixedOrderStatistics.ChunksPerBlock;
            if (i >= Count) break;
            long slot = at + Bin(first.Load(i));
            second.Store(slot, second.Load(slot) + 1.0);
        }
    }

    /// <summary>The slot of value v: its bin, or Bins (below), Bins + 1 (at or above), Bins + 2 (non-finite).</summary>
    public readonly int Bin(double v)
    {
        if (v - v != 0.0) return Bins + 2;
        if (v < Lo) return Bins;
        if (v >= Hi) return Bins + 1;
        int b = (int)((v - Lo) / (Hi - Lo) * Bins);
        return b < Bins ? b : Bins - 1; // rounding can carry a value just below Hi to Bins
    }
}

/// <summary>
/// The k smallest (or largest) finite values with their indices, by the chunks of
/// <see cref="FixedOrderStatistics"/>: a record is <see cref="K"/> pairs (value, index), best
/// first, ordered by value and then by lowest index, so the selection is one total order whatever
/// the visiting order; an empty pair has index -1. Level 1: one thread per chunk of the first
/// buffer's <see cref="Count"/> values. Level 2: one thread per block merges its 128 chunk records
/// of the first buffer (<see cref="Count"/> records in all). (Flags are ints: a kernel parameter
/// must be blittable, and bool is not.)
/// </summary>
public struct Extremes : IDeviceOperation
{
#pragma warning disable CS1591 // named in the summary
    public long Count;
    public int K;
    /// <summary>1 to keep the largest values, 0 the smallest.</summary>
    public int Largest;
    /// <summary>1 or 2, as the summary says.</summary>
    public int Level;
#pragma warning restore CS1591

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        long at = index * 2 * K;
        for (int s = 0; s < K; s++)
        {
            second.Store(at + 2 * s, Largest != 0 ? double.NegativeInfinity : double.PositiveInfinity);
            second.Store(at + 2 * s + 1, -1.0);
        }
        if (Level == 2)
        {
            long startRecord = index * FixedOrderStatistics.ChunksPerBlock;
            for (long c = startRecord; c < startRecord + FixedOrderStatistics.ChunksPerBlock && c < Count; c++)
                for (int s = 0; s < K; s++)
                {
                    double i = first.Load(c * 2 * K + 2 * s + 1);
                    if (i < 0) break;
                    Insert(second, at, first.Load(c * 2 * K + 2 * s), i);
                }
            return;
        }
        long block = index / FixedOrderStatistics.ChunksPerBlock, lane = index - block * FixedOrderStatistics.ChunksPerBlock;
        long start = block * FixedOrderStatistics.BlockLength + lane;
        for (int k = 0; k < FixedOrderStatistics.ChunkLength; k++)
        {
            long i = start + (long)k * FixedOrderStatistics.ChunksPerBlock;
            if (i >= Count) break;
            double v = first.Load(i);
            if (v - v == 0.0) Insert(second, at, v, i);
        }
    }

    /// <summary>Puts (v, i) into the record at <paramref name="at"/> if it beats the last pair kept.</summary>
    public readonly void Insert<TBuf>(TBuf r, long at, double v, double i) where TBuf : struct, IBuffer
    {
        int s = K - 1;
        if (!Beats(v, i, r.Load(at + 2 * s), r.Load(at + 2 * s + 1))) return;
        while (s > 0 && Beats(v, i, r.Load(at + 2 * (s - 1)), r.Load(at + 2 * (s - 1) + 1)))
        {
            r.Store(at + 2 * s, r.Load(at + 2 * (s - 1)));
            r.Store(at + 2 * s + 1, r.Load(at + 2 * (s - 1) + 1));
            s--;
        }
        r.Store(at + 2 * s, v);
        r.Store(at + 2 * s + 1, i);
    }

    private readonly bool Beats(double v, double i, double w, double j) =>
        j < 0 || (Largest != 0 ? v > w : v < w) || (v == w && i < j);
}

/// <summary>
/// One thread per block adds up to 128 consecutive records of <see cref="Length"/> doubles of the
/// first buffer (<see cref="Count"/> records in all), entry by entry in record order, into its
/// record in the second: the histogram's second level.
/// </summary>
public struct SumRecords : IDeviceOperation
{
#pragma warning disable CS1591 // named in the summary
    public long Count;
    public int Length;
#pragma warning restore CS1591

    /// <inheritdoc />
    public readonly void Run<TBuf>(long index, TBuf first, TBuf second, TBuf third) where TBuf : struct, IBuffer
    {
        long start = index * FixedOrderStatistics.ChunksPerBlock;
        for (int e = 0; e < Length; e++)
        {
            double sum = 0.0;
            for (long c = start; c < start + FixedOrderStatistics.ChunksPerBlock && c < Count; c++) sum += first.Load(c * Length + e);
            second.Store(index * Length + e, sum);
        }
    }
}
