using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>Called back with a plan's kernel kind and chunk type, so run-time choices reach generic code.</summary>
internal interface IKernelVisitor
{
    void Visit<TKind, P>() where TKind : struct, IKernelKind where P : struct, IPartials<P>;
}

/// <summary>
/// How one kind is computed for one model shape: threads per point, result doubles per point,
/// the chunk width, whether directions come with the points, the table the kernels read (a
/// sparsity pattern and its colours; empty for the dense kinds) and which kernel kind runs.
/// Built once per (model shape, kind, width, pattern) and reused by every batch; the backends know
/// nothing of kinds beyond this.
/// </summary>
internal abstract class KernelPlan(int inputs, int outputs, int width, long tasksPerPoint, long resultStride, int directionLength, double[] table)
{
    public int Inputs { get; } = inputs;

    public int Outputs { get; } = outputs;

    /// <summary>Partials per thread: 1 to 16.</summary>
    public int Width { get; } = width;

    public long TasksPerPoint { get; } = tasksPerPoint;

    public long ResultStride { get; } = resultStride;

    /// <summary>Direction values per point (n for Jvp and Hvp, m for Vjp's cotangents), 0 for kinds without.</summary>
    public int DirectionLength { get; } = directionLength;

    public bool TakesDirections => DirectionLength > 0;

    /// <summary>The kind's read-only table (integers stored as doubles, exact below 2^53).</summary>
    public double[] Table { get; } = table;

    /// <summary>A name for cache keys and messages.</summary>
    public abstract Type KernelKind { get; }

    /// <summary>Whether the kernel computes second derivatives (a hyper-dual a number): Hessians by rows, blocks or triangles, Hvp, element sums, compressed Hessians.</summary>
    public bool SecondOrder => IsSecondOrderKind(KernelKind);

    /// <summary>Whether a kernel kind, constructed or its generic definition, computes second derivatives (<see cref="SecondOrder"/>).</summary>
    public static bool IsSecondOrderKind(Type kind) =>
        Array.IndexOf(SecondOrderKinds, kind.IsGenericType ? kind.GetGenericTypeDefinition() : kind) >= 0;

    private static readonly Type[] SecondOrderKinds =
    [
        typeof(HessianKind), typeof(HvpKind), typeof(ValueGradientHessianKind), typeof(ElementSumKind), typeof(CompressedHessianKind),
        typeof(HessianBlockKind<,>), typeof(HessianTriangleKind<,>), typeof(ValueGradientHessianTriangleKind<,>),
    ];

    /// <summary>Whether the kind's tasks store every result of their block and load none (<see cref="IStoresOwnBlock"/>).</summary>
    public bool StoresOwnBlock => typeof(IStoresOwnBlock).IsAssignableFrom(KernelKind);

    public abstract void Visit<TVisitor>(ref TVisitor visitor, bool vectorLanes = false) where TVisitor : struct, IKernelVisitor;

    /// <summary>
    /// The same plan with chunks of <paramref name="width"/>: the same results (the kinds give the
    /// same bits at every width), another count of tasks a point.
    /// </summary>
    public abstract KernelPlan WithWidth(int width);

    /// <summary>The narrowest width <see cref="NarrowedToFill"/> goes to: W4 on an H100 ran fastest at 4 of 4, 8 and 16.</summary>
    public const int NarrowestFillWidth = 4;

    /// <summary>
    /// This plan with its chunks halved (down to <see cref="NarrowestFillWidth"/>) while a call of
    /// <paramref name="points"/> points would run fewer than <paramref name="fillTasks"/> threads;
    /// the same bits at every width. Only the dense kinds (no table): a sparse kind's table is
    /// built for its width.
    /// </summary>
    public KernelPlan NarrowedToFill(long points, long fillTasks)
    {
        var plan = this;
        while (Table.Length == 0 && plan.Width > NarrowestFillWidth && points * plan.TasksPerPoint < fillTasks)
        {
            var narrower = plan.WithWidth(Math.Max(NarrowestFillWidth, plan.Width / 2));
            if (narrower.TasksPerPoint == plan.TasksPerPoint) break; // the columns fit either way: nothing to gain
            plan = narrower;
        }
        return plan;
    }

    /// <summary>The plan of a dense kind: the one place that maps the public kinds to kernels.</summary>
    public static KernelPlan Dense(DerivativeKind kind, int n, int m, int width, bool hessianBlocks = false) => kind switch
    {
        DerivativeKind.Value => new KernelPlan<ValueKind>(n, m, 1, _ => 1, m, 0, []),
        DerivativeKind.Jacobian or DerivativeKind.Gradient => new KernelPlan<JacobianKind>(n, m, width, w => DerivativeKernels.ColumnChunks(n, w), (long)m * n, 0, []),
        DerivativeKind.Jvp => new KernelPlan<JvpKind>(n, m, 1, _ => 1, m, n, []),
        DerivativeKind.Hessian => hessianBlocks ? HessianTrianglePlan.For(n, m, width)
            : new KernelPlan<HessianKind>(n, m, width, w => DerivativeKernels.HessianTasksPerPoint(n, w), (long)m * n * n, 0, []),
        DerivativeKind.Hvp => new KernelPlan<HvpKind>(n, m, width, w => DerivativeKernels.ColumnChunks(n, w), (long)m * n, n, []),
        DerivativeKind.Vjp => new KernelPlan<VjpKind>(n, m, width, w => DerivativeKernels.ColumnChunks(n, w), n, m, []),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a derivative kind."),
    };

    private static readonly string? HessianSetting = Environment.GetEnvironmentVariable("GPUDIFF_HESSIAN");

