using GpuDiff.Engine;
using GpuDiff.Resident;
using GpuDiff.Streaming;

namespace GpuDiff.Sparsity;

/// <summary>
/// A sparse computation prepared once, whatever the model's type: what
/// <see cref="SparsePlan{TModel}"/> offers, and what
/// <see cref="DerivativeEngine.PlanSparse(SparseKind, ModelLanguage.TextModel, double[], bool)"/>
/// returns for a model given as text (whose struct type exists only at run time).
/// </summary>
public interface ISparsePlan
{
    /// <summary>What each call computes.</summary>
    SparseKind Kind { get; }

    /// <summary>The pattern of the results: the Jacobian's, or the Hessians'.</summary>
    SparsityPattern Pattern { get; }

    /// <summary>For an element sum, which inputs each element depends on; otherwise null.</summary>
    SparsityPattern? ElementPattern { get; }

    /// <summary>The colour of each input (the columns seeded together).</summary>
    IReadOnlyList<int> Colours { get; }

    /// <summary>How many colours; the cost of a call grows with this, not with the inputs.</summary>
    int ColourCount { get; }

    /// <summary>Whether the model made a decision on its numbers while traced, so that its pattern may differ between points.</summary>
    bool PatternMayVary { get; }

    /// <summary>Whether each call traces its points and refuses those outside the pattern.</summary>
    bool ChecksEachCall { get; }

    /// <summary>Result doubles per point.</summary>
    int PointStride { get; }

    /// <summary>The sparse results at each of <paramref name="points"/> (row-major [point][input]).</summary>
    SparseDerivativeResult Compute(double[] points);

    /// <summary>Computes into the caller's <paramref name="destination"/> of exactly points x <see cref="PointStride"/> doubles.</summary>
    SparseDerivativeResult ComputeInto(double[] points, double[] destination);

    /// <summary>The sparse results at points on the device, left there as [point][<see cref="PointStride"/>].</summary>
    DeviceArray Compute(DeviceArray points, DeviceArray? destination = null);

    /// <summary>The same off the calling thread, with progress between batches and cancellation.</summary>
    Task<SparseDerivativeResult> ComputeAsync(double[] points, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The streaming form: batches from <paramref name="source"/>, each batch's [point][PointStride] block to <paramref name="sink"/>.</summary>
    Task<SweepSummary> SweepAsync(IPointSource source, IResultSink sink, IProgress<SweepProgress>? progress = null,
        CancellationToken cancellationToken = default, bool resume = false);
}
