using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// <see cref="ElementSumKind"/>'s task for four points: the same seeds (row colour a on e1, the
/// chunk's colours on e2), the same cells at +0 at the start (<see cref="ZeroGroup"/>) and the same sums in the same order
/// (the value, each element's gradient entries and its Hessian entries with their mirrors, in the
/// order the model writes its outputs), lane by lane into each point's result.
/// </summary>
internal struct PointsElementSumArguments<L>(KernelData<PointerBuffer> data, ElementSumLayout layout, long point, int a, int first, ModelGuard<PointerFaultRecorder> guard)
    : IModelArguments<PointsHyperDual<L>> where L : struct, IPointPartials<L>
{
    private readonly long stride = 1 + layout.Inputs + (long)layout.Entries;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Table(long i) => (int)data.Table.Load(i);

    /// <summary>Tasks a point: (row colour, chunk of column colours) pairs.</summary>
    public static int TasksPerPoint(KernelData<PointerBuffer> data) => (int)data.Table.Load(0) * ColourChunks(data);

    public static int ColourChunks(KernelData<PointerBuffer> data) => ((int)data.Table.Load(0) + L.Width - 1) / L.Width;

    public static ElementSumLayout Layout(KernelData<PointerBuffer> data, int n, int m) =>
        new(n, m, (int)data.Table.Load(1), (int)data.Table.Load(2), (int)data.Table.Load(3));

    /// <summary>
    /// The four points' results set to +0, before the group's first task: ElementSumKind's tasks each
    /// zero the cells they own, and every cell has an owner, so this is the same start, found
    /// without reading the table's owners every task (they took a sixth of W2-8-elements' time).
    /// </summary>
    public static void ZeroGroup(KernelData<PointerBuffer> data, ElementSumLayout layout, long point) =>
        data.Result.Clear(point * (1 + layout.Inputs + (long)layout.Entries), 4 * (1 + layout.Inputs + layout.Entries));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsHyperDual<L> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        int colour = Table(ElementSumLayout.Colours + i);
        return new(PointLanes.Load(data.Points, point * layout.Inputs + i, layout.Inputs), Vector256.Create(colour == a ? 1.0 : 0.0), L.Unit(colour - first), default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsHyperDual<L> value)
    {
        if (!guard.Output(j)) return;
        long result = point * stride;
        if (a == 0)
        {
            if (first == 0) Add(result, value.Value, oneNaN: false);
            int end = Table(layout.InputStarts + j + 1);
            for (int q = Table(layout.InputStarts + j); q < end; q++)
            {
                int i = Table(layout.InputList + q), k = Table(ElementSumLayout.Colours + i) - first;
                if ((uint)k < (uint)L.Width) Add(result + 1 + i, L.Get(value.Partials, k), oneNaN: true);
            }
        }
        long hessian = result + 1 + layout.Inputs;
        int last = Table(layout.PairStarts + j + 1);
        for (int p = Table(layout.PairStarts + j); p < last; p++)
        {
            long pair = layout.Pairs + 4L * p;
            if (Table(pair) != a) continue;
            int k = Table(pair + 1) - first;
            if ((uint)k >= (uint)L.Width) continue;
            var h = L.Get(value.Mixed, k);
            int at = Table(pair + 2), mirror = Table(pair + 3);
            Add(hessian + at, h, oneNaN: true);
            if (mirror != at) Add(hessian + mirror, h, oneNaN: true);
        }
    }

    /// <summary>Each point's cell plus its lane; DerivativeEntry.OneNaN on the sums of derivatives, as the one-point kernel stores them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Add(long at, Vector256<double> lanes, bool oneNaN)
    {
        var r = data.Result;
        var sum = Vector256.Create(r.Load(at), r.Load(at + stride), r.Load(at + 2 * stride), r.Load(at + 3 * stride)) + lanes;
        if (oneNaN) sum = Vector256.ConditionalSelect(Vector256.Equals(sum, sum), sum, Vector256.Create(double.NaN));
        r.Store(at, sum.GetElement(0));
        r.Store(at + stride, sum.GetElement(1));
        r.Store(at + 2 * stride, sum.GetElement(2));
        r.Store(at + 3 * stride, sum.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