    /// <summary>Whether GPUDIFF_HESSIAN chooses rows or blocks for every call.</summary>
    public static bool HessianSettingGiven => HessianSetting is "rows" or "blocks";

    /// <summary>
    /// The width of the blocks dense Hessians run by (<see cref="HessianBlockPlan"/>), or 0 for
    /// rows, where each was measured faster (perf/RESULTS.md): on CUDA blocks of 2 up to 8 inputs
    /// (W2 n = 8 on three H100s: 1.11-1.13x the rows at their width of 8) and of 4 above (n = 64:
    /// 1.25-1.31x); on an OpenCL CPU device (<paramref name="cpuDevice"/>, PoCL) one block of 8 up to
    /// 8 inputs, which runs as its upper triangle (<see cref="HessianTrianglePlan"/>; W2 n = 8
    /// 1.13-1.18x blocks of 4, resident 1.28-1.30x), and blocks of 4 above (W2 n = 8 1.16x the rows,
    /// resident 1.56x; n = 64 1.36x); rows elsewhere (the host: blocks of 8 at half the rows' speed
    /// and the triangle of 8 at a third, the JIT keeps their 57 to 81 doubles a number in memory;
    /// OpenCL GPUs and ILGPU's CPU accelerator: not measured). The same bits either way. <c>GPUDIFF_HESSIAN=rows</c> or
    /// <c>blocks</c> overrides, to compare (blocks then at the call's width, at most
    /// <see cref="WidestDeviceBlock"/> on ILGPU's backends).
    /// </summary>
    public static int HessianBlockWidth(BackendKind backend, int n, bool cpuDevice = false) => HessianSetting switch
    {
        "rows" => 0,
        "blocks" => AskedBlockWidth(backend),
        _ => backend switch
        {
            BackendKind.Cuda => n <= 8 ? 2 : WidestDeviceBlock,
            BackendKind.OpenCL when cpuDevice => n <= 8 ? 8 : WidestDeviceBlock,
            _ => 0,
        },
    };

    /// <summary>The widest blocks when blocks are asked for: the call's width on the host, at most <see cref="WidestDeviceBlock"/> elsewhere.</summary>
    public static int AskedBlockWidth(BackendKind backend) => backend == BackendKind.Host ? int.MaxValue : WidestDeviceBlock;

    /// <summary>The widest Hessian block ILGPU's backends run by default (<see cref="HessianBlockPlan"/>).</summary>
    public const int WidestDeviceBlock = 4;

    /// <summary>f and J in one pass: [m values][m x n Jacobian] a point, the Jacobian's tasks.</summary>
    public static KernelPlan ValueJacobian(int n, int m, int width) =>
        new KernelPlan<ValueJacobianKind>(n, m, width, w => DerivativeKernels.ColumnChunks(n, w), m + (long)m * n, 0, []);

    /// <summary>f, gradients and Hessians in one pass: [m values][m x n][m x n x n] a point, the Hessian's tasks.</summary>
    public static KernelPlan ValueGradientHessian(int n, int m, int width) =>
        new KernelPlan<ValueGradientHessianKind>(n, m, width, w => DerivativeKernels.HessianTasksPerPoint(n, w), m + (long)m * n + (long)m * n * n, 0, []);

    /// <summary>Result doubles per point of a dense kind.</summary>
    public static long DenseStride(DerivativeKind kind, int n, int m) => kind switch
    {
        DerivativeKind.Value or DerivativeKind.Jvp => m,
        DerivativeKind.Vjp => n,
        DerivativeKind.Hessian => (long)m * n * n,
        _ => (long)m * n,
    };

    /// <summary>Whether a dense kind takes a direction per point.</summary>
    public static bool TakesDirectionsFor(DerivativeKind kind) => kind is DerivativeKind.Jvp or DerivativeKind.Hvp or DerivativeKind.Vjp;

    /// <summary>Direction values per point: one per output for a cotangent (Vjp), one per input otherwise.</summary>
    public static int DirectionsPerPoint(DerivativeKind kind, int n, int m) => kind == DerivativeKind.Vjp ? m : n;

    /// <summary>Whether a dense kind carries second derivatives (hyper-duals of 2W + 2 doubles, so a smaller width cap).</summary>
    public static bool IsSecondOrder(DerivativeKind kind) => kind is DerivativeKind.Hessian or DerivativeKind.Hvp;
}

/// <summary>A plan of one kernel kind; <paramref name="tasksPerPoint"/> gives the kind's tasks a point at a width.</summary>
internal sealed class KernelPlan<TKind>(int inputs, int outputs, int width, Func<int, long> tasksPerPoint, long resultStride, int directionLength, double[] table)
    : KernelPlan(inputs, outputs, width, tasksPerPoint(width), resultStride, directionLength, table) where TKind : struct, IKernelKind
{
    public override Type KernelKind => typeof(TKind);

    public override KernelPlan WithWidth(int width) =>
        width == Width ? this : new KernelPlan<TKind>(Inputs, Outputs, width, tasksPerPoint, ResultStride, DirectionLength, Table);

    public override void Visit<TVisitor>(ref TVisitor visitor, bool vectorLanes = false)
    {
        var adapter = new WidthAdapter<TVisitor> { Inner = visitor };
        ChunkWidths.Dispatch(Width, ref adapter, vectorLanes);
        visitor = adapter.Inner;
    }

    private struct WidthAdapter<TVisitor> : IWidthVisitor where TVisitor : struct, IKernelVisitor
    {
        public TVisitor Inner;

        public void Visit<P>() where P : struct, IPartials<P> => Inner.Visit<TKind, P>();
    }
}
