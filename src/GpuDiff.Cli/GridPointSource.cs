using GpuDiff.Streaming;

namespace GpuDiff.Cli;

/// <summary>A Cartesian grid computed point by point from its index, so a sweep over it needs no memory for the points and skips in O(1).</summary>
internal sealed class GridPointSource(double[][] axes, long count) : IPointSource
{
    private long next;

    public long? Count => count;

    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
    {
        int n = axes.Length;
        int points = (int)Math.Min(destination.Length / n, count - next);
        var span = destination.Span;
        for (int p = 0; p < points; p++) PointsSpecification.GridPoint(axes, next + p, span.Slice(p * n, n));
        next += points;
        return ValueTask.FromResult(points * n);
    }

    public ValueTask<long> SkipAsync(long values, CancellationToken cancellationToken)
    {
        long points = Math.Min(values / axes.Length, count - next);
        next += points;
        return ValueTask.FromResult(points * axes.Length);
    }
}
