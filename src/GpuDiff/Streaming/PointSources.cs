namespace GpuDiff.Streaming;

/// <summary>Points from an array already in memory, row-major [point][input].</summary>
public sealed class ArrayPointSource : IPointSource
{
    private readonly double[] points;
    private readonly int inputs;
    private int position;

    /// <summary>Gives the points of <paramref name="points"/>, whose length must be a multiple of <paramref name="inputs"/>.</summary>
    public ArrayPointSource(double[] points, int inputs)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (points.Length % inputs != 0)
            throw new ArgumentException($"The array holds {points.Length} values, which is not a multiple of {inputs} inputs.", nameof(points));
        (this.points, this.inputs) = (points, inputs);
    }

    /// <inheritdoc />
    public long? Count => points.Length / inputs;

    /// <inheritdoc />
    public ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(values);
        int skipped = (int)Math.Min(values, points.Length - position);
        position += skipped;
        return ValueTask.FromResult((long)skipped);
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
    {
        int count = Math.Min(destination.Length, points.Length - position);
        points.AsMemory(position, count).CopyTo(destination);
        position += count;
        return ValueTask.FromResult(count);
    }
}

/// <summary>
/// count points with every coordinate uniform in [lo, hi), generated on demand (bounded memory for
/// any count): coordinate i is lo + (hi - lo) u_i with u_i = (SplitMix64(seed + (i + 1) * golden) >> 11) 2^-53.
/// </summary>
public sealed class RandomPointSource : IPointSource
{
    private readonly long totalValues;
    private readonly int inputs;
    private readonly ulong seed;
    private readonly double[] lo, hi;
    private long position;

    /// <summary>Creates the source; the same arguments always give the same points.</summary>
    public RandomPointSource(long count, int inputs, ulong seed, double lo = -1, double hi = 1)
        : this(count, seed, Enumerable.Repeat(lo, Math.Max(inputs, 1)).ToArray(), Enumerable.Repeat(hi, Math.Max(inputs, 1)).ToArray())
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (!(hi > lo)) throw new ArgumentException($"The range [{lo}, {hi}) is empty.", nameof(hi));
    }

    /// <summary>
    /// A box: coordinate i uniform in [lo[i], hi[i]) (lo[i] itself where the two are equal, an input
    /// held fixed), from the same stream as the single-range form.
    /// </summary>
    public RandomPointSource(long count, ulong seed, double[] lo, double[] hi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckBox(lo, hi);
        inputs = lo.Length;
        totalValues = checked(count * inputs);
        (this.seed, this.lo, this.hi) = (seed, (double[])lo.Clone(), (double[])hi.Clone());
    }

    /// <inheritdoc />
    public long? Count => totalValues / inputs;

    /// <summary>Checks a box: one finite, non-empty range [lo[i], hi[i]) per input.</summary>
    internal static void CheckBox(double[] lo, double[] hi)
    {
        ArgumentNullException.ThrowIfNull(lo);
        ArgumentNullException.ThrowIfNull(hi);
        if (lo.Length == 0 || lo.Length != hi.Length) throw new ArgumentException($"The box needs one range per input; lo has {lo.Length} values and hi {hi.Length}.", nameof(hi));
        for (int i = 0; i < lo.Length; i++)
        {
            if (!double.IsFinite(lo[i]) || !double.IsFinite(hi[i])) throw new ArgumentException($"The range [{lo[i]}, {hi[i]}) of input {i} must be finite.", nameof(hi));
            if (hi[i] < lo[i]) throw new ArgumentException($"The range [{lo[i]}, {hi[i]}) of input {i} is empty.", nameof(hi));
        }
    }

    /// <summary>Value number <paramref name="index"/> of the stream.</summary>
    public static double Uniform(ulong seed, long index, double lo = -1, double hi = 1) => Kernels.Resident.CounterRandom.Uniform(seed, index, lo, hi);

    /// <inheritdoc />
    public ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(values);
        long skipped = Math.Min(values, totalValues - position); // the stream is counter-based: jump
        position += skipped;
        return ValueTask.FromResult(skipped);
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
    {
        int count = (int)Math.Min(destination.Length, totalValues - position);
        long start = position;
        var target = destination[..count];
        const int block = 1 << 16;
        Parallel.For(0, (count + block - 1) / block, b =>
        {
            var span = target.Span;
            int end = Math.Min(count, (b + 1) * block);
            for (int i = b * block; i < end; i++)
            {
                int input = (int)((start + i) % inputs);
                span[i] = Uniform(seed, start + i, lo[input], hi[input]);
            }
        });
        position += count;
        return ValueTask.FromResult(count);
    }
}

/// <summary>Points from a file of raw little-endian doubles, row-major [point][input].</summary>
public sealed class BinaryFilePointSource(string path) : IPointSource, IDisposable
{
    private readonly FileStream stream = new(path ?? throw new ArgumentNullException(nameof(path)), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);

    /// <inheritdoc />
    public long? Count => null;

    /// <inheritdoc />
    public ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(values);
        long skipped = Math.Min(values, (stream.Length - stream.Position) / 8);
        stream.Seek(8 * skipped, SeekOrigin.Current);
        return ValueTask.FromResult(skipped);
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination.Span);
        int read = 0;
        while (read < bytes.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int got = stream.Read(bytes[read..]);
            if (got == 0) break;
            read += got;
        }
        if (read % 8 != 0)
            throw new InvalidDataException($"{path} ends inside a double: its length is not a multiple of 8 bytes.");
        return ValueTask.FromResult(read / 8);
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
