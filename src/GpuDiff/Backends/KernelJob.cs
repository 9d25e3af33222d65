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
    /// <summary>
    /// Every width a backend runs. Widths other than powers of two join two chunks (6 = 4 + 2);
    /// ILGPU 1.5.3 compiled those only once <see cref="Join{A, B}"/> had a shape of its own.
    /// </summary>
    public static readonly int[] Supported = [.. Enumerable.Range(1, 16)];

    /// <summary>
    /// Calls <paramref name="visitor"/> with the chunk type of <paramref name="width"/>. With
    /// <paramref name="vectorLanes"/> (the host backend on a CPU with 256-bit vectors) every four
    /// partials are one <see cref="Lanes4"/>, the same bits as four scalars.
    /// </summary>
    public static void Dispatch<TVisitor>(int width, ref TVisitor visitor, bool vectorLanes = false) where TVisitor : struct, IWidthVisitor
    {
        if (vectorLanes && width >= 4) DispatchLanes(width, ref visitor);
        else DispatchScalar(width, ref visitor);
    }

    private static void DispatchScalar<TVisitor>(int width, ref TVisitor visitor) where TVisitor : struct, IWidthVisitor
    {
        // Powers of two by doubling; the widths between them join smaller chunks (6 = 4 + 2).
        switch (width)
        {
            case 1: visitor.Visit<One>(); break;
            case 2: visitor.Visit<Pair<One>>(); break;
            case 3: visitor.Visit<Join<Pair<One>, One>>(); break;
            case 4: visitor.Visit<Pair<Pair<One>>>(); break;
            case 5: visitor.Visit<Join<Pair<Pair<One>>, One>>(); break;
            case 6: visitor.Visit<Join<Pair<Pair<One>>, Pair<One>>>(); break;
            case 7: visitor.Visit<Join<Pair<Pair<One>>, Join<Pair<One>, One>>>(); break;
            case 8: visitor.Visit<Pair<Pair<Pair<One>>>>(); break;
            case 9: visitor.Visit<Join<Pair<Pair<Pair<One>>>, One>>(); break;
            case 10: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Pair<One>>>(); break;
            case 11: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Join<Pair<One>, One>>>(); break;
            case 12: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Pair<Pair<One>>>>(); break;
            case 13: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Join<Pair<Pair<One>>, One>>>(); break;
            case 14: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Join<Pair<Pair<One>>, Pair<One>>>>(); break;
            case 15: visitor.Visit<Join<Pair<Pair<Pair<One>>>, Join<Pair<Pair<One>>, Join<Pair<One>, One>>>>(); break;
            case 16: visitor.Visit<Pair<Pair<Pair<Pair<One>>>>>(); break;
            default: throw new ArgumentOutOfRangeException(nameof(width), width, "Chunk width must be 1 to 16.");
        }
    }

    private static void DispatchLanes<TVisitor>(int width, ref TVisitor visitor) where TVisitor : struct, IWidthVisitor
    {
        switch (width)
        {
            case 4: visitor.Visit<Lanes4>(); break;
            case 5: visitor.Visit<Join<Lanes4, One>>(); break;
            case 6: visitor.Visit<Join<Lanes4, Pair<One>>>(); break;
            case 7: visitor.Visit<Join<Lanes4, Join<Pair<One>, One>>>(); break;
            case 8: visitor.Visit<Pair<Lanes4>>(); break;
            case 9: visitor.Visit<Join<Pair<Lanes4>, One>>(); break;
            case 10: visitor.Visit<Join<Pair<Lanes4>, Pair<One>>>(); break;
            case 11: visitor.Visit<Join<Pair<Lanes4>, Join<Pair<One>, One>>>(); break;
            case 12: visitor.Visit<Join<Pair<Lanes4>, Lanes4>>(); break;
            case 13: visitor.Visit<Join<Pair<Lanes4>, Join<Lanes4, One>>>(); break;
            case 14: visitor.Visit<Join<Pair<Lanes4>, Join<Lanes4, Pair<One>>>>(); break;
            case 15: visitor.Visit<Join<Pair<Lanes4>, Join<Lanes4, Join<Pair<One>, One>>>>(); break;
            case 16: visitor.Visit<Pair<Pair<Lanes4>>>(); break;
            default: throw new ArgumentOutOfRangeException(nameof(width), width, "Chunk width must be 1 to 16.");
        }
    }

    /// <summary>
    /// <see cref="Choose"/> for a backend: any width and, where the CPU has them, vector lanes on
    /// the host (<paramref name="host"/>); any width for first-order kernels where
    /// <paramref name="exactFirstOrder"/> (an OpenCL CPU device); powers of two elsewhere (GPUs,
    /// where exact widths are not yet measured faster).
    /// </summary>
    public static int ChooseFor(bool secondOrder, int columns, bool host, bool exactFirstOrder = false) =>
        Choose(secondOrder, columns, host || (exactFirstOrder && !secondOrder), host && HostBackend.VectorLanes);

    /// <summary>
    /// The width for <paramref name="columns"/> seeds: as few chunks as the cap allows (16 for first
    /// derivatives, 8 for second: a hyper-dual carries 2W + 2 doubles per number), then the
    /// narrowest width that covers the columns in that many chunks: with <paramref name="anyWidth"/>
    /// (the host) exactly, so no chunk computes columns that are not there (n = 6: one chunk of 6,
    /// n = 17: two of 9); otherwise the next power of two (n = 6: 8). With
    /// <paramref name="vectorLanes"/> (the host backend's <see cref="Lanes4"/>) a width over 4 is
    /// rounded up to whole vectors of four (n = 6: 8, n = 17: two of 12).
    /// </summary>
    public static int Choose(bool secondOrder, int columns, bool anyWidth = false, bool vectorLanes = false)
    {
        int cap = secondOrder ? 8 : 16;
        if (columns <= 1) return 1;
        int chunks = (columns + cap - 1) / cap;
        int width = (columns + chunks - 1) / chunks;
        // With vector lanes, whole vectors beat exact widths: measured on W3 (n = 6), width 8 ran
        // 1.2-1.4x width 6, Brown n = 10 and 11 at width 12 ran 2-3.5x widths 10 and 11.
        if (anyWidth && vectorLanes && width > 4) return (width + 3) / 4 * 4;
        if (anyWidth) return width;
        int power = 1;
        while (power < width) power *= 2;
        return power;
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
