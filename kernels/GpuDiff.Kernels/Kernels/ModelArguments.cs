using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Math;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

// One IModelArguments per kernel: each seeds the inputs for what it differentiates and stores the
// outputs straight into the flat result, so a model evaluation needs no local arrays. Every access
// goes through the guard first, so a model's wrong index is recorded and never reaches memory.

/// <summary>How derivative entries are stored.</summary>
public static class DerivativeEntry
{
    /// <summary>
    /// The entry with a zero stored as +0 and a NaN as one NaN (double.NaN's bits). The sign of a
    /// zero derivative carries no meaning, and it would differ between backends: ILGPU rewrites
    /// x + 0 to x on GPUs, so -0 + 0 stays -0 there while the CPU gives +0. A NaN's payload carries
    /// none either, and it differs too: where two NaNs meet, x86 keeps the first operand's, and
    /// which is first differs between the host's vector and scalar partials; CUDA makes its own.
    /// Values (not derivatives) keep their signed zeros and NaN payloads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Canonical(double d) => d == 0.0 ? 0.0 : OneNaN(d);

    /// <summary>
    /// A NaN as double.NaN's bits, anything else as it is: for sums that start at +0, which
    /// cannot become -0, so only their NaNs need it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double OneNaN(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        return (bits & long.MaxValue) > 0x7FF0000000000000L ? BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(double.NaN) ^ (bits & ~bits)) : d;
    }
}

/// <summary>Plain values: y[point][j].</summary>
public struct ValueArguments<TBuf, TFault>(TBuf x, TBuf y, TBuf parameters, long xBase, long yBase, ModelGuard<TFault> guard) : IModelArguments<Real>
    where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Real Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Real value)
    {
        if (guard.Output(j)) y.Store(yBase + j, value.Value);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>A chunk of Jacobian columns first..first+W-1: jac[point][j][col].</summary>
public struct JacobianArguments<P, TBuf, TFault>(TBuf x, TBuf jac, TBuf parameters, long xBase, long jBase, int n, int first, ModelGuard<TFault> guard)
    : IModelArguments<Dual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Dual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), P.Unit(i - first));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<P> value)
    {
        if (!guard.Output(j)) return;
        P.StoreCanonical(value.Partials, jac, jBase + (long)j * n + first, n - first);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>J v for the point's own direction v: out[point][j].</summary>
public struct JvpArguments<TBuf, TFault>(TBuf x, TBuf direction, TBuf result, TBuf parameters, long xBase, long yBase, ModelGuard<TFault> guard)
    : IModelArguments<Dual<One>> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Dual<One> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), new One { D = direction.Load(xBase + i) });
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<One> value)
    {
        if (guard.Output(j)) result.Store(yBase + j, DerivativeEntry.Canonical(value.Partials.D));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>Hessian row <c>row</c>, columns first..first+W-1 at or right of the diagonal, mirrored: h[point][j][row][col].</summary>
public struct HessianArguments<P, TBuf, TFault>(TBuf x, TBuf h, TBuf parameters, long xBase, long hBase, int n, int row, int first, ModelGuard<TFault> guard)
    : IModelArguments<HyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HyperDual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), i == row ? 1.0 : 0.0, P.Unit(i - first), default);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HyperDual<P> value)
    {
        if (!guard.Output(j)) return;
        long block = hBase + (long)j * n * n;
        for (int k = 0; k < P.Width && first + k < n; k++)
        {
            int col = first + k;
            if (col < row) continue; // the lower triangle is the mirror of another thread's row
            double entry = DerivativeEntry.Canonical(P.Get(value.Mixed, k));
            h.Store(block + (long)row * n + col, entry);
            if (col != row) h.Store(block + (long)col * n + row, entry);
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>H v for the point's own direction v, columns first..first+W-1: out[point][j][col].</summary>
public struct HvpArguments<P, TBuf, TFault>(TBuf x, TBuf direction, TBuf result, TBuf parameters, long xBase, long rBase, int n, int first, ModelGuard<TFault> guard)
    : IModelArguments<HyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HyperDual<P> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), direction.Load(xBase + i), P.Unit(i - first), default);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HyperDual<P> value)
    {
        if (!guard.Output(j)) return;
        P.StoreCanonical(value.Mixed, result, rBase + (long)j * n + first, n - first);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}
