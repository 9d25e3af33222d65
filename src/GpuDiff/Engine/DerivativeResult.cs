using GpuDiff.Backends;

namespace GpuDiff.Engine;

/// <summary>
/// The derivatives of one batch in one flat row-major buffer: per point a block of
/// <see cref="PointStride"/> doubles laid out as the kind says (see <see cref="DerivativeKind"/>).
/// </summary>
public sealed class DerivativeResult
{
    internal DerivativeResult(DerivativeKind kind, long points, int inputs, int outputs, double[] data)
    {
        Kind = kind;
        Points = points;
        Inputs = inputs;
        Outputs = outputs;
        Data = data;
        PointStride = (int)KernelPlan.DenseStride(kind, inputs, outputs);
        nonFinite = new Lazy<IReadOnlyList<long>>(FindNonFinitePoints);
    }

    private readonly Lazy<IReadOnlyList<long>> nonFinite;

    /// <summary>What was computed.</summary>
    public DerivativeKind Kind { get; }

    /// <summary>How many points.</summary>
    public long Points { get; }

    /// <summary>n, the model's inputs.</summary>
    public int Inputs { get; }

    /// <summary>m, the model's outputs.</summary>
    public int Outputs { get; }

    /// <summary>All results, point after point.</summary>
    public double[] Data { get; }

    /// <summary>Doubles per point.</summary>
    public int PointStride { get; }

    /// <summary>Result doubles per point for a kind and model shape: what a ComputeInto destination holds per point.</summary>
    public static long PointStrideOf(DerivativeKind kind, int inputs, int outputs) => KernelPlan.DenseStride(kind, inputs, outputs);

    /// <summary>
    /// Indices of the points whose results hold a NaN or an infinity (the model produced them), in
    /// increasing order. Found by a parallel scan on first use, so computing costs nothing for it.
    /// </summary>
    public IReadOnlyList<long> NonFinitePoints => nonFinite.Value;

    private List<long> FindNonFinitePoints() => NonFiniteScan.Points(Data, Points, PointStride);

    /// <summary>One point's block.</summary>
    public ReadOnlySpan<double> ForPoint(long point)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(point);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(point, Points);
        return Data.AsSpan((int)(point * PointStride), PointStride);
    }

    /// <summary>
    /// One point's result as a matrix: the m x n Jacobian, the n x n Hessian of <paramref name="output"/>,
    /// the m x n matrix of Hessian-vector products, or a single row for values, gradients and Jvps.
    /// </summary>
    public double[,] ToMatrix(long point, int output = 0)
    {
        var block = ForPoint(point);
        (int rows, int cols, int offset) = Kind switch
        {
            DerivativeKind.Jacobian or DerivativeKind.Hvp => (Outputs, Inputs, 0),
            DerivativeKind.Hessian => (Inputs, Inputs, CheckOutput(output) * Inputs * Inputs),
            _ => (1, PointStride, 0),
        };
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                m[r, c] = block[offset + r * cols + c];
        return m;
    }

    private int CheckOutput(int output)
    {
        if ((uint)output >= (uint)Outputs)
            throw new ArgumentOutOfRangeException(nameof(output), output, $"The model has {Outputs} outputs.");
        return output;
    }
}
