namespace GpuDiff.Sparsity;

/// <summary>
/// The results of a sparse computation: one shared <see cref="Pattern"/> and, per point, a block
/// of <see cref="PointStride"/> doubles laid out as <see cref="SparseKind"/> says. Entries outside
/// the pattern are structural zeros: +0 in <see cref="ToDense"/>.
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
