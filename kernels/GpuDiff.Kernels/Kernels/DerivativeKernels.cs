using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The kernel bodies, one thread's work each, generic over model, chunk and storage. The ILGPU
/// entry points and the host backend both call these, so every backend runs the same code.
/// Task numbering within a batch: value and Jvp one task per point; Jacobian and Hvp one per
/// (point, column chunk); Hessian one per (point, row, column chunk at or right of the row).
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

#pragma warning disable CS1591 // the bodies are described by the class summary
    public static void Value<TModel, TBuf, TFault>(long point, TModel model, TBuf x, TBuf y, TBuf parameters, TFault faults)
        where TModel : struct, IModel where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        var io = new ValueArguments<TBuf, TFault>(x, y, parameters, point * model.Inputs, point * model.Outputs, Guard(model, parameters, faults, point));
        model.Evaluate<Real, ValueArguments<TBuf, TFault>>(ref io);
        io.Finish();
    }

    public static void Jacobian<TModel, P, TBuf, TFault>(long task, TModel model, TBuf x, TBuf jac, TBuf parameters, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = ColumnChunks(n, P.Width);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        var io = new JacobianArguments<P, TBuf, TFault>(
            x, jac, parameters, point * n, point * model.Outputs * n, n, chunk * P.Width, Guard(model, parameters, faults, point));
        model.Evaluate<Dual<P>, JacobianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }

    public static void Jvp<TModel, TBuf, TFault>(long point, TModel model, TBuf x, TBuf direction, TBuf result, TBuf parameters, TFault faults)
        where TModel : struct, IModel where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        var io = new JvpArguments<TBuf, TFault>(
            x, direction, result, parameters, point * model.Inputs, point * model.Outputs, Guard(model, parameters, faults, point));
        model.Evaluate<Dual<One>, JvpArguments<TBuf, TFault>>(ref io);
        io.Finish();
    }

    public static void Hessian<TModel, P, TBuf, TFault>(long task, TModel model, TBuf x, TBuf h, TBuf parameters, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = ColumnChunks(n, P.Width), perPoint = HessianTasksPerPoint(n, P.Width);
        long point = task / perPoint;
        int rest = (int)(task - point * perPoint), row = 0;
        // Walk the rows to find which (row, chunk) this task is; cheap next to a model evaluation.
        while (rest >= chunks - row / P.Width)
        {
            rest -= chunks - row / P.Width;
            row++;
        }
        int chunk = row / P.Width + rest;
        var io = new HessianArguments<P, TBuf, TFault>(
            x, h, parameters, point * n, point * model.Outputs * n * n, n, row, chunk * P.Width, Guard(model, parameters, faults, point));
        model.Evaluate<HyperDual<P>, HessianArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }

    public static void Hvp<TModel, P, TBuf, TFault>(long task, TModel model, TBuf x, TBuf direction, TBuf result, TBuf parameters, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, chunks = ColumnChunks(n, P.Width);
        long point = task / chunks;
        int chunk = (int)(task - point * chunks);
        var io = new HvpArguments<P, TBuf, TFault>(
            x, direction, result, parameters, point * n, point * model.Outputs * n, n, chunk * P.Width, Guard(model, parameters, faults, point));
        model.Evaluate<HyperDual<P>, HvpArguments<P, TBuf, TFault>>(ref io);
        io.Finish();
    }
#pragma warning restore CS1591

    // The parameter buffer a kernel gets is cut to the count the model declares, so its length is the bound.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ModelGuard<TFault> Guard<TModel, TBuf, TFault>(TModel model, TBuf parameters, TFault faults, long point)
        where TModel : struct, IModel where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder =>
        new(faults, point, model.Inputs, model.Outputs, parameters.Length);
}
