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

    /// <summary>
    /// <c>Run</c> for kinds whose task stores exactly its own <c>stride</c> results at
    /// <c>task * stride</c> (<see cref="IStoresOwnBlock"/>), explicitly grouped with
    /// <c>stride</c> doubles of dynamic shared memory a thread: each thread stores into the group's
    /// window, then the group writes the window out, consecutive threads at consecutive addresses.
    /// A thread's results are contiguous, so storing them directly has a warp write at a stride of
    /// its result size and touch a sector a thread per store, half of it used; the window's copy
    /// touches each sector once and fills it (perf/RESULTS.md has the measurements). The window is
    /// cleared first, so an entry a faulty model leaves unwritten comes out +0, not another
    /// group's leftovers. Every thread reaches both barriers; only the first <c>tasks</c> run.
    /// </summary>
    public static void RunStaged<TModel, TKind, P>(long firstTask, long tasks, int stride, TModel model, ArrayView<double> x,
        ArrayView<double> directions, ArrayView<double> result, ArrayView<double> parameters, ArrayView<double> table, ArrayView<long> faults)
        where TModel : struct, IModel where TKind : struct, IKernelKind, IStoresOwnBlock where P : struct, IPartials<P>
    {
        var window = SharedMemory.GetDynamic<double>();
        long groupTask = (long)Grid.IdxX * Group.DimX;
        long left = tasks - groupTask;
        int valid = left < Group.DimX ? (int)left : Group.DimX;
        int length = valid * stride;
        long start = (firstTask + groupTask) * stride;
        for (int k = Group.IdxX; k < length; k += Group.DimX) window[k] = 0.0;
        Group.Barrier();
        if (Group.IdxX < valid)
        {
            TKind.Run<TModel, P, GroupWindowBuffer, ViewFaultRecorder>(firstTask + groupTask + Group.IdxX, model,
                new KernelData<GroupWindowBuffer>(new(x, default, 0), new(directions, default, 0), new(default, window, start),
                    new(parameters, default, 0), new(table, default, 0)),
                new ViewFaultRecorder(faults));
        }
        Group.Barrier();
        for (int k = Group.IdxX; k < length; k += Group.DimX) result[start + k] = window[k];
    }

    public static void Operate<TOp>(Index1D index, long firstIndex, TOp operation, ArrayView<double> first, ArrayView<double> second, ArrayView<double> third)
        where TOp : struct, Resident.IDeviceOperation =>
        operation.Run(firstIndex + index, new ViewBuffer(first), new ViewBuffer(second), new ViewBuffer(third));
#pragma warning restore CS1591
}
