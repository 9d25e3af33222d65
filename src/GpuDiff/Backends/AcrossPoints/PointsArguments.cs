using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>What the arguments of every kind do alike: read four points' inputs, store four lanes canonically.</summary>
internal static class PointLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(PointerBuffer points, long at, int n) =>
        Vector256.Create(points.Load(at), points.Load(at + n), points.Load(at + 2L * n), points.Load(at + 3L * n));

    /// <summary>DerivativeEntry.Canonical on the four lanes: zeros as +0, NaNs as double.NaN's bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Canonical(Vector256<double> d)
    {
        var zero = Vector256<double>.Zero;
        d = Vector256.ConditionalSelect(Vector256.Equals(d, zero), zero, d);
        return Vector256.ConditionalSelect(Vector256.Equals(d, d), d, Vector256.Create(double.NaN));
    }

    /// <summary>The four lanes, each to its point's cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PointerBuffer result, long at, long stride, Vector256<double> d)
    {
        result.Store(at, d.GetElement(0));
        result.Store(at + stride, d.GetElement(1));
        result.Store(at + 2 * stride, d.GetElement(2));
        result.Store(at + 3 * stride, d.GetElement(3));
    }

    /// <summary>The four lanes canonical, each to its point's cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreCanonical(PointerBuffer result, long at, long stride, Vector256<double> d)
    {
        Store(result, at, stride, Canonical(d));
    }
}

/// <summary>
/// Seeds a chunk of columns for four consecutive points and stores each lane's partials in its
/// point's rows: <see cref="JacobianKind"/>'s layout, or with <paramref name="withValues"/>
/// <see cref="ValueJacobianKind"/>'s (each point's m values, then its Jacobian; the first chunk's
/// task stores the values).
/// </summary>
internal struct PointsJacobianArguments<L>(KernelData<PointerBuffer> data, long point, int n, int m, int first, ModelGuard<PointerFaultRecorder> guard, bool withValues)
    : IModelArguments<PointsDual<L>> where L : struct, IPointPartials<L>
{
    private readonly long pointStride = withValues ? m + (long)m * n : (long)m * n;

    public static int Chunks(KernelData<PointerBuffer> data, int n) => DerivativeKernels.ColumnChunks(n, L.Width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsDual<L> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        return new(PointLanes.Load(data.Points, point * n + i, n), L.Unit(i - first));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsDual<L> value)
    {
        if (!guard.Output(j)) return;
        long stride = pointStride, values = point * stride, at = values + (withValues ? m : 0) + (long)j * n + first;
        int count = Math.Min(L.Width, n - first);
        if (count == L.Width && Avx.IsSupported && L.Width is 2 or 4) StoreRows(value.Partials, at, stride);
        else for (int k = 0; k < count; k++) PointLanes.StoreCanonical(data.Result, at + k, stride, L.Get(value.Partials, k));
        if (withValues && first == 0) PointLanes.Store(data.Result, values + j, stride, value.Value); // as they are, signs of zeros too
    }

    /// <summary>
    /// A whole chunk of each lane's row: its partials are neighbours in its point's row, so the
    /// lanes are transposed and each point's 2 or 4 entries leave in one store (not one a lane and partial).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void StoreRows(L p, long at, long stride)
    {
        var result = data.Result;
        var d0 = PointLanes.Canonical(L.Get(p, 0));
        var d1 = PointLanes.Canonical(L.Get(p, 1));
        var even = Avx.UnpackLow(d0, d1); // (d0, d1) of lanes 0 and 2
        var odd = Avx.UnpackHigh(d0, d1); // of lanes 1 and 3
        if (L.Width == 2)
        {
            result.StoreVector(at, even.GetLower());
            result.StoreVector(at + stride, odd.GetLower());
            result.StoreVector(at + 2 * stride, even.GetUpper());
            result.StoreVector(at + 3 * stride, odd.GetUpper());
            return;
        }
        var d2 = PointLanes.Canonical(L.Get(p, 2));
        var d3 = PointLanes.Canonical(L.Get(p, 3));
        var even23 = Avx.UnpackLow(d2, d3);
        var odd23 = Avx.UnpackHigh(d2, d3);
        result.StoreVector(at, Avx.Permute2x128(even, even23, 0x20));
        result.StoreVector(at + stride, Avx.Permute2x128(odd, odd23, 0x20));
        result.StoreVector(at + 2 * stride, Avx.Permute2x128(even, even23, 0x31));
        result.StoreVector(at + 3 * stride, Avx.Permute2x128(odd, odd23, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}

/// <summary>
/// <see cref="CompressedJacobianKind"/>'s arguments for four points: each input seeded with its
/// colour's unit, each output's entries in the pattern taken from the partial of their column's
/// colour (its table: colours, entries, each input's colour, row starts, each entry's colour).
/// </summary>
internal struct PointsCompressedJacobianArguments<L>(KernelData<PointerBuffer> data, long point, int n, int m, int first, ModelGuard<PointerFaultRecorder> guard)
    : IModelArguments<PointsDual<L>> where L : struct, IPointPartials<L>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Table(long i) => (int)data.Table.Load(i);

    public static int Chunks(KernelData<PointerBuffer> data, int n) => ((int)data.Table.Load(0) + L.Width - 1) / L.Width;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsDual<L> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(PointLanes.Load(data.Points, point * n + i, n), L.Unit(Table(2 + i) - first));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsDual<L> value)
    {
        if (!guard.Output(j)) return;
        long entries = Table(1), rows = 2 + n, colours = 3 + n + m, at = point * entries;
        int end = Table(rows + j + 1);
        for (int e = Table(rows + j); e < end; e++)
        {
            int k = Table(colours + e) - first;
            if ((uint)k < (uint)L.Width) PointLanes.StoreCanonical(data.Result, at + e, entries, L.Get(value.Partials, k));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}

/// <summary><see cref="JvpKind"/> for four points: each point's own direction as its lane's one partial, J v stored per output.</summary>
internal struct PointsJvpArguments(KernelData<PointerBuffer> data, long point, int n, int m, ModelGuard<PointerFaultRecorder> guard)
    : IModelArguments<PointsDual<PointOne>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsDual<PointOne> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        long at = point * n + i;
        return new(PointLanes.Load(data.Points, at, n), new PointOne { D = PointLanes.Load(data.Directions, at, n) });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsDual<PointOne> value)
    {
        if (guard.Output(j)) PointLanes.StoreCanonical(data.Result, point * m + j, m, value.Partials.D);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}

/// <summary><see cref="ValueKind"/> for four points: f alone (numbers without partials), each value stored as it is.</summary>
internal struct PointsValueArguments(KernelData<PointerBuffer> data, long point, int n, int m, ModelGuard<PointerFaultRecorder> guard)
    : IModelArguments<PointsDual<PointNone>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsDual<PointNone> Input(int i)
    {
        if (!guard.Input(i)) i = 0;
        return new(PointLanes.Load(data.Points, point * n + i, n), default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsDual<PointNone> value)
    {
        if (guard.Output(j)) PointLanes.Store(data.Result, point * m + j, m, value.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
