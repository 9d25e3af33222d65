using System.Runtime.InteropServices;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Backends;

/// <summary>Host memory as kernel storage: the arrays are pinned for the job, so no copies and no bounds checks.</summary>
internal readonly unsafe struct PointerBuffer(double* data, long length) : IBuffer
{
    public long Length => length;

    public double Load(long i) => data[i];

    public void Store(long i, double value) => data[i] = value;

    public void StorePair(long i, double first, double second)
    {
        data[i] = first;
        data[i + 1] = second;
    }

    /// <summary>Elements start to start + count - 1 set to +0.</summary>
    public void Clear(long start, int count) => new Span<double>(data + start, count).Clear();

    /// <summary>Elements i and i + 1 from one 128-bit vector.</summary>
    public void StoreVector(long i, System.Runtime.Intrinsics.Vector128<double> value) => System.Runtime.Intrinsics.Vector128.Store(value, data + i);

    /// <summary>Elements i to i + 3 from one vector.</summary>
    public void StoreVector(long i, System.Runtime.Intrinsics.Vector256<double> value) => System.Runtime.Intrinsics.Vector256.Store(value, data + i);
}

/// <summary>The fault cells in host memory; the first mistake claims cell 0 with an atomic exchange.</summary>
internal readonly unsafe struct PointerFaultRecorder(long* cells) : IFaultRecorder
{
    public void Record(ModelFault fault, int index, long point)
    {
        if (Interlocked.CompareExchange(ref cells[0], (long)fault, 0L) != 0L) return;
        cells[1] = index;
        cells[2] = point;
    }
}

/// <summary>
/// The fast CPU path: the kernel bodies from kernels/ called over ranges of tasks on the thread
/// pool. Same generic code as the device kernels, so the same bits.
/// </summary>
internal sealed class HostBackend : IComputeBackend
{
    public long FillTasks => 0;

    public bool ExactFirstOrderWidths => true;

    public BackendKind Kind => BackendKind.Host;

    public string Device => Description;

    /// <summary>What <c>gpudiff devices</c> and the bench header say of the host: threads, and whether partials run in vector lanes.</summary>
    internal static string Description =>
        $"host CPU, {Environment.ProcessorCount} threads, {(VectorLanes ? "partials 4 to a 256-bit vector; 4 points to one for narrow chunks of decision-free models" : "scalar partials")}";

    // Host memory is the user's own arrays; a batch only bounds the time between progress reports.
    public double MeasureResultBandwidth()
    {
        var target = GC.AllocateUninitializedArray<double>(1 << 25); // 256 MiB
        const int blocks = 64;
        int block = target.Length / blocks;
        return BandwidthProbe.Best(8.0 * target.Length, () =>
            Parallel.For(0, blocks, b => target.AsSpan(b * block, block).Fill(b)));
    }

    // The device is host memory: the same fill.
    public double MeasureDeviceBandwidth() => MeasureResultBandwidth();

    // Host memory is the caller's to fill; a batch bounds only the time between progress reports.
    public long MaxResidentPoints(long bytesPerPoint) => Math.Max(1, (8L << 24) / Math.Max(1, bytesPerPoint));

    public long MaxBatchPoints(int inputs, long resultStride) => Math.Max(1, (1L << 24) / Math.Max(1, resultStride));

