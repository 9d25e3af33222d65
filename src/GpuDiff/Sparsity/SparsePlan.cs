using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;
using GpuDiff.Streaming;

namespace GpuDiff.Sparsity;

/// <summary>
/// A sparse computation prepared once: the pattern detected over a set of points, its colouring
/// and the kernel tables, reused by every <see cref="Compute(double[])"/>. A model that makes no
/// decision on its numbers (no comparison, min or max, no read of <c>Primal</c>) runs the same
/// operations at every point, so its pattern is detected at the first point and holds everywhere
/// (<see cref="PatternMayVary"/> is false). A model that decides may branch on its inputs, so a
/// pattern seen at some points may miss entries at others: it is detected at every given point,
/// and unless the plan is built with <c>checkEachCall: false</c>, each call first traces its own
/// points and refuses any point whose derivatives reach outside the pattern, naming it, rather
/// than return a wrong entry.
/// </summary>
/// <typeparam name="TModel">The model.</typeparam>
public sealed class SparsePlan<TModel> : ISparsePlan where TModel : struct, IModel
{
    private readonly DerivativeEngine engine;
    private readonly TModel model;
    private readonly double[] parameters;
    private readonly KernelPlan kernel;
    private readonly PatternDetection.Found detected;

    internal SparsePlan(DerivativeEngine engine, SparseKind kind, TModel model, double[] parameters, SparsityPattern pattern,
        SparsityPattern? elements, int[] colours, int colourCount, KernelPlan kernel, PatternDetection.Found detected, bool checkEachCall)
    {
        this.engine = engine;
        this.model = model;
        this.parameters = parameters;
        this.kernel = kernel;
        this.detected = detected;
        Kind = kind;
        Pattern = pattern;
        ElementPattern = elements;
        Colours = colours;
        ColourCount = colourCount;
        PatternMayVary = detected.MayVary;
        ChecksEachCall = checkEachCall && detected.MayVary;
    }

    /// <summary>What each call computes.</summary>
    public SparseKind Kind { get; }

    /// <summary>The pattern of the results: the Jacobian's, or the Hessians'.</summary>
    public SparsityPattern Pattern { get; }

    /// <summary>For an element sum, which inputs each element depends on; otherwise null.</summary>
    public SparsityPattern? ElementPattern { get; }

    /// <summary>The colour of each input (the columns seeded together).</summary>
    public IReadOnlyList<int> Colours { get; }

    /// <summary>How many colours; the cost of a call grows with this, not with the inputs.</summary>
    public int ColourCount { get; }

    /// <summary>
    /// Whether the model made a decision on its numbers while traced (a comparison, min or max, a
    /// read of <c>Primal</c>), so that its pattern may differ between points.
    /// </summary>
    public bool PatternMayVary { get; }

    /// <summary>Whether each call traces its points and refuses those outside the pattern: asked for, and the pattern may vary.</summary>
    public bool ChecksEachCall { get; }

    /// <summary>Result doubles per point.</summary>
    public int PointStride => (int)kernel.ResultStride;

    /// <summary>The sparse results at each of <paramref name="points"/> (row-major [point][input]).</summary>
    public SparseDerivativeResult Compute(double[] points) => Run(points, null, null, default);

    /// <summary>
    /// Computes into the caller's <paramref name="destination"/>, which must hold exactly points x
    /// <see cref="PointStride"/> doubles; for loops that reuse one buffer. After an exception its
    /// contents are unspecified.
    /// </summary>
    public SparseDerivativeResult ComputeInto(double[] points, double[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        engine.CheckSparsePoints(model, points, kernel.ResultStride);
        long need = points.Length / model.Inputs * kernel.ResultStride;
        if (destination.LongLength != need)
            throw new ArgumentException($"The destination holds {destination.LongLength} values but these points need {need} ({PointStride} per point).", nameof(destination));
        return Run(points, destination, null, default);
    }

    /// <summary>
    /// The sparse results at points on the device, left there as [point][<see cref="PointStride"/>]
    /// (the same bits as <see cref="Compute(double[])"/>). A plan that checks each call traces the
    /// points on the host, so it copies them out for the check (the derivatives are still computed
    /// where the points are); one built with <c>checkEachCall: false</c> copies nothing.
    /// </summary>
    public DeviceArray Compute(DeviceArray points, DeviceArray? destination = null)
    {
        engine.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(points);
        var x = points.Storage(engine, nameof(points));
        int n = model.Inputs;
        if (points.Length % n != 0)
            throw new ArgumentException($"The points array holds {points.Length} values, which is not a multiple of the model's {n} inputs.", nameof(points));
        long count = points.Length / n;
        if (ChecksEachCall)
        {
            var copy = points.ToArray();
            PatternCheck.Ensure(model, copy, count, 0, parameters, detected, Kind == SparseKind.Hessian);
        }
        return engine.RunResident(kernel, model, x, null, parameters, count, destination);
    }

    /// <summary>The same off the calling thread, with progress between batches and cancellation.</summary>
    public Task<SparseDerivativeResult> ComputeAsync(double[] points, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        engine.CheckSparsePoints(model, points, kernel.ResultStride);
        return Task.Run(() => Run(points, null, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The streaming form, as <see cref="DerivativeEngine.SweepAsync{TModel}"/>: batches from
    /// <paramref name="source"/>, each batch's [point][PointStride] block to <paramref name="sink"/>,
    /// in bounded memory; each batch is checked against the pattern first when the plan checks calls.
    /// A resumable sink's record names the pattern, so a sweep cannot continue with another.
    /// </summary>
    public Task<SweepSummary> SweepAsync(IPointSource source, IResultSink sink, IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        if (resume && sink is not IResumableResultSink)
            throw new ArgumentException($"Resuming needs a sink that records its progress ({nameof(IResumableResultSink)}); {sink.GetType().Name} does not.", nameof(resume));
        engine.ThrowIfDisposed();
        string kindName = $"Sparse{Kind}#{SweepFingerprint.Hash(kernel.Table):x16}";
        Action<double[], long, long>? check = ChecksEachCall
            ? (x, count, first) => PatternCheck.Ensure(model, x, count, first, parameters, detected, Kind == SparseKind.Hessian)
            : null;
        return Task.Run(() => engine.Stream(kernel, kindName, model, source, sink, null, parameters, progress, resume, check, cancellationToken), cancellationToken);
    }

    private SparseDerivativeResult Run(double[] points, double[]? destination, IProgress<SweepProgress>? progress, CancellationToken cancellationToken)
    {
        engine.CheckSparsePoints(model, points, kernel.ResultStride);
        if (ChecksEachCall) PatternCheck.Ensure(model, points, points.Length / model.Inputs, 0, parameters, detected, Kind == SparseKind.Hessian);
        var data = engine.RunSparse(kernel, model, points, parameters, destination, progress, cancellationToken);
        return new SparseDerivativeResult(Kind, points.Length / model.Inputs, model.Inputs, model.Outputs, Pattern, data, PointStride);
    }
}
