using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>
/// One batch of points for a backend: the point, direction and result arrays are the caller's whole
/// arrays, indexed by point; <see cref="Parameters"/> holds exactly the model's declared count, and
/// <see cref="Faults"/> the three cells where the kernels record the first model mistake (zeroed
/// by the backend, indices within the job's points).
/// </summary>
internal readonly record struct KernelJob(
    KernelPlan Plan, double[] Points, double[]? Directions, double[] Result, double[] Parameters,
    long FirstPoint, long PointCount, long[] Faults);

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
    /// The smallest supported width covering <paramref name="columns"/> seeds, at most 16 for first
    /// derivatives and 8 for second (a hyper-dual carries 2W + 2 doubles per number).
    /// </summary>
    public static int Choose(bool secondOrder, int columns)
    {
        int cap = secondOrder ? 8 : 16;
        foreach (int w in Supported) if (w >= columns || w == cap) return w;
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
