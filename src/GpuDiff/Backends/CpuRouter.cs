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
/// (0.6 s to over a minute) and then runs some kernels much faster (W2's Hessians 5-15x) and
/// others slower (Brown's Jacobian 0.3x; perf/RESULTS.md). A call starts on the host; when the
/// rest of it would take the kernel's host time in this process past <see cref="SwitchSeconds"/>
/// (<see cref="SecondOrderSwitchSeconds"/>; one long call, or many shorter ones, as a solver's
/// loop makes), PoCL compiles the kernel in the background while the host goes on; once compiled,
/// PoCL runs as many points as the host probe did, and the faster of the two finishes the call
/// (or the next one) and every later call of that kernel. The backends give the
/// same bits, so a call split between them is the call on either; PoCL runs a second-order kernel at
/// the host's chunk width rounded up to a power of two, which gives the same bits too. Calls on
/// device arrays and device operations stay on the host.
/// </summary>
internal sealed class CpuRouter(HostBackend host, Func<IComputeBackend> openPocl, string poclDevice) : IComputeBackend
{
    /// <summary>
    /// Host seconds a first-order kernel must have cost, this call's rest included, before PoCL
    /// compiles it. The compile runs beside the host and takes one of its cores (0.6-3 s for a
    /// Jacobian), while PoCL runs first-order kernels at 0.3x to 1.3x the host (W4, W3): tried
    /// sooner, W1's and W4's short calls under Auto ran at half speed while a compile PoCL then
    /// lost took a core (perf/RESULTS.md).
    /// </summary>
    public double SwitchSeconds { get; init; } = DefaultSwitchSeconds;

    /// <summary>See <see cref="SwitchSeconds"/>.</summary>
    public const double DefaultSwitchSeconds = 2.0;

    /// <summary>
    /// The same for a second-order kernel (Hessians, Hvp, element sums), which PoCL runs 5x to 15x
    /// faster than the host (W2 n = 8 and 64): worth a compile sooner (the smaller of this and
    /// <see cref="SwitchSeconds"/>). At 2 s W2 n = 8's calls of 0.2 s stayed on the host at 0.45 M
    /// points/s where PoCL runs 3.7 M.
    /// </summary>
    public double SecondOrderSwitchSeconds { get; init; } = DefaultSecondOrderSwitchSeconds;

    /// <summary>See <see cref="SecondOrderSwitchSeconds"/>.</summary>
    public const double DefaultSecondOrderSwitchSeconds = 0.5;

    /// <summary>
    /// The longest OpenCL C a background compile hands to PoCL; a longer kernel settles on the host.
    /// PoCL's LLVM time and memory grow faster than the source: text models of sines times inputs
    /// gave 2.3 MB (a gradient of 40 inputs) in 7 s, 4.6 MB (80) in 21 s, about 9 MB (150) in 82 s
    /// with the process at 4.8 GB, and the Hessian of 300 inputs ran for over 25 minutes at 12 GB
    /// on the 2-core machine (perf/RESULTS.md); every bench kernel is under 0.5 MB. The limit keeps
    /// Auto's compile beside the host to well under a minute; <c>--backend opencl</c> has none.
    /// </summary>
    public long MaxPoclSourceBytes { get; init; } = DefaultMaxPoclSourceBytes;

    /// <summary>See <see cref="MaxPoclSourceBytes"/>.</summary>
    public const long DefaultMaxPoclSourceBytes = 6L << 20;

    private double ThresholdFor(KernelPlan plan) => plan.SecondOrder ? Math.Min(SwitchSeconds, SecondOrderSwitchSeconds) : SwitchSeconds;

    private readonly Lock gate = new();
    private readonly Lock opening = new();
    private readonly Dictionary<(Type Model, Type Kind, int Width), Route> routes = [];
    private readonly Dictionary<(Type Model, Type Kind, int Width), double> hostTime = [];
    private readonly Dictionary<(Type Model, Type Kind, int Width), Task<bool>> compiles = [];
    private IComputeBackend? pocl;
    private bool poclFailed;
    private long poclPoints;

    /// <summary>Points computed on PoCL so far, for reports and tests.</summary>
    internal long PoclPoints => Interlocked.Read(ref poclPoints);

    /// <summary>Where a kernel runs once both were timed.</summary>
    internal enum Route { Host, Pocl }

    public long FillTasks => 0;

    public bool ExactFirstOrderWidths => true;

    public BackendKind Kind => BackendKind.Host;

