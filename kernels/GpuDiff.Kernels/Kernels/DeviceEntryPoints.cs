using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;

namespace GpuDiff.Kernels.Kernels;

/// <summary>
/// The one ILGPU kernel: implicitly grouped, one thread per task of kind <c>TKind</c>.
/// <c>firstTask</c> lets the host split a batch of more than int.MaxValue tasks into several
/// launches; <c>faults</c> holds the three cells of <see cref="ViewFaultRecorder"/>; a kind that
/// takes no directions or table gets empty views. <c>Operate</c> runs a device operation (point
/// generation, an analysis, a reduction step) on data that stays on the device.
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

    public static void Operate<TOp>(Index1D index, long firstIndex, TOp operation, ArrayView<double> first, ArrayView<double> second, ArrayView<double> third)
        where TOp : struct, Resident.IDeviceOperation =>
        operation.Run(firstIndex + index, new ViewBuffer(first), new ViewBuffer(second), new ViewBuffer(third));
#pragma warning restore CS1591
}
