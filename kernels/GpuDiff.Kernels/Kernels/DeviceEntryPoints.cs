using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The one ILGPU kernel: implicitly grouped, one thread per task of kind <c>TKind</c>.
/// <c>firstTask</c> lets the host split a batch of more than int.MaxValue tasks into several
/// launches; <c>faults</c> holds the three cells of <see cref="ViewFaultRecorder"/>; a kind that
/// takes no directions or table gets empty views.
/// </summary>
public static class DeviceEntryPoints
{
#pragma warning disable CS1591
    public static void Run<TModel, TKind, P>(Index1D index, long firstTask, TModel model, ArrayView<double> x, ArrayView<double> directions,
        ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table, ArrayView<long> faults)
        where TModel : struct, IModel where TKind : struct, IKernelKind where P : struct, IPartials<P> =>
        TKind.Run<TModel, P, ViewBuffer, ViewFaultRecorder>(firstTask + index, model,
            new KernelData<ViewBuffer>(new ViewBuffer(x), new ViewBuffer(directions), new ViewBuffer(result), new ViewBuffer(parameters), new ViewBuffer(table)),
            new ViewFaultRecorder(faults));
#pragma warning restore CS1591
}