    public unsafe void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        Array.Clear(job.Faults);
        var handles = new List<GCHandle>(6);
        try
        {
            nint Pin(Array? a)
            {
                if (a is null || a.Length == 0) return 0;
                var h = GCHandle.Alloc(a, GCHandleType.Pinned);
                handles.Add(h);
                return h.AddrOfPinnedObject();
            }
            var runner = new Runner<TModel>
            {
                Model = model, Job = job,
                Points = Pin(job.Points), Directions = Pin(job.Directions),
                Result = Pin(job.Result), Parameters = Pin(job.Parameters), Table = Pin(job.Plan.Table), Faults = Pin(job.Faults),
            };
            if (AcrossPoints.FourPointKernels.Applies(model, job))
            {
                long done = AcrossPoints.FourPointKernels.Run(model, job, runner.Data(), new PointerFaultRecorder((long*)runner.Faults));
                if (job.Faults[0] != 0 || done == job.PointCount) return;
                runner.Job = job with { FirstPoint = job.FirstPoint + done, PointCount = job.PointCount - done };
            }
            job.Plan.Visit(ref runner, VectorLanes);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // A model that throws on the host surfaces as itself, as it would on one thread.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    /// <summary>
    /// Whether partials run four to a 256-bit vector (<see cref="Lanes4"/>, the same bits): where the
    /// CPU has such vectors, unless GPUDIFF_HOST_VECTORS=0 asks for the scalar chunks (to compare).
    /// </summary>
    internal static readonly bool VectorLanes = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated
        && Environment.GetEnvironmentVariable("GPUDIFF_HOST_VECTORS") != "0";

    private struct Runner<TModel> : IKernelVisitor where TModel : struct, IModel
    {
        public TModel Model;
        public KernelJob Job;
        public nint Points, Directions, Result, Parameters, Table, Faults;

        // Lengths matter only for the parameters, whose length is the model's declared count;
        // the guard keeps every other index inside the job's arrays.
        public readonly unsafe KernelData<PointerBuffer> Data() => new(
            new PointerBuffer((double*)Points, Job.Points.LongLength),
            new PointerBuffer((double*)Directions, Job.Directions?.LongLength ?? 0),
            new PointerBuffer((double*)Result, Job.Result.LongLength),
            new PointerBuffer((double*)Parameters, Job.Parameters.LongLength),
            new PointerBuffer((double*)Table, Job.Plan.Table.LongLength));

        public readonly unsafe void Visit<TKind, P>() where TKind : struct, IKernelKind where P : struct, Kernels.Numbers.IPartials<P>
        {
            var model = Model;
            var job = Job;
            long perPoint = job.Plan.TasksPerPoint;
            long first = job.FirstPoint * perPoint, count = job.PointCount * perPoint;
            var data = Data();
            var f = new PointerFaultRecorder((long*)Faults);
            long block = Math.Max(256, count / (Environment.ProcessorCount * 8));
            long blocks = (count + block - 1) / block;
            Parallel.For(0L, blocks, b =>
            {
                long start = first + b * block, end = Math.Min(first + count, start + block);
                for (long t = start; t < end; t++) TKind.Run<TModel, P, PointerBuffer, PointerFaultRecorder>(t, model, data, f);
            });
        }
    }

    public IDeviceStorage Allocate(long length)
    {
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The host backend keeps device arrays in one .NET array, at most {Array.MaxLength} values.");
        return new HostStorage(GC.AllocateUninitializedArray<double>((int)length));
    }

    public void Upload(double[] source, long sourceOffset, IDeviceStorage target, long targetOffset, long length) =>
        BulkCopy.Run(source, sourceOffset, ((HostStorage)target).Array, targetOffset, length);

    public void Download(IDeviceStorage source, long sourceOffset, double[] target, long targetOffset, long length) =>
        BulkCopy.Run(((HostStorage)source).Array, sourceOffset, target, targetOffset, length);

    public unsafe void Operate<TOp>(TOp operation, long count, IDeviceStorage first, IDeviceStorage? second, IDeviceStorage? third) where TOp : struct, IDeviceOperation
    {
        double[] a = ((HostStorage)first).Array, b = (second as HostStorage)?.Array ?? [], c = (third as HostStorage)?.Array ?? [];
        fixed (double* pa = a, pb = b, pc = c)
        {
            // The engine sizes every buffer for the operation before it gets here, so no index leaves them.
            var (x, y, z) = (new PointerBuffer(pa, a.LongLength), new PointerBuffer(pb, b.LongLength), new PointerBuffer(pc, c.LongLength));
            long block = Math.Max(1024, count / (Environment.ProcessorCount * 8));
            Parallel.For(0L, (count + block - 1) / block, k =>
            {
                for (long i = k * block, end = Math.Min(count, i + block); i < end; i++) operation.Run(i, x, y, z);
            });
        }
    }

    public void RunResident<TModel>(TModel model, KernelPlan plan, IDeviceStorage points, IDeviceStorage? directions, IDeviceStorage result,
        double[] parameters, long firstPoint, long count, long[] faults) where TModel : struct, IModel =>
        Run(model, new KernelJob(plan, ((HostStorage)points).Array, (directions as HostStorage)?.Array, ((HostStorage)result).Array, parameters, firstPoint, count, faults));

    public void Dispose() { }

    /// <summary>A host backend's device array: a plain .NET array.</summary>
    private sealed class HostStorage(double[] array) : IDeviceStorage
    {
        public double[] Array { get; } = array;

        public long Length => Array.LongLength;

        public void Dispose() { }
    }
}
