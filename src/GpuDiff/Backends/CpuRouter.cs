using System.Diagnostics;
using System.Numerics;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Resident;

namespace GpuDiff.Backends;

/// <summary>
/// What Auto gives on a machine whose only OpenCL devices are CPUs (PoCL): the host backend, which
/// starts at once, with each long call timed against PoCL, which compiles a kernel at first use
/// (0.6-1.4 s measured) and then runs the same kernels 1.1x to 30x faster on W1-W4 (perf/RESULTS.md).
/// A call starts on the host; when the rest of it would take the kernel's host time in this
/// process past <see cref="SwitchSeconds"/> (one long call, or many shorter ones, as a solver's
/// loop makes), PoCL compiles the kernel, runs as many points as the host probe did, and the
/// faster of the two finishes the call and every later call of that kernel. The backends give the
/// same bits, so a call split between them is the call on either; PoCL runs the host's chunk width
/// rounded up to a power of two (the widths ILGPU compiles), which gives the same bits too. Calls on
/// device arrays and device operations stay on the host.
/// </summary>
internal sealed class CpuRouter(HostBackend host, Func<IComputeBackend> openPocl, string poclDevice) : IComputeBackend
{
    /// <summary>Host seconds a kernel must have cost, this call's rest included, before PoCL is tried on it.</summary>
    public double SwitchSeconds { get; init; } = 2.0;

    private readonly Lock gate = new();
    private readonly Dictionary<(Type Model, Type Kind, int Width), Route> routes = [];
    private readonly Dictionary<(Type Model, Type Kind, int Width), double> hostTime = [];
    private IComputeBackend? pocl;
    private bool poclFailed;
    private long poclPoints;

    /// <summary>Points computed on PoCL so far, for reports and tests.</summary>
    internal long PoclPoints => Interlocked.Read(ref poclPoints);

    /// <summary>Where a kernel runs once both were timed.</summary>
    internal enum Route { Host, Pocl }

    public long FillTasks => 0;

    public BackendKind Kind => BackendKind.Host;

    public string Device => $"{host.Device}; a kernel that has cost the host over {SwitchSeconds:0.#} s is timed against PoCL ({poclDevice}) and runs on the faster";

    /// <summary>The route each kernel settled on, for reports and tests.</summary>
    internal IReadOnlyDictionary<(Type Model, Type Kind, int Width), Route> Routes
    {
        get
        {
            lock (gate) return new Dictionary<(Type, Type, int), Route>(routes);
        }
    }

    public long MaxBatchPoints(int inputs, long resultStride) => host.MaxBatchPoints(inputs, resultStride);

    public long MaxResidentPoints(long bytesPerPoint) => host.MaxResidentPoints(bytesPerPoint);

    public double MeasureResultBandwidth() => host.MeasureResultBandwidth();

    public double MeasureDeviceBandwidth() => host.MeasureDeviceBandwidth();

    public IDeviceStorage Allocate(long length) => host.Allocate(length);

    public void Upload(double[] source, long sourceOffset, IDeviceStorage target, long targetOffset, long length) =>
        host.Upload(source, sourceOffset, target, targetOffset, length);

    public void Download(IDeviceStorage source, long sourceOffset, double[] target, long targetOffset, long length) =>
        host.Download(source, sourceOffset, target, targetOffset, length);

    public void Operate<TOp>(TOp operation, long count, IDeviceStorage first, IDeviceStorage? second, IDeviceStorage? third) where TOp : struct, IDeviceOperation =>
        host.Operate(operation, count, first, second, third);

    public void RunResident<TModel>(TModel model, KernelPlan plan, IDeviceStorage points, IDeviceStorage? directions, IDeviceStorage result,
        double[] parameters, long firstPoint, long count, long[] faults) where TModel : struct, IModel =>
        host.RunResident(model, plan, points, directions, result, parameters, firstPoint, count, faults);

