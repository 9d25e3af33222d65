using GpuDiff.Backends;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Engine;

/// <summary>Settings for a <see cref="DerivativeEngine"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>Where to compute; Auto honours GPUDIFF_BACKEND, then tries CUDA, OpenCL, host.</summary>
    public BackendKind Backend { get; init; } = BackendKind.Auto;

    /// <summary>
    /// Columns per thread, 1 to 16 on every backend; null picks
    /// by the rule in <see cref="ChooseChunkWidth"/>.
    /// </summary>
    public int? ChunkWidth { get; init; }

    /// <summary>
    /// An upper bound on points per batch (for in-memory calls the device's memory sets another;
    /// a call on device arrays runs as one batch unless this caps it); null for none.
    /// </summary>
    public long? MaxBatchPoints { get; init; }

    /// <summary>Dense Hessians by blocks (true) or rows (false); null for the backend's default. The same bits either way; for tests and measurements.</summary>
    internal bool? HessianBlocks { get; init; }

    /// <summary>
    /// The automatic chunk width: as few chunks as a cap of 16 columns (8 for Hessians and
    /// Hessian-vector products) allows, each as narrow as covers the n columns in that many on the
    /// host backend (n = 6 is one chunk of 6, n = 17 two of 9; where the CPU has 256-bit vectors a
    /// width over 4 is rounded up to a multiple of 4, n = 6 one chunk of 8, n = 17 two of 12), and
    /// rounded up to a power of two on the others (where exact widths are not yet measured faster on
    /// GPUs; an engine on an OpenCL CPU device takes exact first-order widths).
    /// </summary>
    public static int ChooseChunkWidth(DerivativeKind kind, int inputs, BackendKind backend = BackendKind.Host) =>
        ChunkWidths.ChooseFor(KernelPlan.IsSecondOrder(kind), inputs, backend == BackendKind.Host);
}

/// <summary>Progress of a batch computation, reported between batches.</summary>
/// <param name="PointsDone">Points finished.</param>
/// <param name="PointsTotal">Points in all.</param>
public readonly record struct SweepProgress(long PointsDone, long PointsTotal);

/// <summary>
/// Computes values, Jacobians, gradients, Hessians and their vector products of a model at many
/// points on one backend. Points are row-major [point][input]. Results are bit-identical whatever
/// the backend, chunk width or batching.
/// </summary>
public sealed partial class DerivativeEngine : IDisposable
{
    private readonly IComputeBackend backend;
    private readonly EngineOptions options;
    private bool disposed;

    /// <summary>Opens the backend the options ask for.</summary>
    public DerivativeEngine(EngineOptions? options = null)
        : this(options ?? new EngineOptions(), o => BackendFactory.OpenForEngine(o.Backend))
    {
    }

    /// <summary>An engine on a backend made elsewhere (tests: the CPU router with its switch at 0 s); it takes ownership.</summary>
    internal DerivativeEngine(IComputeBackend backend, EngineOptions? options = null)
        : this(options ?? new EngineOptions(), _ => backend)
    {
    }

    private DerivativeEngine(EngineOptions options, Func<EngineOptions, IComputeBackend> open)
    {
        this.options = options;
        if (this.options.ChunkWidth is int w && Array.IndexOf(ChunkWidths.Supported, w) < 0)
            throw new ArgumentException($"Chunk width {w} is not supported; use 1 to 16.", nameof(options));
        if (this.options.MaxBatchPoints is long b && b < 1)
            throw new ArgumentException($"MaxBatchPoints must be at least 1, not {b}.", nameof(options));
        backend = open(this.options);
    }

    /// <summary>The backend object, for tests that reach into it.</summary>
    internal IComputeBackend ComputeBackend => backend;

    /// <summary>The backend in use.</summary>
    public BackendKind Backend => backend.Kind;

    /// <summary>The device in words.</summary>
    public string Device => backend.Device;

