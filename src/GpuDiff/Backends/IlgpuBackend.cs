using System.Runtime.InteropServices;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.Kernels.Resident;
using ILGPU;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

/// <summary>
/// Runs the kernels through an ILGPU accelerator (CUDA, OpenCL or ILGPU's CPU accelerator).
/// A batch is cut into slices that alternate between two slots, each with its own stream,
/// device buffers and page-locked staging arrays: while the device uploads, computes and
/// downloads one slice, the host copies the previous slice's results out and the next slice's
/// points in. Buffers grow to the largest slice and are reused; kernels are compiled through
/// <see cref="KernelLoader"/> and cached per (kind, model type, chunk width).
/// </summary>
internal sealed partial class IlgpuBackend : IComputeBackend
{
    private const long MinSliceBytes = 16L << 20, MaxSliceBytes = 256L << 20, MinSliceThreads = 1L << 18;

    // PoCL, 2 cores: W2 n = 8's 100,000 points (58 MB of results) in one slice ran at 5.1-5.3 M
    // points/s, in slices of 12,500 or 6,250 (3-6 MiB) at 5.8-6.1 M; W1's 10^6 points in slices
    // of 6,250 lost a third to launches. Enough tasks a slice for every core's work-groups.
    private const long CpuSliceBytes = 4L << 20, CpuSliceTasks = 1L << 12;

    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly KernelLoader loader;
    private readonly Dictionary<(Type, Type, int, int), Delegate> kernels = [];
    private readonly StagingSlot[] slots;
    private MemoryBuffer1D<double, Stride1D.Dense>? parameters, table;
    private readonly object gate = new();

    /// <summary>See <see cref="KernelLoader.MaxSourceBytes"/>.</summary>
    internal long? MaxKernelSourceBytes
    {
        get => loader.MaxSourceBytes;
        set => loader.MaxSourceBytes = value;
    }

    /// <summary>ILGPU's optimization level for this backend's kernels (<see cref="IlgpuOptimization"/>).</summary>
    internal OptimizationLevel Optimization => context.Properties.OptimizationLevel;

    public IlgpuBackend(BackendKind kind, Context context, Accelerator accelerator)
    {
        Kind = kind;
        this.context = context;
        this.accelerator = accelerator;
        loader = new KernelLoader(accelerator);
        slots = [new StagingSlot(accelerator, OnCpuDevice), new StagingSlot(accelerator, OnCpuDevice)];
        Staging = StagedStores.For(accelerator);
        FillTasks = accelerator is ILGPU.Runtime.Cuda.CudaAccelerator ? accelerator.NumMultiprocessors * 1024L : 0;
    }

    public BackendKind Kind { get; }

    // A multiprocessor keeps up to 2,048 threads; half of that, from every one, is where W4's
    // launches of 20,000 threads (W = 16) lost to 80,000 (W = 4) on an H100 (perf/RESULTS.md).
    public long FillTasks { get; internal set; }

    public bool ExactFirstOrderWidths => OnCpuDevice;

    /// <summary>
    /// Whether the device is an OpenCL CPU device (PoCL): its memory is host memory, so slices are
    /// copied straight to and from the caller's arrays (<see cref="StagingSlot"/>) and cut to a few
    /// MiB (<see cref="SlicePoints"/>), and its LLVM runs Hessians by one triangle or blocks of 4
    /// faster than by rows (<see cref="KernelPlan.HessianBlockWidth"/>).
    /// </summary>
    public bool OnCpuDevice => PoclCompatibility.WorkGroupLimit(accelerator) is not null;

    public string Device => $"{accelerator.Name} ({accelerator.AcceleratorType}, {accelerator.MemorySize / (1 << 20)} MiB)";

    // Device memory is bounded by the two slots, not by the batch; batches stay at most 2^22
    // points so progress and cancellation stay responsive.
    public long MaxBatchPoints(int inputs, long resultStride) => 1L << 22;

    // A quarter of the device's memory, at most 2^24 points: few enough batches that the few
    // synchronisations each one costs are lost in its work.
    public long MaxResidentPoints(long bytesPerPoint) => Math.Clamp(accelerator.MemorySize / 4 / Math.Max(1, bytesPerPoint), 1, 1L << 24);

