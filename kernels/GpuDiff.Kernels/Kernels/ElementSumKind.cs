using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

#pragma warning disable CS1591 // described by the summaries and SparseTables' layouts

/// <summary>
/// The value, gradient and Hessian of the sum of a model's outputs, each output an element that
/// depends on a few inputs (partial separability): out[point] = [sum, gradient (n), Hessian entries].
/// The inputs are coloured so that no element depends on two inputs of one colour; one task per
/// (point, row colour a, chunk of column colours) seeds colour a on e1 and the chunk's colours on
/// e2, and then each element's mixed parts are that element's own Hessian entries, one each. A
/// task owns the entries whose smaller index has colour a (it zeroes them, adds every element's
/// part in the order the model writes its outputs, and mirrors), so tasks never share a cell.
/// </summary>
public readonly struct ElementSumKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, colours = TableRead.At(d.Table, 0), chunks = TableRead.ColourChunks(d.Table, P.Width);
        long perPoint = (long)colours * chunks, point = task / perPoint;
        int rest = (int)(task - point * perPoint), a = rest / chunks, first = (rest - a * chunks) * P.Width;
        var layout = new ElementSumLayout(n, model.Outputs, TableRead.At(d.Table, 1), TableRead.At(d.Table, 2), TableRead.At(d.Table, 3));
        long result = point * (1 + n + (long)layout.Entries);
        if (a == 0)
        {
            if (first == 0) d.Result.Store(result, 0.0);
            for (int i = 0; i < n; i++)
                if ((uint)(TableRead.At(d.Table, ElementSumLayout.Colours + i) - first) < (uint)P.Width) d.Result.Store(result + 1 + i, 0.0);
        }
        for (int e = 0; e < layout.Entries; e++)
            if (TableRead.At(d.Table, layout.Owners + 2L * e) == a && (uint)(TableRead.At(d.Table, layout.Owners + 2L * e + 1) - first) < (uint)P.Width)
                d.Result.Store(result + 1 + n + e, 0.0);
        var io = new ElementSumArguments<P, TBuf, TFault>(d, layout, point * n, result, a, first, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<InlineHyperDual<P>, ElementSumArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>Where each part of an element-sum table starts (see SparseTables.ElementSum).</summary>
public readonly struct ElementSumLayout
{
    /// <summary>Header cells: colours, Hessian entries, element inputs, element pairs; then the colour of each input.</summary>
    public const int Colours = 4;

    public readonly int Inputs, Entries;
    public readonly long InputStarts, InputList, PairStarts, Pairs, Owners;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ElementSumLayout(int n, int m, int entries, int elementInputs, int pairs)
    {
        Inputs = n;
        Entries = entries;
        InputStarts = Colours + n;
        InputList = InputStarts + m + 1;
        PairStarts = InputList + elementInputs;
        Pairs = PairStarts + m + 1;
        Owners = Pairs + 4L * pairs;
    }
}

public struct ElementSumArguments<P, TBuf, TFault>(KernelData<TBuf> d, ElementSumLayout layout, long xBase, long result, int a, int first, ModelGuard<TFault> guard)
    : IModelArguments<InlineHyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly InlineHyperDual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        int colour = TableRead.At(d.Table, ElementSumLayout.Colours + i);
        return new(new HyperDual<P>(d.Points.Load(xBase + i), colour == a ? 1.0 : 0.0, P.Unit(colour - first), default));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, InlineHyperDual<P> inline)
    {
        if (!guard.Output(j)) return;
        var value = inline.Number;
        if (a == 0)
        {
            if (first == 0) d.Result.Store(result, d.Result.Load(result) + value.Value);
            int end = TableRead.At(d.Table, layout.InputStarts + j + 1);
            for (int q = TableRead.At(d.Table, layout.InputStarts + j); q < end; q++)
            {
                int i = TableRead.At(d.Table, layout.InputList + q), k = TableRead.At(d.Table, ElementSumLayout.Colours + i) - first;
                if ((uint)k < (uint)P.Width) d.Result.Store(result + 1 + i, DerivativeEntry.OneNaN(d.Result.Load(result + 1 + i) + P.Get(value.Partials, k)));
            }
        }
        long hessian = result + 1 + layout.Inputs;
        int last = TableRead.At(d.Table, layout.PairStarts + j + 1);
        for (int p = TableRead.At(d.Table, layout.PairStarts + j); p < last; p++)
        {
            long pair = layout.Pairs + 4L * p;
            if (TableRead.At(d.Table, pair) != a) continue;
            int k = TableRead.At(d.Table, pair + 1) - first;
            if ((uint)k >= (uint)P.Width) continue;
            double h = P.Get(value.Mixed, k);
            int at = TableRead.At(d.Table, pair + 2), mirror = TableRead.At(d.Table, pair + 3);
            d.Result.Store(hessian + at, DerivativeEntry.OneNaN(d.Result.Load(hessian + at) + h));
            if (mirror != at) d.Result.Store(hessian + mirror, DerivativeEntry.OneNaN(d.Result.Load(hessian + mirror) + h));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? d.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
#pragma warning restore CS1591
