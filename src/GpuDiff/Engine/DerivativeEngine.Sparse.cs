using GpuDiff.Backends;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Engine;

// Sparse Jacobians and Hessians: the pattern is detected by tracing the model, its columns are
// coloured, and the kernels seed colours instead of unit columns (docs in SparsePlan).
public sealed partial class DerivativeEngine
{
    /// <summary>
    /// Detects the pattern of <paramref name="kind"/> over <paramref name="detectionPoints"/> (at the
    /// first of them where the model makes no decision on its numbers), colours it and prepares the
    /// kernels; the plan is then reused by calls. See <see cref="SparsePlan{TModel}"/> for what
    /// <paramref name="checkEachCall"/> guards against.
    /// </summary>
    public SparsePlan<TModel> PlanSparse<TModel>(SparseKind kind, TModel model, double[] detectionPoints, double[]? parameters = null,
        bool checkEachCall = true) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(detectionPoints);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a sparse kind.");
        // The model checks of a kind without directions and with any number of outputs.
        var cut = ValidateModel(DerivativeKind.Jacobian, model, false, parameters);
        int n = model.Inputs, m = model.Outputs;
        if (detectionPoints.Length == 0 || detectionPoints.Length % n != 0)
            throw new ArgumentException($"The detection points hold {detectionPoints.Length} values; give at least one point of the model's {n} inputs.", nameof(detectionPoints));
        var found = PatternDetection.Run(model, detectionPoints, cut, kind == SparseKind.Hessian);
        switch (kind)
        {
            case SparseKind.Jacobian:
            {
                var pattern = PatternDetection.Jacobian(found, n);
                var (colours, count) = ColumnColouring.Colour(pattern);
                return new SparsePlan<TModel>(this, kind, model, cut, pattern, null, colours, count, SparseTables.Jacobian(pattern, colours, count, AnyWidth, backend.ExactFirstOrderWidths), found, checkEachCall);
            }
            case SparseKind.Hessian:
            {
                var pattern = PatternDetection.Hessian(found, n);
                var (colours, count) = StarColouring.Colour(pattern);
                return new SparsePlan<TModel>(this, kind, model, cut, pattern, null, colours, count, SparseTables.Hessian(pattern, m, colours, count, AnyWidth), found, checkEachCall);
            }
            default:
            {
                var elements = PatternDetection.Jacobian(found, n);
                var (colours, count) = ColumnColouring.Colour(elements);
                var pattern = SparseTables.ElementHessian(elements);
                return new SparsePlan<TModel>(this, kind, model, cut, pattern, elements, colours, count, SparseTables.ElementSum(elements, pattern, colours, count, AnyWidth), found, checkEachCall);
            }
        }
    }

    /// <summary>The sparse Jacobian at each point, its pattern detected over these same points.</summary>
    public SparseDerivativeResult SparseJacobian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        PlanSparse(SparseKind.Jacobian, model, points, parameters, checkEachCall: false).Compute(points);

    /// <summary>Every output's Hessian in one sparse pattern, detected over these same points.</summary>
    public SparseDerivativeResult SparseHessian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        PlanSparse(SparseKind.Hessian, model, points, parameters, checkEachCall: false).Compute(points);

    /// <summary>The sum of the outputs with its gradient and sparse Hessian, the elements' pattern detected over these same points.</summary>
    public SparseDerivativeResult ElementSum<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        PlanSparse(SparseKind.ElementSum, model, points, parameters, checkEachCall: false).Compute(points);

    /// <summary>
    /// A sparse computation for a model given as text: <see cref="SparseKind.Jacobian"/>,
    /// <see cref="SparseKind.Hessian"/> or <see cref="SparseKind.ElementSum"/>. A model with an
    /// <c>if</c>, min or max can change its pattern between points and has it detected over these
    /// same points; any other model text has one pattern everywhere, detected at the first point.
    /// </summary>
    public SparseDerivativeResult Sparse(SparseKind kind, ModelLanguage.TextModel model, double[] points)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        return PlanSparse(kind, model, points, checkEachCall: false).Compute(points);
    }

    /// <summary>
    /// <see cref="PlanSparse{TModel}"/> for a model given as text, with the model's parameter values:
    /// detect once, then reuse the plan call after call (a Newton solver's loop).
    /// </summary>
    public ISparsePlan PlanSparse(SparseKind kind, ModelLanguage.TextModel model, double[] detectionPoints, bool checkEachCall = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<ISparsePlan, PlanCall>(new PlanCall(this, kind, detectionPoints, model.ParameterBuffer(), checkEachCall));
    }

    private readonly record struct PlanCall(DerivativeEngine Engine, SparseKind Kind, double[] Points, double[] Parameters, bool CheckEachCall)
        : ModelLanguage.IModelCall<ISparsePlan>
    {
        public ISparsePlan Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.PlanSparse(Kind, model, Points, Parameters, CheckEachCall);
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    internal void CheckSparsePoints<TModel>(TModel model, double[] points, long stride) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(points);
        int n = model.Inputs;
        if (points.Length % n != 0)
            throw new ArgumentException($"The points buffer holds {points.Length} values, which is not a multiple of the model's {n} inputs.", nameof(points));
        if (points.Length / n * stride > Array.MaxLength)
            throw new ArgumentException($"{points.Length / n} points need {points.Length / n * stride} result values, more than one array holds ({Array.MaxLength}); split the batch.", nameof(points));
    }

    internal double[] RunSparse<TModel>(KernelPlan plan, TModel model, double[] points, double[] parameters, double[]? destination,
        IProgress<SweepProgress>? progress, CancellationToken cancellationToken) where TModel : struct, IModel
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return RunPlan(plan, model, points, null, parameters, destination, progress, cancellationToken);
    }
}