    public string Device => $"{host.Device}; a kernel that has cost the host over {SwitchSeconds:0.#} s (a second-order one {Math.Min(SwitchSeconds, SecondOrderSwitchSeconds):0.#} s) is compiled for PoCL ({poclDevice}) beside the host and runs on the faster";

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

        // Probe the host on a slice: enough points to time (a 64th of the call, at least 16, at
        // most the call: Math.Clamp throws where the call has fewer points than its minimum).
        long probe = Math.Min(Math.Max(job.PointCount / 64, 16), job.PointCount), done = probe;
        double hostSeconds = Timed(() => host.Run(model, job with { PointCount = probe }));
        if (job.Faults[0] != 0) return;
        Task<bool>? compile;
        double spent;
        lock (gate)
        {
            spent = hostTime[key] = hostTime.GetValueOrDefault(key) + hostSeconds;
            compile = compiles.GetValueOrDefault(key);
        }
        long rest = job.PointCount - done;
        if (compile is null)
        {
            bool missing;
            lock (gate) missing = poclFailed;
            if (rest == 0 || spent + hostSeconds / probe * rest < ThresholdFor(job.Plan) || missing)
            {
                double restSeconds = Timed(() => host.Run(model, job with { FirstPoint = job.FirstPoint + done, PointCount = rest }));
                lock (gate) hostTime[key] += restSeconds;
                return;
            }
            compile = StartCompile(model, job, key);
        }