    /// <summary>
    /// Measures the bytes per second at which results can reach the caller's memory on this backend
    /// (RAM writes on the host; device to page-locked host copies on an accelerator), the memory
    /// floor of a Jacobian sweep: points/s can be at most this over the result bytes per point.
    /// </summary>
    public double MeasureResultBandwidth()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return backend.MeasureResultBandwidth();
    }

    /// <summary>
    /// Measures the bytes per second at which the device fills its own memory (RAM on the host), the
    /// memory floor of work whose points and results stay on the device (<see cref="Resident.DeviceArray"/>).
    /// </summary>
    public double MeasureDeviceBandwidth()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return backend.MeasureDeviceBandwidth();
    }

    /// <summary>f at each point: [point][output].</summary>
    public DerivativeResult Value<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Value, model, points, null, parameters, null, null, default);

    /// <summary>The Jacobian at each point: [point][output][input].</summary>
    public DerivativeResult Jacobian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Jacobian, model, points, null, parameters, null, null, default);

    /// <summary>The gradient of a one-output model at each point: [point][input].</summary>
    public DerivativeResult Gradient<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Gradient, model, points, null, parameters, null, null, default);

    /// <summary>The Hessian of every output at each point: [point][output][input][input].</summary>
    public DerivativeResult Hessian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Hessian, model, points, null, parameters, null, null, default);

    /// <summary>J v with one direction per point (same layout as the points): [point][output].</summary>
    public DerivativeResult Jvp<TModel>(TModel model, double[] points, double[] directions, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Jvp, model, points, directions, parameters, null, null, default);

    /// <summary>H v of every output with one direction per point: [point][output][input].</summary>
    public DerivativeResult Hvp<TModel>(TModel model, double[] points, double[] directions, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Hvp, model, points, directions, parameters, null, null, default);

    /// <summary>u^T J with one cotangent u per point (one value per output, [point][output]): [point][input].</summary>
    public DerivativeResult Vjp<TModel>(TModel model, double[] points, double[] cotangents, double[]? parameters = null) where TModel : struct, IModel =>
        Compute(DerivativeKind.Vjp, model, points, cotangents, parameters, null, null, default);

    /// <summary>
    /// Any kind, off the calling thread, with progress after each batch and cancellation between
    /// batches. Arguments are checked before the task starts (an <see cref="ArgumentException"/> is
    /// thrown here, not from the task). A cancelled computation throws and returns no result.
    /// </summary>
    public Task<DerivativeResult> ComputeAsync<TModel>(DerivativeKind kind, TModel model, double[] points, double[]? directions = null,
        double[]? parameters = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
        where TModel : struct, IModel
    {
        var call = Validate(kind, model, points, directions, parameters, null);
        return Task.Run(() => Run(call, model, points, directions, null, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Computes into the caller's <paramref name="destination"/>, which must hold exactly points x
    /// <see cref="DerivativeResult.PointStride"/> doubles; the returned result wraps it. For loops
    /// that reuse one buffer instead of allocating a result per call. After an exception its
    /// contents are unspecified.
    /// </summary>
    public DerivativeResult ComputeInto<TModel>(DerivativeKind kind, TModel model, double[] points, double[] destination,
        double[]? directions = null, double[]? parameters = null) where TModel : struct, IModel
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Compute(kind, model, points, directions, parameters, destination, null, default);
    }

    /// <summary>Points per batch for this job on this device and options.</summary>
    public long BatchPoints<TModel>(DerivativeKind kind, TModel model) where TModel : struct, IModel
    {
        long fit = backend.MaxBatchPoints(model.Inputs, KernelPlan.DenseStride(kind, model.Inputs, model.Outputs));
        return options.MaxBatchPoints is long cap ? Math.Min(cap, fit) : fit;
    }

    private DerivativeResult Compute<TModel>(DerivativeKind kind, TModel model, double[] points, double[]? directions,
        double[]? parameters, double[]? destination, IProgress<SweepProgress>? progress, CancellationToken cancellationToken) where TModel : struct, IModel =>
        Run(Validate(kind, model, points, directions, parameters, destination), model, points, directions, destination, progress, cancellationToken);

    private DerivativeResult Run<TModel>(CallShape call, TModel model, double[] points, double[]? directions, double[]? destination,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken) where TModel : struct, IModel =>
        new(call.Kind, call.Points, model.Inputs, model.Outputs,
            RunPlan(call.Plan, model, points, directions, call.Parameters, destination, progress, cancellationToken));

    /// <summary>Runs a plan over all points batch by batch; every kind writes every entry of its results, so the buffer need not be zeroed first.</summary>
    private double[] RunPlan<TModel>(KernelPlan plan, TModel model, double[] points, double[]? directions, double[] parameters, double[]? destination,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken) where TModel : struct, IModel
    {
        long count = points.Length / plan.Inputs;
        var result = destination ?? GC.AllocateUninitializedArray<double>((int)(count * plan.ResultStride));
        long batch = Batch(plan);
        var faults = new long[3];
        for (long first = 0; first < count; first += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long size = Math.Min(batch, count - first);
            backend.Run(model, new KernelJob(plan, points, directions, result, parameters, first, size, faults));
            ModelFaultException.ThrowIfAny(model, faults, 0);
            progress?.Report(new SweepProgress(first + size, count));
        }
        return result;
    }

    /// <summary>Points per batch for a plan on this device and options.</summary>
    private long Batch(KernelPlan plan)
    {
        long fit = backend.MaxBatchPoints(plan.Inputs, plan.ResultStride);
        return options.MaxBatchPoints is long cap ? Math.Min(cap, fit) : fit;
    }

    /// <summary>A checked call: the kind, how many points, the kernel plan and the parameters cut to the model's count.</summary>
    private readonly record struct CallShape(DerivativeKind Kind, long Points, KernelPlan Plan, double[] Parameters);

    /// <summary>The one argument check of every in-memory call; <see cref="SweepAsync"/> shares its model part.</summary>
    private CallShape Validate<TModel>(DerivativeKind kind, TModel model, double[] points, double[]? directions,
        double[]? parameters, double[]? destination) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(points);
        var cut = ValidateModel(kind, model, directions is not null, parameters);
        int n = model.Inputs, m = model.Outputs;
        if (points.Length % n != 0)
            throw new ArgumentException($"The points buffer holds {points.Length} values, which is not a multiple of the model's {n} inputs.", nameof(points));
        long count = points.Length / n;
        int directionLength = KernelPlan.DirectionsPerPoint(kind, n, m);
        if (directions is not null && directions.LongLength != count * directionLength)
            throw new ArgumentException(kind == DerivativeKind.Vjp
                ? $"The cotangents buffer holds {directions.Length} values but {count} points need {count * directionLength}; give one value per output for each point."
                : $"The directions buffer holds {directions.Length} values but the points buffer {points.Length}; give one direction per point.", nameof(directions));
        var plan = ForCall(DensePlan(kind, n, m), count);
        long stride = plan.ResultStride;
        if (count * stride > Array.MaxLength)
            throw new ArgumentException($"{count} points need {count * stride} result values, more than one array holds ({Array.MaxLength}); split the batch or use SweepAsync.", nameof(points));
        if (destination is not null && destination.LongLength != count * stride)
            throw new ArgumentException($"The destination holds {destination.LongLength} values but {count} points need {count * stride} ({stride} per point).", nameof(destination));
        return new CallShape(kind, count, plan, cut);
    }

    /// <summary>Checks what every call shares (kind, model, directions, parameters) and returns the parameters cut to the model's declared count.</summary>
    private double[] ValidateModel<TModel>(DerivativeKind kind, TModel model, bool hasDirections, double[]? parameters) where TModel : struct, IModel
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a derivative kind.");
        string name = typeof(TModel).Name;
        int n = model.Inputs, m = model.Outputs, declared = model.Parameters;
        if (n <= 0 || m <= 0)
            throw new ArgumentException($"The model must have at least one input and one output; {name} has n = {n}, m = {m}.", nameof(model));
        if (declared < 0)
            throw new ArgumentException($"{name} declares {declared} parameters; the count cannot be negative.", nameof(model));
        if (kind == DerivativeKind.Gradient && m != 1)
            throw new ArgumentException($"A gradient needs a model with one output; {name} has {m}. Use Jacobian.", nameof(model));
        bool needsDirections = KernelPlan.TakesDirectionsFor(kind);
        if (needsDirections && !hasDirections)
            throw new ArgumentException($"{kind} needs a direction per point, but no directions were given.", "directions");
        if (!needsDirections && hasDirections)
            throw new ArgumentException($"{kind} takes no directions, but directions were given.", "directions");
        int given = parameters?.Length ?? 0;
        if (given < declared)
            throw new ArgumentException($"{name} reads {declared} parameter{(declared == 1 ? "" : "s")}, but {given} {(given == 1 ? "was" : "were")} given.", nameof(parameters));
        if (backend.Kind != BackendKind.Host) ModelVisibility.EnsureCompilable(typeof(TModel));
        return parameters is null || given == declared ? parameters ?? [] : parameters[..declared];
    }

    private int Width(DerivativeKind kind, int n) =>
        options.ChunkWidth ?? ChunkWidths.ChooseFor(KernelPlan.IsSecondOrder(kind), n, AnyWidth, backend.ExactFirstOrderWidths);

    /// <summary>The dense plan of a kind at this engine's width, Hessians by blocks or rows as the options or the default say.</summary>
    internal KernelPlan DensePlan(DerivativeKind kind, int n, int m)
    {
        int width = Width(kind, n);
        if (kind != DerivativeKind.Hessian) return KernelPlan.Dense(kind, n, m, width);
        // Blocks on ILGPU's backends are at most 4 wide when asked for: a block of 8 holds 81 doubles
        // a number, which takes ILGPU minutes to compile and spills on a GPU; the default's triangle
        // of 8 on PoCL (57 doubles) compiles in seconds.
        int widest = options.HessianBlocks switch
        {
            true => KernelPlan.AskedBlockWidth(backend.Kind),
            false => 0,
            null => KernelPlan.HessianBlockWidth(backend.Kind, n, backend is IlgpuBackend { OnCpuDevice: true }),
        };
        if (widest == 0) return KernelPlan.Dense(kind, n, m, width);
        if (width > widest)
        {
            // A width the options set is honoured, by rows, unless blocks were asked for too.
            if (options.ChunkWidth is null) width = widest;
            else if (options.HessianBlocks is null && !KernelPlan.HessianSettingGiven) return KernelPlan.Dense(kind, n, m, width);
        }
        return KernelPlan.Dense(kind, n, m, width, hessianBlocks: true);
    }

    /// <summary>
    /// A dense plan for a call of <paramref name="points"/> points: narrower chunks where the call is
    /// too small to fill the device (<see cref="IComputeBackend.FillTasks"/>); a width the options
    /// fix is kept.
    /// </summary>
    private KernelPlan ForCall(KernelPlan plan, long points) =>
        options.ChunkWidth is null && backend.FillTasks > 0 ? plan.NarrowedToFill(points, backend.FillTasks) : plan;

    /// <summary>
    /// Whether the engine's automatic widths are exact for every kind (the host: n = 6 in one chunk
    /// of 6) or, on ILGPU's backends, powers of two (8) except for first-order kernels on an OpenCL
    /// CPU device (<see cref="IComputeBackend.ExactFirstOrderWidths"/>). Every backend runs every width.
    /// </summary>
    internal bool AnyWidth => backend.Kind == BackendKind.Host;

    /// <summary>Whether calls move between the host and PoCL (<see cref="CpuRouter"/>: Auto where the only OpenCL devices are CPUs).</summary>
    internal bool RoutesOnCpu => backend is CpuRouter;

    /// <summary>Waits for the router's background compiles: tests and the bench, for settled routes.</summary>
    internal void WaitForBackgroundCompiles() => (backend as CpuRouter)?.WaitForCompiles();

    /// <summary>Releases the device and its buffers.</summary>
    public void Dispose()
    {
        if (disposed) return;
        DisposeScratch();
        disposed = true;
        backend.Dispose();
    }
}
