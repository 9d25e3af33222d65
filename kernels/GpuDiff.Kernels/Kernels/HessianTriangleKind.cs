using System.Runtime.CompilerServices;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The Hessian of each output when one chunk covers every input: h[point][output][input][input];
/// one task per point, evaluating the model once with a <see cref="HessianBlock{P, S}"/> of a triangle and
/// storing the upper triangle and its mirror. The same bits as <see cref="HessianKind"/> and
/// <see cref="HessianBlockKind{Q, R}"/>, with about half the single block's mixed products.
/// </summary>
/// <typeparam name="Q">The chunk (the plan's chunk type; the visitor's P is the same type).</typeparam>
/// <typeparam name="T">The upper triangle over <typeparamref name="Q"/>.</typeparam>
public readonly struct HessianTriangleKind<Q, T> : IKernelKind where Q : struct, IPartials<Q> where T : struct, IHessianTriangle<T, Q>
{
    /// <inheritdoc />
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs;
        var io = new HessianTriangleArguments<Q, T, TBuf, TFault>(d.Points, d.Result, d.Parameters, task * n, task * model.Outputs * n * n, n,
            DerivativeKernels.Guard(model, d.Parameters, faults, task));
        model.Evaluate<HessianBlock<Q, T>, HessianTriangleArguments<Q, T, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>Every input seeded in one chunk; each output's triangle stored with its mirror (h[point][j][row][col]).</summary>
/// <typeparam name="Q">The chunk.</typeparam>
/// <typeparam name="T">The upper triangle.</typeparam>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
/// <typeparam name="TFault">Where model mistakes are recorded.</typeparam>
public struct HessianTriangleArguments<Q, T, TBuf, TFault>(TBuf x, TBuf h, TBuf parameters, long xBase, long hBase, int n, ModelGuard<TFault> guard)
    : IModelArguments<HessianBlock<Q, T>>
    where Q : struct, IPartials<Q> where T : struct, IHessianTriangle<T, Q> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HessianBlock<Q, T> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(x.Load(xBase + i), Q.Unit(i), T.Seed(i));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HessianBlock<Q, T> value)
    {
        if (!guard.Output(j)) return;
        var stores = new TriangleStores<TBuf>(h, hBase + (long)j * n * n, n);
        T.EachEntry(value.Mixed, 0, ref stores);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? parameters.Load(k) : 0.0;

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => guard.Finish();
}

/// <summary>Stores a triangle's entries of the model's n inputs, each also at its mirror.</summary>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
public readonly struct TriangleStores<TBuf>(TBuf h, long block, int n) : IEntrySink where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Entry(int row, int column, double value)
    {
        if (column >= n) return; // the chunk's columns past the model's inputs (row <= column)
        double entry = DerivativeEntry.Canonical(value);
        h.Store(block + (long)row * n + column, entry);
        if (column != row) h.Store(block + (long)column * n + row, entry);
    }
}

/// <summary>
/// f, the gradient of every output and the Hessian from one triangle evaluation a point: out[point] =
/// [m values][m x n gradients][m x n x n Hessians], as <see cref="ValueGradientHessianKind"/> lays
/// them out, with the bits of the separate calls (the gradient is the number's first-order part).
/// </summary>
/// <typeparam name="Q">The chunk (the plan's chunk type; the visitor's P is the same type).</typeparam>
/// <typeparam name="T">The upper triangle over <typeparamref name="Q"/>.</typeparam>
public readonly struct ValueGradientHessianTriangleKind<Q, T> : IKernelKind where Q : struct, IPartials<Q> where T : struct, IHessianTriangle<T, Q>
{
    /// <inheritdoc />
    public static void Run<TModel, P, TBuf, TFault>(long task, TModel model, KernelData<TBuf> d, TFault faults)
        where TModel : struct, IModel where P : struct, IPartials<P> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
    {
        int n = model.Inputs, m = model.Outputs;
        long valueBase = task * (m + (long)m * n + (long)m * n * n);
        var hessian = new HessianTriangleArguments<Q, T, TBuf, TFault>(d.Points, d.Result, d.Parameters, task * n, valueBase + m + (long)m * n, n,
            DerivativeKernels.Guard(model, d.Parameters, faults, task));
        var io = new TriangleWithValuesAndGradient<Q, T, TBuf, TFault>(hessian, d.Result, valueBase, m, n);
        model.Evaluate<HessianBlock<Q, T>, TriangleWithValuesAndGradient<Q, T, TBuf, TFault>>(ref io);
        io.Finish();
    }
}

/// <summary>
/// The triangle's model arguments that also store each output's value and gradient (the number's
/// first-order part) at result[valueBase + j] and result[valueBase + m + j n ..]. The inner arguments
/// check every index; only indices they accept are stored here.
/// </summary>
/// <typeparam name="Q">The chunk.</typeparam>
/// <typeparam name="T">The upper triangle.</typeparam>
/// <typeparam name="TBuf">Device views or host memory.</typeparam>
/// <typeparam name="TFault">Where model mistakes are recorded.</typeparam>
public struct TriangleWithValuesAndGradient<Q, T, TBuf, TFault>(HessianTriangleArguments<Q, T, TBuf, TFault> inner, TBuf result, long valueBase, int outputs, int n)
    : IModelArguments<HessianBlock<Q, T>>
    where Q : struct, IPartials<Q> where T : struct, IHessianTriangle<T, Q> where TBuf : struct, IBuffer where TFault : struct, IFaultRecorder
{
    private HessianTriangleArguments<Q, T, TBuf, TFault> inner = inner;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly HessianBlock<Q, T> Input(int i) => inner.Input(i);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, HessianBlock<Q, T> value)
    {
        inner.Output(j, value);
        if ((uint)j >= (uint)outputs) return;
        result.Store(valueBase + j, value.Value);
        // One store an entry: a point's gradient starts at odd and even indices alike, and the pair
        // stores' branch on it cost PoCL a third of this kernel (perf/RESULTS.md).
        Q.StoreCanonical(value.Partials, new ScalarStores<TBuf>(result), valueBase + outputs + (long)j * n, n);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => inner.Parameter(k);

    /// <summary>Called by the kernel after the evaluation: checks every output was written.</summary>
    public readonly void Finish() => inner.Finish();
}

/// <summary>A buffer whose pair stores are two stores: for runs that start at odd and even indices alike.</summary>
/// <typeparam name="TBuf">The buffer stored to.</typeparam>
public readonly struct ScalarStores<TBuf>(TBuf inner) : IBuffer where TBuf : struct, IBuffer
{
    /// <inheritdoc />
    public long Length => inner.Length;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Load(long i) => inner.Load(i);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(long i, double value) => inner.Store(i, value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(long i, double first, double second)
    {
        inner.Store(i, first);
        inner.Store(i + 1, second);
    }
}
