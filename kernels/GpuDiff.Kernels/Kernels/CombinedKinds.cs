using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

#pragma warning disable CS1591 // each kind is described by its summary and DerivativeKernels'

/// <summary>
/// f and J from the Jacobian's own evaluations: out[point] = [m values][m x n Jacobian]; one task per
/// (point, column chunk), the first chunk also storing the primal values it computes anyway. A
/// Newton step needs both; the separate Value kind would be one more evaluation a point.
/// </summary>
public readonly struct ValueJacobianKind : IKernelKind, IStoresOwnBlock
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, m = model.Outputs, chunks = DerivativeKernels.ColumnChunks(n, P.Width);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        long valueBase = point * (m + (long)m * n);
        var jacobian = new JacobianArguments<P, TBuf, TFault>(d.Points, d.Result, d.Parameters, point * n, valueBase + m, n,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        var io = new WithValues<P, TBuf, TFault>(jacobian, d.Result, valueBase, m, chunk == 0);
        model.Evaluate<Dual<P>, WithValues<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>
/// f, the gradient of every output and the Hessian from the Hessian's own evaluations: out[point] =
/// [m values][m x n gradients][m x n x n Hessians]; the Hessian's tasks, the first storing the values
/// and the first of each row that row's gradient entries (the hyper-dual's first-order part).
/// </summary>
public readonly struct ValueGradientHessianKind : IKernelKind
{
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, m = model.Outputs;
        long point = DerivativeKernels.HessianTask(task, n, P.Width, out int row, out int chunk);
        long valueBase = point * (m + (long)m * n + (long)m * n * n);
        var hessian = new HessianArguments<P, TBuf, TFault>(d.Points, d.Result, d.Parameters, point * n, valueBase + m + (long)m * n, n, row,
            chunk * P.Width, DerivativeKernels.Guard(model, d.Parameters, faults, point));
        // The first chunk of a row stores the row's gradient entries.
        var io = new WithValuesAndGradient<P, TBuf, TFault>(hessian, d.Result, valueBase, m, n, row, chunk == row / P.Width);
        model.Evaluate<HyperDual<P>, WithValuesAndGradient<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>
/// A kind's model arguments that also store each output's value, which the evaluation computes on
/// the way, at result[valueBase + j] (when <paramref name="storeValues"/>). The inner arguments
/// check every index; only indices they accept are stored here.
/// </summary>
public struct WithValues<P, TBuf, TFault>(JacobianArguments<P, TBuf, TFault> inner, TBuf result, long valueBase, int outputs, bool storeValues)
    : IModelArguments<Dual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    private JacobianArguments<P, TBuf, TFault> inner = inner;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Dual<P> Input(int i) => inner.Input(i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<P> value)
    {
        inner.Output(j, value);
        if (storeValues && (uint)j < (uint)outputs) result.Store(valueBase + j, value.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => inner.Parameter(k);

    public readonly void Finish() => inner.Finish();
}

/// <summary>
/// The Hessian's model arguments that also store each output's value (the row-0 task) and, in the
/// first task of each row, the row's gradient entries: the hyper-dual's first-order part along the
/// row's input, at result[valueBase + m + j n + row].
/// </summary>
public struct WithValuesAndGradient<P, TBuf, TFault>(HessianArguments<P, TBuf, TFault> inner, TBuf result, long valueBase, int outputs, int n, int row,
    bool firstOfRow) : IModelArguments<HyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    private HessianArguments<P, TBuf, TFault> inner = inner;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HyperDual<P> Input(int i) => inner.Input(i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HyperDual<P> value)
    {
        inner.Output(j, value);
        if (!firstOfRow || (uint)j >= (uint)outputs) return;
        if (row == 0) result.Store(valueBase + j, value.Value);
        result.Store(valueBase + outputs + (long)j * n + row, DerivativeEntry.Canonical(value.Along));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => inner.Parameter(k);

    public readonly void Finish() => inner.Finish();
}
#pragma warning restore CS1591