    public void Run<TModel>(TModel model, KernelJob job) where TModel : struct, IModel
    {
        var key = (typeof(TModel), job.Plan.KernelKind, job.Plan.Width);
        Route? known;
        lock (gate) known = routes.TryGetValue(key, out var r) ? r : null;
        if (known == Route.Pocl && Pocl() is { } settled)
        {
            RunOn(settled, model, ForPocl(job));
            return;
        }
        if (known == Route.Host || job.PointCount < 2)
        {
            host.Run(model, job);
            return;
        }

        // Probe the host on a slice: enough points to time (a 64th of the call, at least 16).
        long probe = Math.Clamp(job.PointCount / 64, 16, job.PointCount), done = probe;
        double hostSeconds = Timed(() => host.Run(model, job with { PointCount = probe }));
        if (job.Faults[0] != 0) return;
        long rest = job.PointCount - done;
        double spent;
        lock (gate) spent = hostTime[key] = hostTime.GetValueOrDefault(key) + hostSeconds;
        if (rest == 0 || spent + hostSeconds / probe * rest < SwitchSeconds || Pocl() is not { } other)
        {
            double restSeconds = Timed(() => host.Run(model, job with { FirstPoint = job.FirstPoint + done, PointCount = rest }));
            lock (gate) hostTime[key] += restSeconds;
            return;
        }

        // The first PoCL call of a kernel compiles it; time the probe after that one. A model the
        // device compilers cannot take (the host runs any struct) stays on the host.
        var poclJob = ForPocl(job);
        try
        {
            ModelVisibility.EnsureCompilable(typeof(TModel));
            RunOn(other, model, poclJob with { FirstPoint = job.FirstPoint + done, PointCount = 1 });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lock (gate) routes[key] = Route.Host;
            host.Run(model, job with { FirstPoint = job.FirstPoint + done, PointCount = rest });
            return;
        }
        if (job.Faults[0] != 0) return;
        long poclProbe = Math.Min(probe, rest);
        double poclSeconds = Timed(() => RunOn(other, model, poclJob with { FirstPoint = job.FirstPoint + done, PointCount = poclProbe }));
        if (job.Faults[0] != 0) return;
        done += poclProbe;
        var route = poclSeconds < hostSeconds ? Route.Pocl : Route.Host;
        lock (gate) routes[key] = route;
        if (done < job.PointCount)
            RunOn(route == Route.Pocl ? other : host, model, (route == Route.Pocl ? poclJob : job) with { FirstPoint = job.FirstPoint + done, PointCount = job.PointCount - done });
    }

    /// <summary>
    /// The job as PoCL runs it: at the widths ILGPU compiles, powers of two (the host's 3 or 12 run
    /// there as 4 or 16), and a dense Hessian, which the host computes by rows, by the blocks an
    /// OpenCL CPU device runs faster (<see cref="KernelPlan.HessianBlockWidth"/>); the same bits.
    /// </summary>
    internal static KernelJob ForPocl(KernelJob job)
    {
        var plan = job.Plan;
        int width = (int)BitOperations.RoundUpToPowerOf2((uint)plan.Width);
        int blocks = plan.KernelKind == typeof(HessianKind) ? KernelPlan.HessianBlockWidth(BackendKind.OpenCL, plan.Inputs, cpuDevice: true) : 0;
        return job with
        {
            Plan = blocks > 0 ? KernelPlan.Dense(DerivativeKind.Hessian, plan.Inputs, plan.Outputs, Math.Min(width, blocks), hessianBlocks: true) : plan.WithWidth(width),
        };
    }

    private void RunOn<TModel>(IComputeBackend backend, TModel model, KernelJob job) where TModel : struct, IModel
    {
        backend.Run(model, job);
        if (!ReferenceEquals(backend, host)) Interlocked.Add(ref poclPoints, job.PointCount);
    }

    private static double Timed(Action run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>PoCL's backend, opened at its first use; null if it cannot be opened (then the host does all).</summary>
    private IComputeBackend? Pocl()
    {
        lock (gate)
        {
            if (pocl is not null || poclFailed) return pocl;
            try
            {
                pocl = openPocl();
            }
            catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or TypeInitializationException or NotSupportedException)
            {
                poclFailed = true;
            }
            return pocl;
        }
    }

    public void Dispose()
    {
        lock (gate) pocl?.Dispose();
        host.Dispose();
    }
}
