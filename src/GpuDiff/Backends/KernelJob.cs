using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>What is computed.</summary>
public enum DerivativeKind
{
    /// <summary>f(x): [point][output].</summary>
    Value,

    /// <summary>J(x): [point][output][input].</summary>
    Jacobian,

    /// <summary>The gradient of a scalar model: [point][input].</summary>
    Gradient,

    /// <summary>The Hessian of each output: [point][output][input][input].</summary>
    Hessian,

    /// <summary>J(x) v for a direction per point: [point][output].</summary>
    Jvp,

    /// <summary>H(x) v of each output for a direction per point: [point][output][input].</summary>
    Hvp,
}

/// <summary>
/// One batch of points for a backend: the point, direction and result arrays are the caller's whole
/// arrays, indexed by point; <see cref="Parameters"/> holds exactly the model's declared count, and
/// <see cref="Faults"/> the three cells where the kernels record the first model mistake (zeroed
/// by the backend, indices within the job's points).
/// </summary>
internal readonly record struct KernelJob(
    DerivativeKind Kind, int Width, double[] Points, double[]? Directions, double[] Result, double[] Parameters,
    long FirstPoint, long PointCount, long[] Faults)
{
    /// <summary>Threads per point for this kind and width.</summary>
    public static long TasksPerPoint(DerivativeKind kind, int n, int width) => kind switch
    {
        DerivativeKind.Value or DerivativeKind.Jvp => 1,
        DerivativeKind.Hessian => DerivativeKernels.HessianTasksPerPoint(n, width),
        _ => DerivativeKernels.ColumnChunks(n, width),
    };

    /// <summary>Result doubles per point.</summary>
    public static long ResultStride(DerivativeKind kind, int n, int m) => kind switch
    {
        DerivativeKind.Value or DerivativeKind.Jvp => m,
        DerivativeKind.Hessian => (long)m * n * n,
        _ => (long)m * n,
    };
}

/// <summary>Calls back with the chunk type for a width, so run-time widths reach generic code.</summary>
internal interface IWidthVisitor
{
    void Visit<P>() where P : struct, IPartials<P>;
}

internal static class ChunkWidths
{
    public static readonly int[] Supported = [1, 2, 4, 8, 16];

    public static void Dispatch<TVisitor>(int width, ref TVisitor visitor) where TVisitor : struct, IWidthVisitor
    {
        switch (width)
        {
            case 1: visitor.Visit<One>(); break;
            case 2: visitor.Visit<Pair<One>>(); break;
            case 4: visitor.Visit<Pair<Pair<One>>>(); break;
            case 8: visitor.Visit<Pair<Pair<Pair<One>>>>(); break;
            case 16: visitor.Visit<Pair<Pair<Pair<Pair<One>>>>>(); break;
            default: throw new ArgumentOutOfRangeException(nameof(width), width, "Chunk width must be 1, 2, 4, 8 or 16.");
        }
    }

    /// <summary>
    /// The automatic chunk width: the smallest supported width covering all n columns, at most 16
    /// for first derivatives and 8 for second (a hyper-dual carries 2W + 2 doubles per number).
    /// </summary>
    public static int Choose(DerivativeKind kind, int n)
    {
        int cap = kind is DerivativeKind.Hessian or DerivativeKind.Hvp ? 8 : 16;
        foreach (int w in Supported) if (w >= n || w == cap) return w;
        return cap;
    }
}

/// <summary>Cuts a task count into launches of at most int.MaxValue threads.</summary>
public static class LaunchPlan
{
    /// <summary>(first task, count) for each launch covering [0, tasks).</summary>
    public static IEnumerable<(long First, int Count)> Split(long tasks, int maxPerLaunch = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerLaunch, 1);
        for (long first = 0; first < tasks; first += maxPerLaunch)
            yield return (first, (int)Math.Min(maxPerLaunch, tasks - first));
    }
}
