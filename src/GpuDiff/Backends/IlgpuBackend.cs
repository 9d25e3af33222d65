using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

/// <summary>
/// Runs the kernels through an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator):
/// uploads a batch of points, launches one thread per task (split above int.MaxValue threads),
/// downloads the results. Device buffers grow to the largest batch and are reused; compiled
/// kernels are cached per (kind, model type, chunk width).
/// </summary>
internal sealed class IlgpuBackend : IComputeBackend
{
    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly Dictionary<(DerivativeKind, Type, int), Delegate> kernels = [];
    private MemoryBuffer1D<double, Stride1D.Dense>? points, directions, result, parameters;
    private readonly object gate = new();

    public IlgpuBackend(BackendKind kind, Context context, Accelerator accelerator)
    {
        Kind = kind;
        this.context = context;
        this.accelerator = accelerator;
    }

    public BackendKind Kind { get; }

    public string Device => $"{accelerator.Name} ({accelerator.AcceleratorType}, {accelerator.MemorySize / (1 << 20)} MiB)";

    public long MaxBatchPoints(int inputs, long resultStride)
    {
        // Half the device memory for points, directions and results; at most 2^22 points so
        // progress and cancellation stay responsive.
        long bytesPerPoint = 8 * (2L * inputs + resultStride);
        long fit = accelerator.MemorySize / 2 / Math.Max(8, bytesPerPoint);
        return Math.Clamp(fit, 1, 1L << 22);
    }

    public void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        lock (gate)
        {
            int n = model.Inputs;
            long stride = KernelJob.ResultStride(job.Kind, n, model.Outputs);
            long xLength = job.PointCount * n, rLength = job.PointCount * stride;
            var x = Ensure(ref points, Math.Max(1, xLength));
            var v = Ensure(ref directions, job.Directions is null ? 1 : Math.Max(1, xLength));
            var r = Ensure(ref result, Math.Max(1, rLength));
            var p = Ensure(ref parameters, Math.Max(1, job.Parameters.Length));
            Flat(x).SubView(0, xLength).CopyFromCPU(job.Points.AsSpan((int)(job.FirstPoint * n), (int)xLength));
            if (job.Directions is not null)
                Flat(v).SubView(0, xLength).CopyFromCPU(job.Directions.AsSpan((int)(job.FirstPoint * n), (int)xLength));
            if (job.Parameters.Length > 0) Flat(p).SubView(0, job.Parameters.Length).CopyFromCPU(job.Parameters);

            var launcher = new Launcher<TModel> { Backend = this, Model = model, Job = job, X = x.View, V = v.View, R = r.View, P = p.View };
            ChunkWidths.Dispatch(job.Width, ref launcher);
            accelerator.Synchronize();
            Flat(r).SubView(0, rLength).CopyToCPU(job.Result.AsSpan((int)(job.FirstPoint * stride), (int)rLength));
        }
    }

    private static ArrayView<double> Flat(MemoryBuffer1D<double, Stride1D.Dense> buffer) => buffer.View;

    private MemoryBuffer1D<double, Stride1D.Dense> Ensure(ref MemoryBuffer1D<double, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = accelerator.Allocate1D<double>(length);
        }
        return buffer;
    }

    private struct Launcher<TModel> : IWidthVisitor where TModel : struct, IModel
    {
        public IlgpuBackend Backend;
        public TModel Model;
        public KernelJob Job;
        public ArrayView<double> X, V, R, P;

        public readonly void Visit<TChunk>() where TChunk : struct, IPartials<TChunk>
        {
            var acc = Backend.accelerator;
            var key = (Job.Kind, typeof(TModel), Job.Width);
            long tasks = Job.PointCount * KernelJob.TasksPerPoint(Job.Kind, Model.Inputs, Job.Width);
            if (Job.Kind is DerivativeKind.Jvp or DerivativeKind.Hvp)
            {
                if (!Backend.kernels.TryGetValue(key, out var d))
                {
                    d = Job.Kind == DerivativeKind.Jvp
                        ? acc.LoadAutoGroupedStreamKernel<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(DeviceEntryPoints.Jvp)
                        : acc.LoadAutoGroupedStreamKernel<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(DeviceEntryPoints.Hvp<TModel, TChunk>);
                    Backend.kernels[key] = d;
                }
                var kernel = (Action<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>)d;
                foreach (var (first, count) in LaunchPlan.Split(tasks)) kernel(count, first, Model, X, V, R, P);
            }
            else
            {
                if (!Backend.kernels.TryGetValue(key, out var d))
                {
                    d = Job.Kind switch
                    {
                        DerivativeKind.Value => acc.LoadAutoGroupedStreamKernel<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>>(DeviceEntryPoints.Value),
                        DerivativeKind.Hessian => acc.LoadAutoGroupedStreamKernel<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>>(DeviceEntryPoints.Hessian<TModel, TChunk>),
                        _ => acc.LoadAutoGroupedStreamKernel<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>>(DeviceEntryPoints.Jacobian<TModel, TChunk>),
                    };
                    Backend.kernels[key] = d;
                }
                var kernel = (Action<Index1D, long, TModel, ArrayView<double>, ArrayView<double>, ArrayView<double>>)d;
                foreach (var (first, count) in LaunchPlan.Split(tasks)) kernel(count, first, Model, X, R, P);
            }
        }
    }

    public void Dispose()
    {
        points?.Dispose();
        directions?.Dispose();
        result?.Dispose();
        parameters?.Dispose();
        accelerator.Dispose();
        context.Dispose();
    }
}
