namespace GpuDiff.Engine;

/// <summary>
/// f and its derivatives at each point from one pass of the derivative kernels (the values are the
/// primal parts the derivative evaluations compute anyway): what a Newton step needs, for the cost
/// of the derivatives alone. The kernels write one block a point, [m values][m x n first
/// derivatives][m x n x n Hessians where asked], which <see cref="Block"/> reads in place; the
/// separate results are split out on first use. Each part has the separate call's bits.
/// </summary>
public sealed class ValueAndDerivatives
{
    private readonly double[] blocks;
    private readonly Lazy<DerivativeResult> values, jacobian;
    private readonly Lazy<DerivativeResult>? hessian;

    internal ValueAndDerivatives(long points, int inputs, int outputs, bool hasHessian, double[] blocks)
    {
        Points = points;
        this.blocks = blocks;
        int m = outputs;
        long first = (long)m * inputs, second = hasHessian ? first * inputs : 0;
        BlockStride = (int)(m + first + second);
        values = new(() => Split(DerivativeKind.Value, inputs, outputs, 0, m));
        jacobian = new(() => Split(DerivativeKind.Jacobian, inputs, outputs, m, (int)first));
        hessian = hasHessian ? new(() => Split(DerivativeKind.Hessian, inputs, outputs, (int)(m + first), (int)second)) : null;
    }

    /// <summary>How many points.</summary>
    public long Points { get; }

    /// <summary>Doubles in each point's block.</summary>
    public int BlockStride { get; }

    /// <summary>One point's block, [m values][m x n][m x n x n where asked], without copying.</summary>
    public ReadOnlySpan<double> Block(long point)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(point);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(point, Points);
        return blocks.AsSpan((int)(point * BlockStride), BlockStride);
    }

    /// <summary>f: [point][output], as <see cref="DerivativeEngine.Value{TModel}"/> gives it.</summary>
    public DerivativeResult Values => values.Value;

    /// <summary>
    /// The Jacobian, [point][output][input] (for a one-output model, its gradient; with the Hessians,
    /// the gradient of every output): as <see cref="DerivativeEngine.Jacobian{TModel}"/> gives it.
    /// </summary>
    public DerivativeResult Jacobian => jacobian.Value;

    /// <summary>The Hessian of every output, [point][output][input][input], where it was asked for; otherwise null.</summary>
    public DerivativeResult? Hessian => hessian?.Value;

    private DerivativeResult Split(DerivativeKind kind, int inputs, int outputs, int offset, int length)
    {
        var data = GC.AllocateUninitializedArray<double>((int)(Points * length));
        const int Chunk = 8192; // points a worker copies at once: each point is a few dozen doubles
        Parallel.For(0, (Points + Chunk - 1) / Chunk, c =>
        {
            long end = Math.Min(Points, (c + 1) * Chunk);
            for (long p = c * Chunk; p < end; p++)
                blocks.AsSpan((int)(p * BlockStride + offset), length).CopyTo(data.AsSpan((int)(p * length), length));
        });
        return new DerivativeResult(kind, Points, inputs, outputs, data);
    }
}
