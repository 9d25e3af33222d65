using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// Jacobians on the host four points at a time, one point a vector lane (<see cref="PointsDual{L}"/>),
/// for models that are plain arithmetic: traced at the job's first point, they neither decide (no
/// comparison, min, max or read of a value) nor apply a derivative rule (no exp, sin, sqrt...), so
/// every point runs the same operations and four can share each instruction. Each lane has the bits
/// the one-point kernel gives its point; the last points that do not fill a group of four, and every
/// other model, take the one-point kernel (<see cref="JacobianKind"/>).
/// </summary>
internal static class AcrossPointsJacobian
{
    /// <summary>
    /// Whether the job can run four points at a time: a Jacobian of a plain-arithmetic model, on a
    /// CPU with 256-bit vectors, with chunks narrower than four columns. Four columns and more fill
    /// the vectors with one point's partials (<see cref="Lanes4"/>), whose stores are contiguous:
    /// across points, Brown's n = 32 Jacobian ran at half their speed (perf/RESULTS.md).
    /// </summary>
    public static bool Applies<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        if (job.Plan.KernelKind != typeof(JacobianKind) || !HostBackend.VectorLanes || job.Plan.Width >= 4 || job.PointCount < 4) return false;
        int n = model.Inputs;
        if (n > IndexMask.MaxInputs) return false; // beyond what the tracer follows
        var first = job.Points.AsSpan(checked((int)(job.FirstPoint * n)), n).ToArray();
        try
        {
            PatternDetection.Run(model, first, 1, job.Parameters, secondOrder: false);
        }
        catch (ModelFaultException)
        {
            return false; // the one-point kernel reports it, at its point
        }
        return !DecisionRecorder.Decided && !DecisionRecorder.Ruled;
    }

    /// <summary>
    /// The job's full groups of four points, at the job's width rounded up to a power of two (the
    /// partials of four points take a vector each); returns how many points it covered, from the job's first.
    /// </summary>
    public static long Run<TModel>(TModel model, KernelJob job, KernelData<PointerBuffer> data, PointerFaultRecorder faults) where TModel : struct, IModel
    {
        var run = new WidthRun<TModel> { Model = model, Job = job, Data = data, Faults = faults };
        switch (BitOperations.RoundUpToPowerOf2((uint)job.Plan.Width))
        {
            case 1: run.Go<PointOne>(); break;
            case 2: run.Go<PointPair<PointOne>>(); break;
            default: run.Go<PointPair<PointPair<PointOne>>>(); break;
        }
        return job.PointCount / 4 * 4;
    }

    private struct WidthRun<TModel> where TModel : struct, IModel
    {
        public TModel Model;
        public KernelJob Job;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;

        public readonly void Go<L>() where L : struct, IPointPartials<L>
        {
            var (model, data, faults, firstPoint) = (Model, Data, Faults, Job.FirstPoint);
            int n = model.Inputs, m = model.Outputs, chunks = DerivativeKernels.ColumnChunks(n, L.Width);
            long tasks = Job.PointCount / 4 * chunks;
            long block = Math.Max(64, tasks / (Environment.ProcessorCount * 8));
            Parallel.For(0L, (tasks + block - 1) / block, b =>
            {
                long end = Math.Min(tasks, (b + 1) * block);
                for (long t = b * block; t < end; t++)
                {
                    long group = t / chunks, point = firstPoint + 4 * group;
                    int chunk = (int)(t - group * chunks);
                    var io = new PointsJacobianArguments<L>(data, point, n, m, chunk * L.Width,
                        new ModelGuard<PointerFaultRecorder>(faults, point, n, m, data.Parameters.Length));
                    model.Evaluate<PointsDual<L>, PointsJacobianArguments<L>>(ref io);
                    io.Finish();
                }
            });
        }
    }
}

/// <summary>Seeds a chunk of columns for four consecutive points and stores each lane's partials in its point's rows.</summary>
internal struct PointsJacobianArguments<L>(KernelData<PointerBuffer> data, long point, int n, int m, int first, ModelGuard<PointerFaultRecorder> guard)
    : IModelArguments<PointsDual<L>> where L : struct, IPointPartials<L>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PointsDual<L> Input(int i)
    {
        if (!guard.Input(i)) i = 0; // recorded; read an input that exists, the batch is discarded
        long at = point * n + i;
        var x = data.Points;
        return new(Vector256.Create(x.Load(at), x.Load(at + n), x.Load(at + 2L * n), x.Load(at + 3L * n)), L.Unit(i - first));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Output(int j, PointsDual<L> value)
    {
        if (!guard.Output(j)) return;
        long stride = (long)m * n, at = point * stride + (long)j * n + first;
        int count = Math.Min(L.Width, n - first);
        var result = data.Result;
        var zero = Vector256<double>.Zero;
        for (int k = 0; k < count; k++)
        {
            // DerivativeEntry.Canonical on the four lanes: zeros as +0, NaNs as double.NaN's bits.
            var d = L.Get(value.Partials, k);
            d = Vector256.ConditionalSelect(Vector256.Equals(d, zero), zero, d);
            d = Vector256.ConditionalSelect(Vector256.Equals(d, d), d, Vector256.Create(double.NaN));
            result.Store(at + k, d.GetElement(0));
            result.Store(at + stride + k, d.GetElement(1));
            result.Store(at + 2 * stride + k, d.GetElement(2));
            result.Store(at + 3 * stride + k, d.GetElement(3));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly double Parameter(int k) => guard.Parameter(k) ? data.Parameters.Load(k) : 0.0;

    public readonly void Finish() => guard.Finish();
}
