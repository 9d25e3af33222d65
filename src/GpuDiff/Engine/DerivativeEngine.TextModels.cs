using GpuDiff.Backends;
using GpuDiff.Kernels.Models;
using GpuDiff.ModelLanguage;
using GpuDiff.Resident;
using GpuDiff.Streaming;

namespace GpuDiff.Engine;

// The same APIs for models given as text: each hands the compiled struct's type to the generic
// form through the model's dispatcher, with the model's parameter values as the parameter buffer.
public sealed partial class DerivativeEngine
{
    /// <summary>f at each point: [point][output].</summary>
    public DerivativeResult Value(TextModel model, double[] points) => Compute(DerivativeKind.Value, model, points, null);

    /// <summary>The Jacobian at each point: [point][output][input].</summary>
    public DerivativeResult Jacobian(TextModel model, double[] points) => Compute(DerivativeKind.Jacobian, model, points, null);

    /// <summary>The gradient of a one-output model at each point: [point][input].</summary>
    public DerivativeResult Gradient(TextModel model, double[] points) => Compute(DerivativeKind.Gradient, model, points, null);

    /// <summary>The Hessian of every output at each point: [point][output][input][input].</summary>
    public DerivativeResult Hessian(TextModel model, double[] points) => Compute(DerivativeKind.Hessian, model, points, null);

    /// <summary>J v with one direction per point: [point][output].</summary>
    public DerivativeResult Jvp(TextModel model, double[] points, double[] directions) => Compute(DerivativeKind.Jvp, model, points, directions);

    /// <summary>H v of every output with one direction per point: [point][output][input].</summary>
    public DerivativeResult Hvp(TextModel model, double[] points, double[] directions) => Compute(DerivativeKind.Hvp, model, points, directions);

    /// <summary>u^T J with one cotangent u per point ([point][output]): [point][input].</summary>
    public DerivativeResult Vjp(TextModel model, double[] points, double[] cotangents) => Compute(DerivativeKind.Vjp, model, points, cotangents);

    /// <summary>Any kind on points on the device, the results left there; see the generic form.</summary>
    public DeviceArray Compute(DerivativeKind kind, TextModel model, DeviceArray points, DeviceArray? directions = null, DeviceArray? destination = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<DeviceArray, ResidentCall>(new ResidentCall(this, kind, points, directions, model.ParameterBuffer(), destination));
    }

    /// <summary>Any kind into the caller's buffer; see the generic form.</summary>
    public DerivativeResult ComputeInto(DerivativeKind kind, TextModel model, double[] points, double[] destination, double[]? directions = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Compute(kind, model, points, directions, destination);
    }

    /// <summary>Any kind, off the calling thread; see the generic form.</summary>
    public Task<DerivativeResult> ComputeAsync(DerivativeKind kind, TextModel model, double[] points, double[]? directions = null,
        IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<Task<DerivativeResult>, AsyncCall>(
            new AsyncCall(this, kind, points, directions, model.ParameterBuffer(), progress, cancellationToken));
    }

    /// <summary>The streaming form; see the generic <see cref="SweepAsync{TModel}"/>.</summary>
    public Task<SweepSummary> SweepAsync(DerivativeKind kind, TextModel model, IPointSource source, IResultSink sink,
        IPointSource? directions = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<Task<SweepSummary>, SweepCall>(
            new SweepCall(this, kind, source, sink, directions, model.ParameterBuffer(), progress, cancellationToken, resume));
    }

    /// <summary>Points per batch for this job on this device and options.</summary>
    public long BatchPoints(DerivativeKind kind, TextModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<long, BatchCall>(new BatchCall(this, kind));
    }

    private DerivativeResult Compute(DerivativeKind kind, TextModel model, double[] points, double[]? directions, double[]? destination = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Compiled.Dispatch<DerivativeResult, IntoCall>(new IntoCall(this, kind, points, destination, directions, model.ParameterBuffer()));
    }

    private readonly record struct IntoCall(DerivativeEngine Engine, DerivativeKind Kind, double[] Points, double[]? Destination,
        double[]? Directions, double[] Parameters) : IModelCall<DerivativeResult>
    {
        public DerivativeResult Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.Compute(Kind, model, Points, Directions, Parameters, Destination, null, default);
    }

    private readonly record struct AsyncCall(DerivativeEngine Engine, DerivativeKind Kind, double[] Points, double[]? Directions,
        double[] Parameters, IProgress<SweepProgress>? Progress, CancellationToken Token) : IModelCall<Task<DerivativeResult>>
    {
        public Task<DerivativeResult> Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.ComputeAsync(Kind, model, Points, Directions, Parameters, Progress, Token);
    }

    private readonly record struct SweepCall(DerivativeEngine Engine, DerivativeKind Kind, IPointSource Source, IResultSink Sink,
        IPointSource? Directions, double[] Parameters, IProgress<SweepProgress>? Progress, CancellationToken Token, bool Resume)
        : IModelCall<Task<SweepSummary>>
    {
        public Task<SweepSummary> Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.SweepAsync(Kind, model, Source, Sink, Directions, Parameters, Progress, Token, Resume);
    }

    private readonly record struct ResidentCall(DerivativeEngine Engine, DerivativeKind Kind, DeviceArray Points, DeviceArray? Directions,
        double[] Parameters, DeviceArray? Destination) : IModelCall<DeviceArray>
    {
        public DeviceArray Invoke<TModel>(TModel model) where TModel : struct, IModel =>
            Engine.Compute(Kind, model, Points, Directions, Parameters, Destination);
    }

    private readonly record struct BatchCall(DerivativeEngine Engine, DerivativeKind Kind) : IModelCall<long>
    {
        public long Invoke<TModel>(TModel model) where TModel : struct, IModel => Engine.BatchPoints(Kind, model);
    }
}