    public double MeasureResultBandwidth()
    {
        lock (gate)
        {
            const long length = 1L << 25; // 256 MiB
            using var device = accelerator.Allocate1D<double>(length);
            device.MemSetToZero();
            var stream = slots[0].Stream;
            if (OnCpuDevice)
            {
                // The path a CPU device's results take (StagingSlot): straight into a pinned array.
                var target = GC.AllocateUninitializedArray<double>((int)length, pinned: true);
                return BandwidthProbe.Best(8.0 * length, () =>
                {
                    ((ArrayView<double>)device.View).CopyToCPUUnsafeAsync(stream, ref target[0], length);
                    stream.Synchronize();
                });
            }
            using var host = accelerator.AllocatePageLocked1D<double>(length, uninitialized: true);
            return BandwidthProbe.Best(8.0 * length, () =>
            {
                host.ArrayView.CopyFrom(stream, (ArrayView<double>)device.View);
                stream.Synchronize();
            });
        }
    }

    public double MeasureDeviceBandwidth()
    {
        lock (gate)
        {
            long length = Math.Min(1L << 28, accelerator.MemorySize / 32); // 2 GiB, or less on a small device
            using var device = accelerator.Allocate1D<double>(length);
            var stream = slots[0].Stream;
            return BandwidthProbe.Best(8.0 * length, () =>
            {
                device.View.MemSetToZero(stream);
                stream.Synchronize();
            });
        }
    }

    /// <summary>A ceiling on points per slice, so tests can push a small batch through many slices and both slots.</summary>
    internal long? SliceCeiling { get; set; }

    /// <summary>
    /// Points per slice: on a GPU enough threads to fill it and enough bytes to amortise a transfer,
    /// within a staging cap; on a CPU device (<see cref="OnCpuDevice"/>) slices of a few MiB, so one
    /// slice's copies (a memcpy in one of PoCL's threads) overlap the next slice's kernel.
    /// </summary>
    internal long SlicePoints(int n, long stride, long tasksPerPoint, long points)
    {
        if (SliceCeiling is long ceiling) points = Math.Min(points, ceiling);
        long bytesPerPoint = 8 * (2L * n + stride);
        long slice = OnCpuDevice
            ? Math.Max(CpuSliceBytes / bytesPerPoint, CpuSliceTasks / Math.Max(1, tasksPerPoint))
            : Math.Max(MinSliceBytes / bytesPerPoint, MinSliceThreads / Math.Max(1, tasksPerPoint));
        slice = Math.Min(slice, Math.Min(MaxSliceBytes, accelerator.MemorySize / 8) / bytesPerPoint);
        return Math.Clamp(slice, 1, Math.Max(1, points));
    }