        // The host goes on in slices while PoCL compiles; once it has, and while at least eight
        // probes' worth of the call is left, the two are timed on sixteenths of it and the faster
        // finishes the call. A compile that ends later is timed in the next call.
        long slice = Math.Max(probe, rest / 8);
        while (done < job.PointCount)
        {
            if (compile.IsCompleted && job.PointCount - done >= 8 * probe)
            {
                FinishOnTheFaster(model, job, key, compile.Result, done);
                return;
            }
            long count = Math.Min(slice, job.PointCount - done);
            double seconds = Timed(() => host.Run(model, job with { FirstPoint = job.FirstPoint + done, PointCount = count }));
            if (job.Faults[0] != 0) return;
            lock (gate) hostTime[key] += seconds;
            done += count;
        }
    }

    /// <summary>
    /// With PoCL's kernel compiled (or not compilable: <paramref name="compiled"/> false), settles the
    /// kernel's route on the faster of the two and runs the call's rest there. Each is timed on a
    /// sixteenth of the call's rest (at least half the host's probe), PoCL after one untimed
    /// sixteenth: PoCL's first run in a call grows its buffers and touches their pages, and a PoCL
    /// call costs a launch and a wait whatever its size. Timed on the host's probe of a 64th, PoCL
    /// looked 1.3x the host on W2 n = 8 where whole calls run it 13x, and 0.5x on the arm's Jacobian
    /// where it runs 1.3x: close enough, or wrong enough, to settle routes on the host for good.
    /// </summary>
    private void FinishOnTheFaster<TModel>(TModel model, KernelJob job, (Type, Type, int) key, bool compiled, long done)
        where TModel : struct, IModel
    {
        var other = compiled ? Pocl() : null;
        if (other is null)
        {
            // A model PoCL cannot compile settles on the host; without PoCL there is no route to settle.
            lock (gate)
                if (!poclFailed) routes[key] = Route.Host;
            host.Run(model, job with { FirstPoint = job.FirstPoint + done, PointCount = job.PointCount - done });
            return;
        }
        var poclJob = ForPocl(job);
        long part = (job.PointCount - done) / 16;
        double Next(IComputeBackend on, KernelJob what)
        {
            double seconds = Timed(() => RunOn(on, model, what with { FirstPoint = job.FirstPoint + done, PointCount = part }));
            done += part;
            return seconds;
        }
        Next(other, poclJob);
        if (job.Faults[0] != 0) return;
        double hostSeconds = Next(host, job);
        if (job.Faults[0] != 0) return;
        lock (gate) hostTime[key] += hostSeconds;
        double poclSeconds = Next(other, poclJob);
        if (job.Faults[0] != 0) return;
        var route = poclSeconds < hostSeconds ? Route.Pocl : Route.Host;
        lock (gate) routes[key] = route;
        if (done < job.PointCount)
            RunOn(route == Route.Pocl ? other : host, model, (route == Route.Pocl ? poclJob : job) with { FirstPoint = job.FirstPoint + done, PointCount = job.PointCount - done });
    }

    /// <summary>
    /// Compiles the kernel on PoCL in the background (by running it on the job's first point into a
    /// scratch row): a compile takes from under a second to over a minute (a Hessian of a model with
    /// many 3x3 matrix locals: 73 s), and the host keeps computing meanwhile. A model the device
    /// compilers cannot take (the host runs any struct) yields false and stays on the host; a
    /// mistake the model makes at that point is the host's to report, in the call.
    /// </summary>
    private Task<bool> StartCompile<TModel>(TModel model, KernelJob job, (Type, Type, int) key) where TModel : struct, IModel
    {
        var scratch = ForPocl(job) with
        {
            FirstPoint = 0, PointCount = 1, Result = new double[job.Plan.ResultStride], Faults = new long[job.Faults.Length],
        };
        lock (gate)
        {
            if (compiles.TryGetValue(key, out var running)) return running;
            var compile = Task.Run(() =>
            {
                try
                {
                    ModelVisibility.EnsureCompilable(typeof(TModel));
                    if (Pocl() is not { } other) return false;
                    other.Run(model, scratch);
                    return true;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return false;
                }
            });
            compiles[key] = compile;
            return compile;
        }
    }

    /// <summary>Waits for every background compile started so far, for tests and the bench, which need settled routes.</summary>
    internal void WaitForCompiles()
    {
        Task[] running;
        lock (gate) running = [.. compiles.Values];
        Task.WaitAll(running);
    }

    /// <summary>
    /// The job as PoCL runs it: a first-order kernel at the host's width (a sparse Jacobian of 3
    /// colours in chunks of 3 ran 10 % faster there than in chunks of 4), a second-order one at
    /// the next power of two, and a dense Hessian, which the host computes by rows, by the blocks an
    /// OpenCL CPU device runs faster (<see cref="KernelPlan.HessianBlockWidth"/>), and with the
    /// values and gradients by one triangle where that block covers every input; the same bits.
    /// </summary>
    internal static KernelJob ForPocl(KernelJob job)
    {
        var plan = job.Plan;
        int width = plan.SecondOrder ? (int)BitOperations.RoundUpToPowerOf2((uint)plan.Width) : plan.Width;
        bool hessian = plan.KernelKind == typeof(HessianKind), withValues = plan.KernelKind == typeof(ValueGradientHessianKind);
        int blocks = hessian || withValues ? Math.Min(width, KernelPlan.HessianBlockWidth(BackendKind.OpenCL, plan.Inputs, cpuDevice: true)) : 0;
        return job with
        {
            Plan = blocks > 0 && hessian ? KernelPlan.Dense(DerivativeKind.Hessian, plan.Inputs, plan.Outputs, blocks, hessianBlocks: true)
                : blocks >= plan.Inputs && withValues ? HessianTrianglePlan.WithValues(plan.Inputs, plan.Outputs, blocks)
                : plan.WithWidth(width),
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

    /// <summary>
    /// PoCL's backend, opened at its first use (by a background compile); null if it cannot be
    /// opened (then the host does all) or once the router is disposed. Opening takes its own lock,
    /// so the calls going on on the host never wait for it.
    /// </summary>
    private IComputeBackend? Pocl()
    {
        lock (opening)
        {
            lock (gate)
                if (pocl is not null || poclFailed) return pocl;
            IComputeBackend? opened = null;
            try
            {
                opened = openPocl();
                if (opened is IlgpuBackend ilgpu) ilgpu.MaxKernelSourceBytes = MaxPoclSourceBytes;
            }
            catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or TypeInitializationException or NotSupportedException)
            {
            }
            lock (gate)
            {
                if (poclFailed) opened?.Dispose(); // disposed while opening
                else (pocl, poclFailed) = (opened, opened is null);
                return pocl;
            }
        }
    }

    public void Dispose()
    {
        // A compile still running keeps PoCL until it ends: disposing the device under it would
        // crash, and waiting would hold the caller for up to a minute after its last result.
        Task[] running;
        IComputeBackend? device;
        lock (gate)
        {
            running = [.. compiles.Values.Where(c => !c.IsCompleted)];
            device = pocl;
            pocl = null;
            poclFailed = true;
        }
        if (device is not null)
        {
            if (running.Length == 0) device.Dispose();
            else Task.WhenAll(running).ContinueWith(_ => device.Dispose(), TaskScheduler.Default);
        }
        host.Dispose();
    }
}
