using System.Runtime.InteropServices;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Backends;

/// <summary>Host memory as kernel storage: the arrays are pinned for the job, so no copies and no bounds checks.</summary>
internal readonly unsafe struct PointerBuffer(double* data) : IBuffer
{
    public double Load(long i) => data[i];

    public void Store(long i, double value) => data[i] = value;
}

/// <summary>
/// The fast CPU path: the kernel bodies from kernels/ called over ranges of tasks on the thread
/// pool. Same generic code as the device kernels, so the same bits.
/// </summary>
internal sealed class HostBackend : IComputeBackend
{
    public BackendKind Kind => BackendKind.Host;

    public string Device => $"host CPU, {Environment.ProcessorCount} threads";

    // Host memory is the user's own arrays; a batch only bounds the time between progress reports.
    public double MeasureResultBandwidth()
    {
        var target = GC.AllocateUninitializedArray<double>(1 << 25); // 256 MiB
        const int blocks = 64;
        int block = target.Length / blocks;
        return BandwidthProbe.Best(8.0 * target.Length, () =>
            Parallel.For(0, blocks, b => target.AsSpan(b * block, block).Fill(b)));
    }

    public long MaxBatchPoints(int inputs, long resultStride) => Math.Max(1, (1L << 24) / Math.Max(1, resultStride));

    public unsafe void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        var handles = new List<GCHandle>(4);
        try
        {
            double* Pin(double[]? a)
            {
                if (a is null || a.Length == 0) return null;
                var h = GCHandle.Alloc(a, GCHandleType.Pinned);
                handles.Add(h);
                return (double*)h.AddrOfPinnedObject();
            }
            var runner = new Runner<TModel>
            {
                Model = model, Job = job,
                Points = (nint)Pin(job.Points), Directions = (nint)Pin(job.Directions),
                Result = (nint)Pin(job.Result), Parameters = (nint)Pin(job.Parameters),
            };
            ChunkWidths.Dispatch(job.Width, ref runner);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    private struct Runner<TModel> : IWidthVisitor where TModel : struct, IModel
    {
        public TModel Model;
        public KernelJob Job;
        public nint Points, Directions, Result, Parameters;

        public readonly unsafe void Visit<P>() where P : struct, Kernels.Numbers.IPartials<P>
        {
            var model = Model;
            var job = Job;
            long perPoint = KernelJob.TasksPerPoint(job.Kind, model.Inputs, job.Width);
            long first = job.FirstPoint * perPoint, count = job.PointCount * perPoint;
            var x = new PointerBuffer((double*)Points);
            var v = new PointerBuffer((double*)Directions);
            var r = new PointerBuffer((double*)Result);
            var p = new PointerBuffer((double*)Parameters);
            long block = Math.Max(256, count / (Environment.ProcessorCount * 8));
            long blocks = (count + block - 1) / block;
            Parallel.For(0L, blocks, b =>
            {
                long start = first + b * block, end = Math.Min(first + count, start + block);
                switch (job.Kind)
                {
                    case DerivativeKind.Value:
                        for (long t = start; t < end; t++) DerivativeKernels.Value(t, model, x, r, p);
                        break;
                    case DerivativeKind.Jacobian or DerivativeKind.Gradient:
                        for (long t = start; t < end; t++) DerivativeKernels.Jacobian<TModel, P, PointerBuffer>(t, model, x, r, p);
                        break;
                    case DerivativeKind.Jvp:
                        for (long t = start; t < end; t++) DerivativeKernels.Jvp(t, model, x, v, r, p);
                        break;
                    case DerivativeKind.Hessian:
                        for (long t = start; t < end; t++) DerivativeKernels.Hessian<TModel, P, PointerBuffer>(t, model, x, r, p);
                        break;
                    case DerivativeKind.Hvp:
                        for (long t = start; t < end; t++) DerivativeKernels.Hvp<TModel, P, PointerBuffer>(t, model, x, v, r, p);
                        break;
                }
            });
        }
    }

    public void Dispose() { }
}