    public void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        lock (gate)
        {
            int n = model.Inputs;
            long stride = job.Plan.ResultStride;
            long slice = SlicePoints(n, stride, job.Plan.TasksPerPoint, job.PointCount);
            Array.Clear(job.Faults);
            var p = Ensure(ref parameters, Math.Max(1, job.Parameters.Length));
            if (job.Parameters.Length > 0) p.View.SubView(0, job.Parameters.Length).CopyFromCPU(job.Parameters);
            var table = Ensure(ref this.table, Math.Max(1, job.Plan.Table.Length));
            if (job.Plan.Table.Length > 0) table.View.SubView(0, job.Plan.Table.Length).CopyFromCPU(job.Plan.Table);
            int dl = job.Plan.DirectionLength;
            foreach (var s in slots) s.Reserve(slice * n, job.Directions is null ? 0 : slice * dl, slice * stride);

            int next = 0;
            // A CPU device's slots copy straight from and to the job's arrays (StagingSlot), which
            // must stay where they are until the last copy has run.
            GCHandle[] pins = OnCpuDevice ? [.. new[] { job.Points, job.Directions, job.Result }.OfType<double[]>().Select(a => GCHandle.Alloc(a, GCHandleType.Pinned))] : [];
            try
            {
                for (long first = 0; first < job.PointCount; first += slice, next ^= 1)
                {
                    var slot = slots[next];
                    slot.Finish(job.Result, job.Faults);
                    long count = Math.Min(slice, job.PointCount - first), point = job.FirstPoint + first;
                    slot.Stage(job.Points, job.Directions, point * n, count * n, point * dl, count * dl);
                    var launcher = new Launcher<TModel> { Backend = this, Model = model, Job = job, Slot = slot, Points = count,
                        Parameters = p.View.SubView(0, job.Parameters.Length), Table = table.View.SubView(0, job.Plan.Table.Length) };
                    job.Plan.Visit(ref launcher);
                    slot.Collect(job.Result, point * stride, count * stride, point);
                }
                foreach (var s in slots) s.Finish(job.Result, job.Faults);
            }
            finally
            {
                // On failure nothing more is copied out: the engine discards the batch.
                foreach (var s in slots) s.Abandon();
                foreach (var pin in pins) pin.Free();
            }
        }
    }

    public IDeviceStorage Allocate(long length) => new DeviceStorage(this, accelerator.Allocate1D<double>(Math.Max(1, length)), length);

    public unsafe void Upload(double[] source, long sourceOffset, IDeviceStorage target, long targetOffset, long length)
    {
        if (length == 0) return;
        // ILGPU's copy from a ref takes the address without pinning, and the copy may run after
        // the call returns: pinned until the stream has finished, or the GC could move the array
        // under the copy (seen as wrong values under load on PoCL).
        lock (gate)
        {
            fixed (double* pinned = &source[sourceOffset])
            {
                View(target).SubView(targetOffset, length).CopyFromCPU(ResidentStream, ref *pinned, length);
                ResidentStream.Synchronize();
            }
        }
    }

    public unsafe void Download(IDeviceStorage source, long sourceOffset, double[] target, long targetOffset, long length)
    {
        if (length == 0) return;
        lock (gate)
        {
            fixed (double* pinned = &target[targetOffset])
            {
                View(source).SubView(sourceOffset, length).CopyToCPU(ResidentStream, ref *pinned, length);
                ResidentStream.Synchronize();
            }
        }
    }

    public void Operate<TOp>(TOp operation, long count, IDeviceStorage first, IDeviceStorage? second, IDeviceStorage? third) where TOp : struct, IDeviceOperation
    {
        lock (gate)
        {
            var key = (typeof(TOp), typeof(TOp), 0, 0);
            if (!kernels.TryGetValue(key, out var kernel))
            {
                kernel = loader.Load<OperationLaunch<TOp>>(((OperationKernel<TOp>)DeviceEntryPoints.Operate<TOp>).Method, GroupSize.For(accelerator));
                kernels[key] = kernel;
            }
            var launch = (OperationLaunch<TOp>)kernel;
            foreach (var (start, length) in LaunchPlan.Split(count))
                launch(ResidentStream, length, start, operation, View(first), second is null ? default : View(second), third is null ? default : View(third));
            ResidentStream.Synchronize();
        }
    }

    public void RunResident<TModel>(TModel model, KernelPlan plan, IDeviceStorage points, IDeviceStorage? directions, IDeviceStorage result,
        double[] parameters, long firstPoint, long count, long[] faults) where TModel : struct, IModel
    {
        lock (gate)
        {
            var p = Ensure(ref this.parameters, Math.Max(1, parameters.Length));
            if (parameters.Length > 0) p.View.SubView(0, parameters.Length).CopyFromCPU(parameters);
            var table = Ensure(ref this.table, Math.Max(1, plan.Table.Length));
            if (plan.Table.Length > 0) table.View.SubView(0, plan.Table.Length).CopyFromCPU(plan.Table);
            residentFaults ??= accelerator.Allocate1D<long>(3);
            residentFaults.View.MemSetToZero(ResidentStream);
            var launcher = new ResidentLauncher<TModel>
            {
                Backend = this, Model = model, Plan = plan, FirstTask = firstPoint * plan.TasksPerPoint, Tasks = count * plan.TasksPerPoint,
                Points = View(points), Directions = directions is null ? default : View(directions), Result = AlignedResult(View(result)),
                Parameters = p.View.SubView(0, parameters.Length), Table = table.View.SubView(0, plan.Table.Length),
            };
            plan.Visit(ref launcher);
            residentFaults.View.CopyToCPU(ResidentStream, faults);
            ResidentStream.Synchronize();
        }
    }

    private AcceleratorStream ResidentStream => slots[0].Stream;

    // The kernels store pairs of results at even indices as 16-byte vectors (ViewBuffer.StorePair).
    // Every result view starts at a buffer's base, which the drivers align far more; this keeps it so.
    private static ArrayView<double> AlignedResult(ArrayView<double> result) => ViewBuffer.StartsAligned(result) ? result
        : throw new InvalidOperationException("A result view does not start 16-byte aligned, which the kernels' pair stores need; this is a GpuDiff bug, please report it.");

    private MemoryBuffer1D<long, Stride1D.Dense>? residentFaults;

    private ArrayView<double> View(IDeviceStorage storage) =>
        storage is DeviceStorage d && d.Owner == this ? d.Buffer.View.SubView(0, d.Length)
        : throw new ArgumentException("The device array belongs to another engine.", nameof(storage));

    /// <summary>An accelerator's device array.</summary>
    private sealed class DeviceStorage(IlgpuBackend owner, MemoryBuffer1D<double, Stride1D.Dense> buffer, long length) : IDeviceStorage
    {
        public IlgpuBackend Owner { get; } = owner;

        public MemoryBuffer1D<double, Stride1D.Dense> Buffer { get; } = buffer;

        public long Length { get; } = length;

        public void Dispose() => Buffer.Dispose();
    }

    private struct ResidentLauncher<TModel> : IKernelVisitor where TModel : struct, IModel
    {
        public IlgpuBackend Backend;
        public TModel Model;
        public KernelPlan Plan;
        public long FirstTask, Tasks;
        public ArrayView<double> Points, Directions, Result, Parameters, Table;

        public readonly void Visit<TKind, TChunk>() where TKind : struct, IKernelKind where TChunk : struct, IPartials<TChunk>
        {
            Backend.RunTasks<TModel, TKind, TChunk>(Backend.ResidentStream, Plan, FirstTask, Tasks, Model, Points, Directions, Result, Parameters, Table,
                Backend.residentFaults!.View);
        }
    }

    private delegate void OperationKernel<TOp>(Index1D index, long firstIndex, TOp operation, ArrayView<double> first, ArrayView<double> second, ArrayView<double> third);
    private delegate void OperationLaunch<TOp>(AcceleratorStream stream, Index1D index, long firstIndex, TOp operation,
        ArrayView<double> first, ArrayView<double> second, ArrayView<double> third);

    private MemoryBuffer1D<double, Stride1D.Dense> Ensure(ref MemoryBuffer1D<double, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = accelerator.Allocate1D<double>(length);
        }
        return buffer;
    }

    private struct Launcher<TModel> : IKernelVisitor where TModel : struct, IModel
    {
        public IlgpuBackend Backend;
        public TModel Model;
        public KernelJob Job;
        public StagingSlot Slot;
        public long Points;
        public ArrayView<double> Parameters, Table;

        public readonly void Visit<TKind, TChunk>() where TKind : struct, IKernelKind where TChunk : struct, IPartials<TChunk>
        {
            Backend.RunTasks<TModel, TKind, TChunk>(Slot.Stream, Job.Plan, 0, Points * Job.Plan.TasksPerPoint, Model, Slot.DevicePoints,
                Job.Directions is null ? default : Slot.DeviceDirections, AlignedResult(Slot.DeviceResult), Parameters, Table, Slot.DeviceFaults);
        }
    }

    private delegate void Kernel<TModel>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> directions,
        ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table, ArrayView<long> faults);
    private delegate void Launch<TModel>(AcceleratorStream stream, Index1D index, long firstTask, TModel model, ArrayView<double> x,
        ArrayView<double> directions, ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table, ArrayView<long> faults);

    private int disposed;

    public void Dispose()
    {
        // A second Dispose would synchronise streams of a disposed accelerator, which throws.
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        foreach (var s in slots) s.Dispose();
        parameters?.Dispose();
        table?.Dispose();
        residentFaults?.Dispose();
        loader.Dispose();
        accelerator.Dispose();
        context.Dispose();
    }
}
