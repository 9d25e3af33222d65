using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

// The compressed kinds: columns of one colour share a seed slot, and the kind's table (built on the
// host from the pattern and its colouring; layouts in SparseTables) says where each slot's value
// goes. A colouring guarantees that whatever reaches one stored entry through a slot comes from
// that entry's own column, so an entry has the bits the dense kernels give it.

/// <summary>Table reads: integers stored as doubles.</summary>
internal static class TableRead
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int At<TBuf>(TBuf table, long i) where TBuf : struct, IBuffer => (int)table.Load(i);

    /// <summary>Chunks of width <paramref name="width"/> covering the colours in table cell 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ColourChunks<TBuf>(TBuf table, int width) where TBuf : struct, IBuffer => (At(table, 0) + width - 1) / width;
}

#pragma warning disable CS1591 // described by the summaries and SparseTables' layouts

/// <summary>
/// A sparse Jacobian from column colours: values[point][entry]; one task per (point, chunk of colours).
/// Table: colours, entries, the colour of each input, the pattern's row starts (m + 1), the colour of each entry.
/// </summary>
public readonly struct CompressedJacobianKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int chunks = TableRead.ColourChunks(d.Table, P.Width), entries = TableRead.At(d.Table, 1);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        var io = new CompressedJacobianArguments<P, TBuf, TFault>(d, point * model.Inputs, point * entries, model.Inputs, model.Outputs,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<Dual<P>, CompressedJacobianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

public struct CompressedJacobianArguments<P, TBuf, TFault>(KernelData<TBuf> d, long xBase, long vBase, int n, int m, int first, ModelGuard<TFault> guard)
    : IModelArguments<Dual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Dual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(d.Points.Load(xBase + i), P.Unit(TableRead.At(d.Table, 2 + i) - first));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<P> value)
    {
        if (!guard.Output(j)) return;
        long rows = 2 + n, colours = 3 + n + m;
        int end = TableRead.At(d.Table, rows + j + 1);
        for (int e = TableRead.At(d.Table, rows + j); e < end; e++)
        {
            int k = TableRead.At(d.Table, colours + e) - first;
            if ((uint)k < (uint)P.Width) d.Result.Store(vBase + e, DerivativeEntry.Canonical(P.Get(value.Partials, k)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? d.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}

/// <summary>
/// Every output's Hessian in one shared sparse pattern: values[point][output][entry]; one task per
/// (point, row, chunk of column colours). A row's task stores the entries it reads and their
/// mirrors: under a star colouring an entry is read in the row where no other entry shares its
/// column's colour, the one at or right of the diagonal where both qualify (as the dense Hessian
/// computes it; the hyper-dual gives the same bits from either row). Table: colours, entries, the
/// colour of each input, row starts (n + 1), the colour of each entry's column, the mirror entry's
/// position, whether the entry's own row reads it.
/// </summary>
public readonly struct CompressedHessianKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = TableRead.ColourChunks(d.Table, P.Width), entries = TableRead.At(d.Table, 1);
        long perPoint = (long)n * chunks, point = task / perPoint;
        int rest = (int)(task - point * perPoint), row = rest / chunks, chunk = rest - row * chunks;
        var io = new CompressedHessianArguments<P, TBuf, TFault>(d, point * n, point * model.Outputs * entries, n, entries, row,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<InlineHyperDual<P>, CompressedHessianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

public struct CompressedHessianArguments<P, TBuf, TFault>(KernelData<TBuf> d, long xBase, long vBase, int n, int entries, int row, int first, ModelGuard<TFault> guard)
    : IModelArguments<InlineHyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly InlineHyperDual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(new HyperDual<P>(d.Points.Load(xBase + i), i == row ? 1.0 : 0.0, P.Unit(TableRead.At(d.Table, 2 + i) - first), default));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, InlineHyperDual<P> value)
    {
        if (!guard.Output(j)) return;
        long rows = 2 + n, colours = 3 + 2L * n, mirrors = colours + entries, reads = mirrors + entries;
        long block = vBase + (long)j * entries;
        int end = TableRead.At(d.Table, rows + row + 1);
        for (int e = TableRead.At(d.Table, rows + row); e < end; e++)
        {
            if (TableRead.At(d.Table, reads + e) == 0) continue; // read in the other row, which stores its mirror here
            int k = TableRead.At(d.Table, colours + e) - first;
            if ((uint)k >= (uint)P.Width) continue;
            double entry = DerivativeEntry.Canonical(P.Get(value.Number.Mixed, k));
            d.Result.Store(block + e, entry);
            int mirror = TableRead.At(d.Table, mirrors + e);
            if (mirror != e) d.Result.Store(block + mirror, entry);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? d.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
#pragma warning restore CS1591
