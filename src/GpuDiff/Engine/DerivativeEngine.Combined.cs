using GpuDiff.Backends;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Engine;

// f with its derivatives from the derivative kernels' own evaluations.
public sealed partial class DerivativeEngine
{
    /// <summary>
    /// f and the Jacobian at each point in one pass: the values are the primal parts of the
    /// Jacobian's evaluations, so this costs what <see cref="Jacobian{TModel}"/> costs, not that
    /// plus <see cref="Value{TModel}"/>; each part has the separate call's bits.
    /// </summary>
    public ValueAndDerivatives ValueAndJacobian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Combined(secondOrder: false, model, points, parameters);

    /// <summary>
    /// f, the gradient of every output ([point][output][input]) and the Hessians at each point in one
    /// pass of the Hessian's evaluations (the gradient is their first-order part); each part has the
    /// separate call's bits.
    /// </summary>
    public ValueAndDerivatives ValueGradientHessian<TModel>(TModel model, double[] points, double[]? parameters = null) where TModel : struct, IModel =>
        Combined(secondOrder: true, model, points, parameters);

    /// <summary>
    /// <see cref="ValueAndJacobian{TModel}"/> into the caller's <paramref name="destination"/>, which
    /// must hold exactly points x (m + m n) doubles: the result wraps it, so a loop reuses one array
    /// (a Newton solver's step after step) instead of allocating one a call.
    /// </summary>
    public ValueAndDerivatives ValueAndJacobianInto<TModel>(TModel model, double[] points, double[] destination, double[]? parameters = null)
        where TModel : struct, IModel
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Combined(secondOrder: false, model, points, parameters, destination);
    }

    /// <summary>
    /// <see cref="ValueGradientHessian{TModel}"/> into the caller's <paramref name="destination"/>,
    /// which must hold exactly points x (m + m n + m n^2) doubles: the result wraps it, so a loop
    /// reuses one array instead of allocating one a call.
    /// </summary>
    public ValueAndDerivatives ValueGradientHessianInto<TModel>(TModel model, double[] points, double[] destination, double[]? parameters = null)
        where TModel : struct, IModel
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Combined(secondOrder: true, model, points, parameters, destination);
    }

    /// <summary>f and the Jacobian of a model-language model in one pass.</summary>
    public ValueAndDerivatives ValueAndJacobian(TextModel model, double[] points)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<ValueAndDerivatives, CombinedCall>(new CombinedCall(this, false, points, model.ParameterBuffer()));
    }

    /// <summary>f, gradients and Hessians of a model-language model in one pass.</summary>
    public ValueAndDerivatives ValueGradientHessian(TextModel model, double[] points)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<ValueAndDerivatives, CombinedCall>(new CombinedCall(this, true, points, model.ParameterBuffer()));
    }

    /// <summary><see cref="ValueAndJacobianInto{TModel}"/> for a model-language model.</summary>
    public ValueAndDerivatives ValueAndJacobianInto(TextModel model, double[] points, double[] destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        return model.Compiled.Dispatch<ValueAndDerivatives, CombinedCall>(new CombinedCall(this, false, points, model.ParameterBuffer(), destination));
    }

    /// <summary><see cref="ValueGradientHessianInto{TModel}"/> for a model-language model.</summary>
    public ValueAndDerivatives ValueGradientHessianInto(TextModel model, double[] points, double[] destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        return model.Compiled.Dispatch<ValueAndDerivatives, CombinedCall>(new CombinedCall(this, true, points, model.ParameterBuffer(), destination));
    }

    private ValueAndDerivatives Combined<TModel>(bool secondOrder, TModel model, double[] points, double[]? parameters, double[]? destination = null)
        where TModel : struct, IModel
    {
        var call = Validate(secondOrder ? DerivativeKind.Hessian : DerivativeKind.Jacobian, model, points, null, parameters, null);
        int n = model.Inputs, m = model.Outputs;
        // The Hessian's own plan decides: where it is one triangle a point, so are the three together.
        var plan = !secondOrder ? KernelPlan.ValueJacobian(n, m, call.Plan.Width)
            : call.Plan is HessianTrianglePlan ? HessianTrianglePlan.WithValues(n, m, call.Plan.Width)
            : KernelPlan.ValueGradientHessian(n, m, call.Plan.Width);
        long stride = plan.ResultStride;
        if (destination is not null && destination.LongLength != call.Points * stride)
            throw new ArgumentException($"The destination holds {destination.LongLength} values but {call.Points} points need {call.Points * stride} ({stride} per point: " +
                $"{m} values, {(long)m * n} first derivatives{(secondOrder ? $", {(long)m * n * n} second" : "")}).", nameof(destination));
        double[] blocks = RunPlan(plan, model, points, null, call.Parameters, destination, null, default);
        return new ValueAndDerivatives(call.Points, n, m, secondOrder, blocks);
    }

    private readonly record struct CombinedCall(DerivativeEngine Engine, bool SecondOrder, double[] Points, double[] Parameters, double[]? Destination = null)
        : IModelCall<ValueAndDerivatives>
    {
        public ValueAndDerivatives Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.Combined(SecondOrder, model, Points, Parameters, Destination);
    }
}
