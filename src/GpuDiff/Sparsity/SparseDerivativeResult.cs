namespace GpuDiff.Sparsity;

/// <summary>
/// The results of a sparse computation: one shared <see cref="Pattern"/> and, per point, a block
/// of <see cref="PointStride"/> doubles laid out as <see cref="SparseKind"/> says. Entries outside
/// the pattern are structural zeros: +0 in <see cref="ToDense(long, int)"/>.
/// </summary>
public sealed class SparseDerivativeResult
{
    internal SparseDerivativeResult(SparseKind kind, long points, int inputs, int outputs, SparsityPattern pattern, double[] data, int stride)
    {
        Kind = kind;
        Points = points;
        Inputs = inputs;
        Outputs = outputs;
        Pattern = pattern;
        Data = data;
        PointStride = stride;
    }

    /// <summary>What was computed.</summary>
    public SparseKind Kind { get; }

    /// <summary>How many points.</summary>
    public long Points { get; }

    /// <summary>n, the model's inputs.</summary>
    public int Inputs { get; }

    /// <summary>m, the model's outputs (the elements, for an element sum).</summary>
    public int Outputs { get; }

    /// <summary>The Jacobian's pattern, or the Hessians' (every output's, or the sum's).</summary>
    public SparsityPattern Pattern { get; }

    /// <summary>All results, point after point.</summary>
    public double[] Data { get; }

    /// <summary>Doubles per point.</summary>
    public int PointStride { get; }

    /// <summary>One point's block.</summary>
    public ReadOnlySpan<double> ForPoint(long point)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(point);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(point, Points);
        return Data.AsSpan((int)(point * PointStride), PointStride);
    }

    /// <summary>The pattern's entries at one point: the Jacobian's, output <paramref name="output"/>'s Hessian, or the sum's Hessian.</summary>
    public ReadOnlySpan<double> Entries(long point, int output = 0)
    {
        var block = ForPoint(point);
        int nnz = Pattern.Nonzeros;
        return Kind switch
        {
            SparseKind.Jacobian => block,
            SparseKind.Hessian => block.Slice(CheckOutput(output) * nnz, nnz),
            _ => block.Slice(1 + Inputs, nnz),
        };
    }

    /// <summary>The sum of the elements at a point (<see cref="SparseKind.ElementSum"/> only).</summary>
    public double Sum(long point) => ElementSumOnly(point)[0];

    /// <summary>The gradient of the sum at a point (<see cref="SparseKind.ElementSum"/> only).</summary>
    public ReadOnlySpan<double> Gradient(long point) => ElementSumOnly(point).Slice(1, Inputs);

    /// <summary>The matrix at a point with its structural zeros filled in as +0.</summary>
    public double[,] ToDense(long point, int output = 0)
    {
        var entries = Entries(point, output);
        var dense = new double[Pattern.Rows, Pattern.Columns];
        for (int r = 0; r < Pattern.Rows; r++)
            for (int e = Pattern.RowStarts[r]; e < Pattern.RowStarts[r + 1]; e++)
                dense[r, Pattern.ColumnIndices[e]] = entries[e];
        return dense;
    }

    /// <summary>
    /// Every point's matrices in the dense layout, structural zeros as +0: a Jacobian result as
    /// [point][output][input], a Hessian result as [point][output][input][input], the same bits the
    /// dense kernels give (see the README for the one caveat on Hessians). Not for element sums,
    /// which have no dense kind (their <see cref="ToDense(long, int)"/> gives the sum's Hessian).
    /// </summary>
    public Engine.DerivativeResult ToDense()
    {
        var kind = Kind switch
        {
            SparseKind.Jacobian => Engine.DerivativeKind.Jacobian,
            SparseKind.Hessian => Engine.DerivativeKind.Hessian,
            _ => throw new InvalidOperationException("An element sum has no dense kind; use ToDense(point) for the sum's Hessian."),
        };
        int n = Inputs, blocks = Kind == SparseKind.Jacobian ? 1 : Outputs, size = Pattern.Rows * Pattern.Columns;
        var dense = new double[Points * blocks * size];
        Parallel.For(0L, Points, p =>
        {
            var block = ForPoint(p);
            for (int b = 0; b < blocks; b++)
            {
                var entries = block.Slice(b * Pattern.Nonzeros, Pattern.Nonzeros);
                long at = (p * blocks + b) * size;
                for (int r = 0; r < Pattern.Rows; r++)
                    for (int e = Pattern.RowStarts[r]; e < Pattern.RowStarts[r + 1]; e++)
                        dense[at + (long)r * Pattern.Columns + Pattern.ColumnIndices[e]] = entries[e];
            }
        });
        return new Engine.DerivativeResult(kind, Points, n, Outputs, dense);
    }

    private ReadOnlySpan<double> ElementSumOnly(long point) => Kind == SparseKind.ElementSum
        ? ForPoint(point)
        : throw new InvalidOperationException($"A sum and its gradient come with {SparseKind.ElementSum} results; these are {Kind}.");

    private int CheckOutput(int output)
    {
        if ((uint)output >= (uint)Outputs)
            throw new ArgumentOutOfRangeException(nameof(output), output, $"The model has {Outputs} outputs.");
        return output;
    }
}
