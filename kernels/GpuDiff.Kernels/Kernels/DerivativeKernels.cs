using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The dense kinds' task shapes, shared by the kernels that split a task and the host that counts
/// them. Value and Jvp take one task per point; Jacobian and Hvp one per (point, column chunk);
/// Hessian one per (point, row, column chunk at or right of the row).
/// </summary>
public static class DerivativeKernels
{
    /// <summary>Column chunks of width <paramref name="width"/> covering n columns.</summary>
    public static int ColumnChunks(int n, int width) => (n + width - 1) / width;

    /// <summary>Hessian tasks per point: for each row, the chunks that reach the diagonal or beyond.</summary>
    public static int HessianTasksPerPoint(int n, int width)
    {
        int chunks = ColumnChunks(n, width), total = 0;
        for (int row = 0; row < n; row++) total += chunks - row / width;
        return total;
    }

    /// <summary>
    /// The point, row and column chunk of a Hessian task (tasks run point by point, row by row, the
    /// chunks at or right of the row's diagonal); the row's first such chunk is row / width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long HessianTask(long task, int n, int width, out int row, out int chunk)
    {
        int chunks = ColumnChunks(n, width), perPoint = HessianTasksPerPoint(n, width);
        long point = task / perPoint;
        int rest = (int)(task - point * perPoint);
        row = 0;
        // Walk the rows to find which (row, chunk) this task is; cheap next to a model evaluation.
        while (rest >= chunks - row / width)
        {
            rest -= chunks - row / width;
            row++;
        }
        chunk = row / width + rest;
        return point;
    }

    /// <summary>Hessian blocks per point: the (row chunk, column chunk) pairs on or above the diagonal.</summary>
    public static int HessianBlocksPerPoint(int n, int width)
    {
        int chunks = ColumnChunks(n, width);
        return chunks * (chunks + 1) / 2;
    }

    /// <summary>The point, row chunk and column chunk (at or right of the row chunk) of a Hessian block task, row chunk by row chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long HessianBlockTask(long task, int n, int width, out int rowChunk, out int columnChunk)
    {
        int chunks = ColumnChunks(n, width), perPoint = chunks * (chunks + 1) / 2;
        long point = task / perPoint;
        int rest = (int)(task - point * perPoint);
        rowChunk = 0;
        while (rest >= chunks - rowChunk)
        {
            rest -= chunks - rowChunk;
            rowChunk++;
        }
        columnChunk = rowChunk + rest;
        return point;
    }

    // The parameter buffer a kernel gets is cut to the count the model declares, so its length is the bound.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ModelGuard<TFault> Guard<TModel, TBuf, TFault>(TModel model, TBuf parameters, TFault faults, long point)
        where TModel : struct, IModel where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder =>
        new(faults, point, model.Inputs, model.Outputs, parameters.Length);
}

#pragma warning disable CS1591 // each kind is described by its summary and DerivativeKernels'

/// <summary>f: y[point][output]; one task per point.</summary>
public readonly struct ValueKind : IKernelKind, IStoresOwnBlock
{
    public static void Run<TModel, P, TBuf, TFault>(long point, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        var io = new ValueArguments<TBuf, TFault>(d.Points, d.Result, d.Parameters, point * model.Inputs, point * model.Outputs,
            DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<Real, ValueArguments<TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>J (and a gradient, its one-row case): jac[point][output][input]; one task per (point, column chunk).</summary>
public readonly struct JacobianKind : IKernelKind, IStoresOwnBlock
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = DerivativeKernels.ColumnChunks(n, P.Width);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        var io = new JacobianArguments<P, TBuf, TFault>(d.Points, d.Result, d.Parameters, point * n, point * model.Outputs * n, n,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<Dual<P>, JacobianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>J v with the point's own direction: out[point][output]; one task per point, whatever P.</summary>
public readonly struct JvpKind : IKernelKind, IStoresOwnBlock
{
    public static void Run<TModel, P, TBuf, TFault>(long point, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        var io = new JvpArguments<TBuf, TFault>(d.Points, d.Directions, d.Result, d.Parameters, point * model.Inputs, point * model.Outputs,
            DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<Dual<One>, JvpArguments<TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>The Hessian of each output: h[point][output][input][input]; one task per (point, row, chunk at or right of the row).</summary>
public readonly struct HessianKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs;
        long point = DerivativeKernels.HessianTask(task, n, P.Width, out int row, out int chunk);
        var io = new HessianArguments<P, TBuf, TFault>(d.Points, d.Result, d.Parameters, point * n, point * model.Outputs * n * n, n, row,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<HyperDual<P>, HessianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>H v of each output with the point's own direction: out[point][output][input]; one task per (point, column chunk).</summary>
public readonly struct HvpKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = DerivativeKernels.ColumnChunks(n, P.Width);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        var io = new HvpArguments<P, TBuf, TFault>(d.Points, d.Directions, d.Result, d.Parameters, point * n, point * model.Outputs * n, n,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<HyperDual<P>, HvpArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>
/// u^T J with the point's own u (one value per output): out[point][input]; one task per (point,
/// column chunk), each summing u_j times its columns' partials over the outputs in the order the
/// model writes them, from +0. The Jacobian is never stored: what backpropagation chains, here in
/// forward mode, at the cost of the Jacobian's evaluations and the memory of a gradient.
/// </summary>
public readonly struct VjpKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = DerivativeKernels.ColumnChunks(n, P.Width);
        long point = task / chunks;
        int first = (int)(task - point * chunks) * P.Width;
        for (int k = 0; k < P.Width && first + k < n; k++) d.Result.Store(point * n + first + k, 0.0);
        var io = new VjpArguments<P, TBuf, TFault>(d, point * n, point * model.Outputs, n, first, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        model.Evaluate<Dual<P>, VjpArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>Seeds a chunk of unit columns and adds u_j times each output's partials into the point's row.</summary>
public struct VjpArguments<P, TBuf, TFault>(KernelData<TBuf> d, long xBase, long uBase, int n, int first, ModelGuard<TFault> guard)
    : IModelArguments<Dual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Dual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(d.Points.Load(xBase + i), P.Unit(i - first));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<P> value)
    {
        if (!guard.Output(j)) return;
        double u = d.Directions.Load(uBase + j);
        for (int k = 0; k < P.Width && first + k < n; k++)
        {
            long at = xBase + first + k;
            d.Result.Store(at, DerivativeEntry.OneNaN(d.Result.Load(at) + u * P.Get(value.Partials, k)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? d.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
#pragma warning restore CS1591
