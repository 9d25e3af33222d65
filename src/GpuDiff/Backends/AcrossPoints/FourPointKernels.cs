using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Backends.AcrossPoints;

/// <summary>
/// Kernels on the host four points at a time, one point a vector lane: values, J v and Jacobians,
/// dense (with or without the values) and compressed (<see cref="PointsDual{L}"/>), and the
/// element sums' gradients and Hessians (<see cref="PointsHyperDual{L}"/>), for models that are arithmetic and functions of one
/// variable: traced at the job's first point, they neither decide (no comparison, min, max or read
/// of a value) nor call a function outside the rules' list (two-argument functions, SinCos,
/// powers, rounding: <see cref="DecisionRecorder.Ruled"/>), so every point runs the same operations
/// and four can share each instruction. Each lane has the bits the one-point kernel gives its
/// point; the last points that do not fill a group of four, and every other job, take the one-point kernel.
/// </summary>
internal static class FourPointKernels
{
    /// <summary>
    /// Whether the job can run four points at a time: a kind above of such a model, on a CPU with
    /// 256-bit vectors; dense Jacobians with chunks narrower than four columns, compressed ones and
    /// element sums with up to four colours a chunk. Four columns and more of a dense Jacobian fill
    /// the vectors with one point's partials (<see cref="Lanes4"/>), whose stores are contiguous:
    /// across points, Brown's n = 32 Jacobian ran at half their speed (perf/RESULTS.md); a
    /// compressed row or an element stores only its few entries, so four points share more than
    /// the stores cost. Compressed Hessians stay on the one-point kernel: four points at a time
    /// ran W2-8-sparse's three colours 0.85-0.92x as fast (a hyper-dual of four points holds as many
    /// vectors a point as one point's chunk of four does).
    /// </summary>
    public static bool Applies<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        var kind = job.Plan.KernelKind;
        bool fits = kind == typeof(JacobianKind) || kind == typeof(ValueJacobianKind) ? job.Plan.Width < 4
            : kind == typeof(JvpKind) || kind == typeof(ValueKind) ? true
            : (kind == typeof(CompressedJacobianKind) || kind == typeof(ElementSumKind)) && job.Plan.Width <= 4;
        if (!HostBackend.VectorLanes || job.PointCount < 4 || !fits) return false;
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
        switch (job.Plan.KernelKind == typeof(ValueKind) ? 0 : job.Plan.KernelKind == typeof(JvpKind) ? 1 : BitOperations.RoundUpToPowerOf2((uint)job.Plan.Width))
        {
            case 0: run.Go<PointNone>(); break;
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
            var kind = Job.Plan.KernelKind;
            bool compressed = kind == typeof(CompressedJacobianKind), elements = kind == typeof(ElementSumKind), jvp = kind == typeof(JvpKind);
            bool withValues = kind == typeof(ValueJacobianKind), valuesOnly = kind == typeof(ValueKind);
            int n = model.Inputs, m = model.Outputs;
            int chunks = compressed ? PointsCompressedJacobianArguments<L>.Chunks(data, n)
                : elements ? PointsElementSumArguments<L>.ColourChunks(data)
                : jvp || valuesOnly ? 1
                : PointsJacobianArguments<L>.Chunks(data, n);
            int perPoint = elements ? PointsElementSumArguments<L>.TasksPerPoint(data) : chunks;
            var layout = elements ? PointsElementSumArguments<L>.Layout(data, n, m) : default;
            long tasks = Job.PointCount / 4 * perPoint;
            // Whole groups a block: an element sum zeroes a group's results before its first task.
            long block = (Math.Max(64, tasks / (Environment.ProcessorCount * 8)) + perPoint - 1) / perPoint * perPoint;
            Parallel.For(0L, (tasks + block - 1) / block, b =>
            {
                long end = Math.Min(tasks, (b + 1) * block);
                for (long t = b * block; t < end; t++)
                {
                    long group = t / perPoint, point = firstPoint + 4 * group;
                    int rest = (int)(t - group * perPoint), first = rest % chunks * L.Width;
                    // Each arguments built in place with its guard: a factory or a guard built
                    // outside cost two copies of them a task (W1 -20 %).
                    if (elements)
                    {
                        if (rest == 0) PointsElementSumArguments<L>.ZeroGroup(data, layout, point);
                        var io = new PointsElementSumArguments<L>(data, layout, point, rest / chunks, first, new(faults, point, n, m, data.Parameters.Length));
                        model.Evaluate<PointsHyperDual<L>, PointsElementSumArguments<L>>(ref io);
                        io.Finish();
                    }
                    else if (compressed)
                    {
                        var io = new PointsCompressedJacobianArguments<L>(data, point, n, m, first, new(faults, point, n, m, data.Parameters.Length));
                        Evaluate<L, PointsCompressedJacobianArguments<L>>(model, ref io);
                    }
                    else if (valuesOnly)
                    {
                        var io = new PointsValueArguments(data, point, n, m, new(faults, point, n, m, data.Parameters.Length));
                        Evaluate<PointNone, PointsValueArguments>(model, ref io);
                    }
                    else if (jvp)
                    {
                        var io = new PointsJvpArguments(data, point, n, m, new(faults, point, n, m, data.Parameters.Length));
                        Evaluate<PointOne, PointsJvpArguments>(model, ref io);
                    }
                    else
                    {
                        var io = new PointsJacobianArguments<L>(data, point, n, m, first, new(faults, point, n, m, data.Parameters.Length), withValues);
                        Evaluate<L, PointsJacobianArguments<L>>(model, ref io);
                    }
                }
            });
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Evaluate<L, TArgs>(TModel model, ref TArgs io) where L : struct, IPointPartials<L> where TArgs : struct, IPointsArguments<L, TArgs>
        {
            model.Evaluate<PointsDual<L>, TArgs>(ref io);
            io.Finish();
        }
    }
}
