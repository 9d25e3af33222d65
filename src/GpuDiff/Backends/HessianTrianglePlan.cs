using System.Reflection;
using System.Runtime.ExceptionServices;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Backends;

/// <summary>
/// The dense Hessian by blocks when one block covers every input: the upper triangle of that block
/// (<see cref="HessianTriangleKind{Q, T}"/>), one evaluation a point with about half the block's
/// mixed products; with the values and gradients too (<paramref name="withValues"/>:
/// <see cref="ValueGradientHessianTriangleKind{Q, T}"/>, the layout of
/// <see cref="KernelPlan.ValueGradientHessian"/>). The same bits. Chunks are scalar at every width
/// (no vector lanes: a triangle's rows shrink along the diagonal, which four-lane vectors do not).
/// </summary>
internal sealed class HessianTrianglePlan(int inputs, int outputs, int width, bool withValues = false)
    : KernelPlan(inputs, outputs, width, 1, (withValues ? outputs + (long)outputs * inputs : 0) + (long)outputs * inputs * inputs, 0, [])
{
    public override Type KernelKind => withValues ? typeof(ValueGradientHessianTriangleKind<,>) : typeof(HessianTriangleKind<,>);

    /// <summary>
    /// Hessians by blocks of <paramref name="width"/>: one triangle a point where a chunk covers every
    /// input, square blocks otherwise (and for width 1, whose triangle would be three doubles a
    /// number, the flattened shape of a dual of 2, which ILGPU 1.5.3 confuses with it; see RowOne).
    /// </summary>
    public static KernelPlan For(int inputs, int outputs, int width) =>
        Fits(inputs, width) ? new HessianTrianglePlan(inputs, outputs, width) : new HessianBlockPlan(inputs, outputs, width);

    /// <summary>f, gradients and Hessians in one pass: one triangle a point where it fits, rows otherwise (<see cref="KernelPlan.ValueGradientHessian"/>).</summary>
    public static KernelPlan WithValues(int inputs, int outputs, int width) =>
        Fits(inputs, width) ? new HessianTrianglePlan(inputs, outputs, width, withValues: true) : ValueGradientHessian(inputs, outputs, width);

    private static bool Fits(int inputs, int width) => inputs <= width && width >= 2;

    public override KernelPlan WithWidth(int width) =>
        width == Width ? this : withValues ? WithValues(Inputs, Outputs, width) : For(Inputs, Outputs, width);

    public override void Visit<TVisitor>(ref TVisitor visitor, bool vectorLanes = false)
    {
        // The kind's type is built, not spelled: a triangle of 16 nests four levels of chunks, rows
        // and halves (HessianTriangleTypes), and the visitor is generic in it, so it is called by
        // reflection; built once a plan, since a call visits its plan once a slice.
        if (visit is null)
        {
            var (kind, chunk) = HessianTriangleTypes.Kind(KernelKind, Width);
            visit = VisitMethod.MakeGenericMethod(kind, chunk);
        }
        object boxed = visitor;
        try
        {
            visit.Invoke(boxed, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        visitor = (TVisitor)boxed;
    }

    private static readonly MethodInfo VisitMethod = typeof(IKernelVisitor).GetMethod(nameof(IKernelVisitor.Visit))!;

    private MethodInfo? visit;
}

/// <summary>
/// The chunk, rows and triangle types of each width, built as <see cref="ChunkWidths"/> builds
/// chunks: powers of two by halves, other widths as the largest power of two below them joined to
/// the rest.
/// </summary>
internal static class HessianTriangleTypes
{
    /// <summary>A triangle kind (<paramref name="definition"/>: <see cref="HessianTriangleKind{Q, T}"/> or another of its shape) of <paramref name="width"/> and its chunk type.</summary>
    public static (Type Kind, Type Chunk) Kind(Type definition, int width)
    {
        if (width is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(width), width, "Hessian triangles are 2 to 16 wide.");
        var chunk = Chunk(width);
        return (definition.MakeGenericType(chunk, Triangle(width)), chunk);
    }

    /// <summary>The scalar chunk of a width, the type <see cref="ChunkWidths.Dispatch"/> visits without vector lanes.</summary>
    public static Type Chunk(int width) => Split(width) switch
    {
        (0, _) => typeof(One),
        (int half, 0) => typeof(Pair<>).MakeGenericType(Chunk(half)),
        (int low, int rest) => typeof(Join<,>).MakeGenericType(Chunk(low), Chunk(rest)),
    };

    /// <summary><paramref name="count"/> rows over <paramref name="columns"/>, built as <see cref="HessianBlockPlan"/> builds them.</summary>
    public static Type Rows(int count, Type columns) => Split(count) switch
    {
        (0, _) => typeof(RowOne<>).MakeGenericType(columns),
        (int half, 0) => typeof(RowPair<,>).MakeGenericType(Rows(half, columns), columns),
        (int low, int rest) => typeof(RowJoin<,,>).MakeGenericType(Rows(low, columns), Rows(rest, columns), columns),
    };

    /// <summary>The upper triangle over the chunk of <paramref name="width"/>.</summary>
    public static Type Triangle(int width) => Split(width) switch
    {
        (0, _) => typeof(TriangleOne),
        (int half, 0) => typeof(TrianglePair<,,>).MakeGenericType(Triangle(half), Chunk(half), Rows(half, Chunk(half))),
        (int low, int rest) => typeof(TriangleJoin<,,,,>).MakeGenericType(Triangle(low), Triangle(rest), Chunk(low), Chunk(rest), Rows(low, Chunk(rest))),
    };

    /// <summary>(0, 0) for 1; (w/2, 0) for a power of two; else the largest power of two below and the rest.</summary>
    private static (int First, int Second) Split(int width)
    {
        if (width == 1) return (0, 0);
        if ((width & (width - 1)) == 0) return (width / 2, 0);
        int low = 1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)width));
        return (low, width - low);
    }
}
