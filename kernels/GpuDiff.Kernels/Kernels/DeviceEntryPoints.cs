using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// ILGPU kernels: implicitly grouped, one thread per task. <c>firstTask</c> lets the host split a
/// batch of more than int.MaxValue tasks into several launches; <c>faults</c> holds the three
/// cells of <see cref="ViewFaultRecorder"/>.
/// </summary>
public static class DeviceEntryPoints
{
#pragma warning disable CS1591
    public static void Value<TModel>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> y, ArrayView<double> parameters, ArrayView<long> faults)
        where TModel : struct, IModel =>
        DerivativeKernels.Value<TModel, ViewBuffer, ViewFaultRecorder>(firstTask + index, model, new ViewBuffer(x), new ViewBuffer(y), new ViewBuffer(parameters), new ViewFaultRecorder(faults));

    public static void Jacobian<TModel, P>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> jac, ArrayView<double> parameters, ArrayView<long> faults)
        where TModel : struct, IModel where P : struct, IPartials<P> =>
        DerivativeKernels.Jacobian<TModel, P, ViewBuffer, ViewFaultRecorder>(firstTask + index, model, new ViewBuffer(x), new ViewBuffer(jac), new ViewBuffer(parameters), new ViewFaultRecorder(faults));

    public static void Jvp<TModel>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> direction, ArrayView<double> result, ArrayView<double> parameters, ArrayView<long> faults)
        where TModel : struct, IModel =>
        DerivativeKernels.Jvp<TModel, ViewBuffer, ViewFaultRecorder>(firstTask + index, model, new ViewBuffer(x), new ViewBuffer(direction), new ViewBuffer(result), new ViewBuffer(parameters), new ViewFaultRecorder(faults));

    public static void Hessian<TModel, P>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> h, ArrayView<double> parameters, ArrayView<long> faults)
        where TModel : struct, IModel where P : struct, IPartials<P> =>
        DerivativeKernels.Hessian<TModel, P, ViewBuffer, ViewFaultRecorder>(firstTask + index, model, new ViewBuffer(x), new ViewBuffer(h), new ViewBuffer(parameters), new ViewFaultRecorder(faults));

    public static void Hvp<TModel, P>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> direction, ArrayView<double> result, ArrayView<double> parameters, ArrayView<long> faults)
        where TModel : struct, IModel where P : struct, IPartials<P> =>
        DerivativeKernels.Hvp<TModel, P, ViewBuffer, ViewFaultRecorder>(firstTask + index, model, new ViewBuffer(x), new ViewBuffer(direction), new ViewBuffer(result), new ViewBuffer(parameters), new ViewFaultRecorder(faults));
#pragma warning restore CS1591
}
