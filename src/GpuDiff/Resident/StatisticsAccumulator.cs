using GpuDiff.Backends;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Resident;

/// <summary>The bins of a histogram: <paramref name="Count"/> equal bins over [<paramref name="Lo"/>, <paramref name="Hi"/>).</summary>
public sealed record HistogramBins(double Lo, double Hi, int Count)
{
    /// <summary>The most bins a histogram takes.</summary>
    public const int MaxCount = 4096;

    internal void Check()
    {
        if (!double.IsFinite(Lo) || !double.IsFinite(Hi) || !(Hi > Lo))
            throw new ArgumentException($"A histogram needs a finite range with lo < hi, not [{Lo}, {Hi}).", "histogram");
        if (Count is < 1 or > MaxCount)
            throw new ArgumentOutOfRangeException("histogram", Count, $"A histogram takes 1 to {MaxCount} bins.");
    }
}

/// <summary>
/// Running statistics of values appended in order, from device arrays
/// (<see cref="Engine.DerivativeEngine.Accumulate"/>) or host memory (<see cref="Add"/>), with the
/// same bits either way and however the values are cut into appends: sum, mean, min and max with
/// their indices, a count below a threshold, non-finite count and indices, and on request the k
/// smallest and largest values with their indices and a histogram. The order of operations is
/// fixed by the values' indices alone: blocks of 16,384 values, chunk t of a block its values t,
/// t + 128, ... summed in that order from +0, each block summing its 128 chunks in order, the whole
/// summing its blocks in order; selections order by value, then by lowest index.
/// </summary>
public sealed class StatisticsAccumulator
{
    /// <summary>Values per block: every device append but the last holds a multiple of this.</summary>
    public const int BlockLength = FixedOrderStatistics.BlockLength;

    /// <summary>The most extremes kept each way.</summary>
    public const int MaxExtremes = 256;

    private StatisticsTally tally;
    private readonly double[] pending = new double[BlockLength];
    private int pendingCount;
    private bool closed;

    /// <summary>
    /// Statistics counting values strictly below <paramref name="threshold"/>, keeping up to
    /// <paramref name="maxNonFiniteIndices"/> indices of non-finite values, the
    /// <paramref name="extremes"/> smallest and largest finite values, and a histogram when
    /// <paramref name="histogram"/> is given.
    /// </summary>
    public StatisticsAccumulator(double threshold = double.NegativeInfinity, int maxNonFiniteIndices = 1000, int extremes = 0, HistogramBins? histogram = null)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("The threshold cannot be NaN.", nameof(threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(maxNonFiniteIndices);
        if (extremes is < 0 or > MaxExtremes) throw new ArgumentOutOfRangeException(nameof(extremes), extremes, $"Keep 0 to {MaxExtremes} extremes.");
        histogram?.Check();
        Threshold = threshold;
        MaxNonFiniteIndices = maxNonFiniteIndices;
        Extremes = extremes;
        Histogram = histogram;
        tally = new StatisticsTally(this);
    }

    /// <summary>The bound of the below-threshold count.</summary>
    public double Threshold { get; }

    /// <summary>How many non-finite indices are kept.</summary>
    public int MaxNonFiniteIndices { get; }

    /// <summary>How many smallest and largest values are kept.</summary>
    public int Extremes { get; }

    /// <summary>The histogram's bins, or null for none.</summary>
    public HistogramBins? Histogram { get; }

    /// <summary>Values appended so far.</summary>
    public long Count => tally.Count + pendingCount;

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
            if (pendingCount == BlockLength)
            {
                tally.Append(Reduce(new HostReduction(pending), pendingCount), pendingCount, FromPending);
                pendingCount = 0;
            }
        }
    }

    /// <summary>The statistics of everything appended so far.</summary>
    public SummaryStatistics Result
    {
        get
        {
            var t = tally.Clone();
            if (pendingCount > 0) t.Append(Reduce(new HostReduction(pending), pendingCount), pendingCount, FromPending);
            return t.Summary();
        }
    }

    internal void CheckAppend()
    {
        if (closed || pendingCount > 0)
            throw new InvalidOperationException($"Device appends continue a sequence only at a multiple of {BlockLength} values; {Count} have been appended.");
    }

    /// <summary>
    /// Appends the block records of <paramref name="length"/> values (after <see cref="CheckAppend"/>
    /// and a reduction that succeeded); <paramref name="fetch"/> copies values out, to find non-finite indices.
    /// </summary>
    internal void AppendBlocks(BlockRecords records, long length, Action<long, long, double[]> fetch)
    {
        tally.Append(records, length, fetch);
        closed = length % BlockLength != 0;
    }

    /// <summary>Every block record this accumulator needs for <paramref name="count"/> values, by a host or device runner of the same operations.</summary>
    internal BlockRecords Reduce<TRunner>(TRunner runner, long count) where TRunner : IReductionRunner
    {
        long blocks = (count + BlockLength - 1) / BlockLength, chunks = blocks * FixedOrderStatistics.ChunksPerBlock;
        var statistics = runner.Run(new ChunkStatistics { Count = count, Threshold = Threshold }, new BlockStatistics { Chunks = chunks }, chunks, blocks, FixedOrderStatistics.RecordLength);
        double[]? histogram = null, smallest = null, largest = null;
        if (Histogram is { } h)
        {
            int length = h.Count + 3;
            histogram = runner.Run(new ChunkHistogram { Count = count, Lo = h.Lo, Hi = h.Hi, Bins = h.Count }, new SumRecords { Count = chunks, Length = length }, chunks, blocks, length);
        }
        if (Extremes > 0)
        {
            smallest = runner.Run(new Extremes { Count = count, K = Extremes, Level = 1 }, new Extremes { Count = chunks, K = Extremes, Level = 2 }, chunks, blocks, 2 * Extremes);
            largest = runner.Run(new Extremes { Count = count, K = Extremes, Largest = 1, Level = 1 }, new Extremes { Count = chunks, K = Extremes, Largest = 1, Level = 2 }, chunks, blocks, 2 * Extremes);
        }
        return new BlockRecords(statistics, histogram, smallest, largest);
    }

    private void FromPending(long first, long length, double[] into) => Array.Copy(pending, first, into, 0, length);

    /// <summary>Runs a two-level reduction and returns its block records, [block][record].</summary>
    internal interface IReductionRunner
    {
        double[] Run<TChunk, TBlock>(TChunk chunk, TBlock block, long chunks, long blocks, int recordLength)
            where TChunk : struct, IDeviceOperation where TBlock : struct, IDeviceOperation;
    }

    /// <summary>The reductions on host memory, by the device operations' own code.</summary>
    private readonly struct HostReduction(double[] values) : IReductionRunner
    {
        public double[] Run<TChunk, TBlock>(TChunk chunk, TBlock block, long chunks, long blocks, int recordLength)
            where TChunk : struct, IDeviceOperation where TBlock : struct, IDeviceOperation
        {
            var chunkRecords = new double[chunks * recordLength];
            var blockRecords = new double[blocks * recordLength];
            var empty = new ArrayBuffer([]);
            for (long c = 0; c < chunks; c++) chunk.Run(c, new ArrayBuffer(values), new ArrayBuffer(chunkRecords), empty);
            for (long b = 0; b < blocks; b++) block.Run(b, new ArrayBuffer(chunkRecords), new ArrayBuffer(blockRecords), empty);
            return blockRecords;
        }
    }
}

/// <summary>The block records of one append: statistics, and where asked for, histogram counts and the smallest and largest values.</summary>
internal sealed record BlockRecords(double[] Statistics, double[]? Histogram, double[]? Smallest, double[]? Largest);
