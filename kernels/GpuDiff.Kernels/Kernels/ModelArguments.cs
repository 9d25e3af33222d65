using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

// One IModelArguments per kernel: each seeds the inputs for what it differentiates and stores the
// outputs straight into the flat result, so a model evaluation needs no local arrays.

/// <summary>How derivative entries are stored.</summary>
public static class DerivativeEntry
{
    /// <summary>
    /// The entry with a zero stored as +0. The sign of a zero derivative carries no meaning, and it
    /// would differ between backends: ILGPU rewrites x + 0 to x on GPUs, so -0 + 0 stays -0 there
    /// while the CPU gives +0. Values (not derivatives) keep their signed zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Canonical(double d) => d == 0.0 ? 0.0 : d;
}

/// <summary>Plain values: y[point][j].</summary>
public readonly struct ValueArguments<TBuf>(TBuf x, TBuf y, TBuf parameters, long xBase, long yBase) : IModelArguments<Real>
    where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Real Input(int i) => new(x.Load(xBase + i));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Real value) => y.Store(yBase + j, value.Value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Parameter(int k) => parameters.Load(k);
}

/// <summary>A chunk of Jacobian columns first..first+W-1: jac[point][j][col].</summary>
public readonly struct JacobianArguments<P, TBuf>(TBuf x, TBuf jac, TBuf parameters, long xBase, long jBase, int n, int first)
    : IModelArguments<Dual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual<P> Input(int i) => new(x.Load(xBase + i), P.Unit(i - first));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<P> value)
    {
        for (int k = 0; k < P.Width && first + k < n; k++)
            jac.Store(jBase + (long)j * n + first + k, DerivativeEntry.Canonical(P.Get(value.Partials, k)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Parameter(int k) => parameters.Load(k);
}

/// <summary>J v for the point's own direction v: out[point][j].</summary>
public readonly struct JvpArguments<TBuf>(TBuf x, TBuf direction, TBuf result, TBuf parameters, long xBase, long yBase)
    : IModelArguments<Dual<One>> where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual<One> Input(int i) => new(x.Load(xBase + i), new One { D = direction.Load(xBase + i) });

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, Dual<One> value) => result.Store(yBase + j, DerivativeEntry.Canonical(value.Partials.D));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Parameter(int k) => parameters.Load(k);
}

/// <summary>Hessian row <c>row</c>, columns first..first+W-1 at or right of the diagonal, mirrored: h[point][j][row][col].</summary>
public readonly struct HessianArguments<P, TBuf>(TBuf x, TBuf h, TBuf parameters, long xBase, long hBase, int n, int row, int first)
    : IModelArguments<HyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HyperDual<P> Input(int i) => new(x.Load(xBase + i), i == row ? 1.0 : 0.0, P.Unit(i - first), default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HyperDual<P> value)
    {
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
    public double Parameter(int k) => parameters.Load(k);
}

/// <summary>H v for the point's own direction v, columns first..first+W-1: out[point][j][col].</summary>
public readonly struct HvpArguments<P, TBuf>(TBuf x, TBuf direction, TBuf result, TBuf parameters, long xBase, long rBase, int n, int first)
    : IModelArguments<HyperDual<P>> where P : struct, IPartials<P> where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HyperDual<P> Input(int i) => new(x.Load(xBase + i), direction.Load(xBase + i), P.Unit(i - first), default);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HyperDual<P> value)
    {
        for (int k = 0; k < P.Width && first + k < n; k++)
            result.Store(rBase + (long)j * n + first + k, DerivativeEntry.Canonical(P.Get(value.Mixed, k)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Parameter(int k) => parameters.Load(k);
}
