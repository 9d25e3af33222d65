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
/// element sums' gradients and Hessians (<see cref="PointsHyperDual{L}"/>), for models that are
/// arithmetic and functions of one variable: traced at the job's first point, they neither decide
/// (no comparison, min, max or read of a value) nor call a function outside the rules' list
/// (two-argument functions, SinCos, powers, rounding: <see cref="DecisionRecorder.Ruled"/>), so
/// every point runs the same operations and four can share each instruction. Each lane has the bits the one-point kernel gives its
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
    /// partials of four points take a vector each; values and J v have their own, none and one);
    /// returns how many points it covered, from the job's first.
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
            var (model, data, faults, kind) = (Model, Data, Faults, Job.Plan.KernelKind);
            int n = model.Inputs;
            if (kind == typeof(ElementSumKind))
            {
                var layout = PointsElementSumArguments<L>.Layout(data, n, model.Outputs);
                Loop(new ElementSumTask<TModel, L> { Model = model, Data = data, Faults = faults, Layout = layout, Chunks = PointsElementSumArguments<L>.ColourChunks(data) },
                    PointsElementSumArguments<L>.TasksPerPoint(data));
            }
            else if (kind == typeof(CompressedJacobianKind))
                Loop(new CompressedJacobianTask<TModel, L> { Model = model, Data = data, Faults = faults }, PointsCompressedJacobianArguments<L>.Chunks(data, n));
            else if (kind == typeof(ValueKind)) Loop(new ValuesTask<TModel> { Model = model, Data = data, Faults = faults }, 1);
            else if (kind == typeof(JvpKind)) Loop(new JvpTask<TModel> { Model = model, Data = data, Faults = faults }, 1);
            else
                Loop(new JacobianTask<TModel, L> { Model = model, Data = data, Faults = faults, WithValues = kind == typeof(ValueJacobianKind) },
                    PointsJacobianArguments<L>.Chunks(data, n));
        }

        /// <summary>
        /// The job's groups of four points, <paramref name="perPoint"/> tasks each, whole groups a block
        /// (an element sum clears a group's results before its first task). Each kind's task is its
        /// own struct, so each loop is compiled for one kind: one loop branching on the kind had
        /// grown its frame and cost W1 a fifth.
        /// </summary>
        private readonly void Loop<TTask>(TTask task, int perPoint) where TTask : struct, IGroupTask
        {
            long firstPoint = Job.FirstPoint, tasks = Job.PointCount / 4 * perPoint;
            long block = (Math.Max(64, tasks / (Environment.ProcessorCount * 8)) + perPoint - 1) / perPoint * perPoint;
            Parallel.For(0L, (tasks + block - 1) / block, b =>
            {
                var local = task;
                long end = Math.Min(tasks, (b + 1) * block);
                for (long t = b * block; t < end; t++)
                {
                    long group = t / perPoint;
                    local.Run(firstPoint + 4 * group, (int)(t - group * perPoint));
                }
            });
        }
    }

    /// <summary>
    /// One kind's work for a group of four points and its task number within the group. Each
    /// builds its arguments in place with their guard: built by a factory, or with a guard built
    /// outside, they were copied twice a task (W1 -20 %).
    /// </summary>
    private interface IGroupTask
    {
        void Run(long point, int rest);
    }

    private struct JacobianTask<TModel, L> : IGroupTask where TModel : struct, IModel where L : struct, IPointPartials<L>
    {
        public TModel Model;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;
        public bool WithValues;

        public void Run(long point, int rest)
        {
            int n = Model.Inputs, m = Model.Outputs;
            var io = new PointsJacobianArguments<L>(Data, point, n, m, rest * L.Width, new(Faults, point, n, m, Data.Parameters.Length), WithValues);
            Model.Evaluate<PointsDual<L>, PointsJacobianArguments<L>>(ref io);
            io.Finish();
        }
    }

    private struct CompressedJacobianTask<TModel, L> : IGroupTask where TModel : struct, IModel where L : struct, IPointPartials<L>
    {
        public TModel Model;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;

        public void Run(long point, int rest)
        {
            int n = Model.Inputs, m = Model.Outputs;
            var io = new PointsCompressedJacobianArguments<L>(Data, point, n, m, rest * L.Width, new(Faults, point, n, m, Data.Parameters.Length));
            Model.Evaluate<PointsDual<L>, PointsCompressedJacobianArguments<L>>(ref io);
            io.Finish();
        }
    }

    private struct ValuesTask<TModel> : IGroupTask where TModel : struct, IModel
    {
        public TModel Model;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;

        public void Run(long point, int rest)
        {
            int n = Model.Inputs, m = Model.Outputs;
            var io = new PointsValueArguments(Data, point, n, m, new(Faults, point, n, m, Data.Parameters.Length));
            Model.Evaluate<PointsDual<PointNone>, PointsValueArguments>(ref io);
            io.Finish();
        }
    }

    private struct JvpTask<TModel> : IGroupTask where TModel : struct, IModel
    {
        public TModel Model;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;

        public void Run(long point, int rest)
        {
            int n = Model.Inputs, m = Model.Outputs;
            var io = new PointsJvpArguments(Data, point, n, m, new(Faults, point, n, m, Data.Parameters.Length));
            Model.Evaluate<PointsDual<PointOne>, PointsJvpArguments>(ref io);
            io.Finish();
        }
    }

    private struct ElementSumTask<TModel, L> : IGroupTask where TModel : struct, IModel where L : struct, IPointPartials<L>
    {
        public TModel Model;
        public KernelData<PointerBuffer> Data;
        public PointerFaultRecorder Faults;
        public ElementSumLayout Layout;
        public int Chunks;

        public void Run(long point, int rest)
        {
            int n = Model.Inputs, m = Model.Outputs;
            if (rest == 0) PointsElementSumArguments<L>.ZeroGroup(Data, Layout, point);
            var io = new PointsElementSumArguments<L>(Data, Layout, point, rest / Chunks, rest % Chunks * L.Width, new(Faults, point, n, m, Data.Parameters.Length));
            Model.Evaluate<PointsHyperDual<L>, PointsElementSumArguments<L>>(ref io);
            io.Finish();
        }
    }
}
