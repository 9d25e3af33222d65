using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The Hessian of each output by blocks: h[point][output][input][input]; one task per (point, row
/// chunk, column chunk at or right of it), each evaluating the model once with a
/// <see cref="HessianBlock{P, S}"/> of <typeparamref name="R"/>'s rows over <typeparamref name="Q"/>'s
/// columns and storing that block and its mirror. The same bits as <see cref="HessianKind"/>, with
/// chunks(chunks + 1)/2 evaluations a point where rows take about n chunks / 2.
/// </summary>
/// <typeparam name="Q">The column chunk (the plan's chunk type; the visitor's P is the same type).</typeparam>
/// <typeparam name="R">As many rows as <typeparamref name="Q"/> has columns.</typeparam>
public readonly struct HessianBlockKind<Q, R> : IKernelKind where Q : struct, IPartials<Q> where R : struct, IHessianRows<R, Q>
{
    /// <inheritdoc />
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs;
        long point = DerivativeKernels.HessianBlockTask(task, n, Q.Width, out int rowChunk, out int columnChunk);
        var io = new HessianBlockArguments<Q, R, TBuf, TFault>(d.Points, d.Result, d.Parameters, point * n, point * model.Outputs * n * n, n,
            rowChunk * R.Count, columnChunk * Q.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<HessianBlock<Q, R>, HessianBlockArguments<Q, R, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>
/// Rows firstRow.. and columns firstColumn.. of each output's Hessian: the entries at or right of
/// the diagonal, each also stored at its mirror (h[point][j][row][col]).
/// </summary>
/// <typeparam name="Q">The column chunk.</typeparam>
/// <typeparam name="R">The rows.</typeparam>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
/// <typeparam name="TFault">Where model mistakes are recorded.</typeparam>
public struct HessianBlockArguments<Q, R, TBuf, TFault>(TBuf x, TBuf h, TBuf parameters, long xBase, long hBase, int n, int firstRow, int firstColumn,
    ModelGuard<TFault> guard) : IModelArguments<HessianBlock<Q, R>>
    where Q : struct, IPartials<Q> where R : struct, IHessianRows<R, Q> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HessianBlock<Q, R> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), Q.Unit(i - firstColumn), R.Seed(i - firstRow));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HessianBlock<Q, R> value)
    {
        if (!guard.Output(j)) return;
        var rows = new BlockStores<Q, TBuf>(h, hBase + (long)j * n * n, n, firstRow, firstColumn);
        R.EachRow(value.Mixed, 0, ref rows);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>Stores a block's rows: the entries at or right of the diagonal, each also at its mirror.</summary>
/// <typeparam name="Q">The column chunk.</typeparam>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
public readonly struct BlockStores<Q, TBuf>(TBuf h, long block, int n, int firstRow, int firstColumn) : IRowSink<Q>
    where Q : struct, IPartials<Q> where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Row(int index, double along, Q mixed)
    {
        int row = firstRow + index;
        if (row >= n) return;
        for (int k = 0; k < Q.Width && firstColumn + k < n; k++)
        {
            int col = firstColumn + k;
            if (col < row) continue; // the lower triangle is the mirror of an entry stored here or in another block
            double entry = DerivativeEntry.Canonical(Q.Get(mixed, k));
            h.Store(block + (long)row * n + col, entry);
            if (col != row) h.Store(block + (long)col * n + row, entry);
        }
    }
}
