using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GpuDiff.Backends;

/// <summary>
/// Whether the kernels of one accelerator stage each group's results in shared memory and write
/// them out coalesced (<see cref="GpuDiff.Kernels.Kernels.DeviceEntryPoints.RunStaged{TModel, TKind, P}"/>):
/// on CUDA devices by default, where a warp's stores at the stride of a point's results were what
/// bound W1's and W3's kernels; elsewhere not (a CPU device gains nothing from coalescing and pays
/// the barriers). <c>GPUDIFF_STAGED_STORES</c> = <c>0</c> or <c>1</c> overrides it, to compare.
/// </summary>
internal static class StagedStores
{
    /// <summary>The environment variable that overrides the choice.</summary>
    public const string EnvironmentVariable = "GPUDIFF_STAGED_STORES";

    /// <summary>The most shared memory a group's window may take: what every CUDA device gives a group without opting in.</summary>
    public const int MaxWindowBytes = 48 * 1024;

    /// <summary>
    /// Whether the staged kernels can run on this accelerator at all: not on an OpenCL device
    /// without the generic address space (PoCL on CPUs), since the window is local memory that the
    /// kernels' buffers hold through generic pointers, which
    /// <see cref="PoclCompatibility.GenericToGlobal"/> would declare global.
    /// </summary>
    public static bool Possible(Accelerator accelerator) => !PoclCompatibility.IsPatched(accelerator);

    /// <summary>Whether to stage on this accelerator: where <see cref="Possible"/>, by the variable or the default.</summary>
    public static bool For(Accelerator accelerator)
    {
        if (!Possible(accelerator)) return false;
        string? set = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return set switch
        {
            null or "" => accelerator is CudaAccelerator,
            "0" => false,
            "1" => true,
            _ => throw new ArgumentException($"{EnvironmentVariable}={set}: give 0 (never stage the results in shared memory) or 1 (stage them where the kind allows)."),
        };
    }

    /// <summary>How a CUDA device's launches are shaped, for <c>gpudiff devices</c>; the overrides set in the environment shown.</summary>
    public static string DescribeCuda(int multiprocessors)
    {
        string? group = Environment.GetEnvironmentVariable(GroupSize.EnvironmentVariable);
        string groups = string.IsNullOrEmpty(group)
            ? $"groups of {GroupSize.Cuda} threads, halved down to a warp for launches of under {GroupSize.GroupsPerMultiprocessor} groups a multiprocessor"
            : $"groups as {GroupSize.EnvironmentVariable}={group} sets";
        string staged = Environment.GetEnvironmentVariable(EnvironmentVariable) == "0"
            ? $"results stored directly ({EnvironmentVariable}=0)"
            : "values, J v and Jacobians of one chunk a point gathered in shared memory and stored coalesced";
        int small = KernelPlan.HessianBlockWidth(BackendKind.Cuda, 8), large = KernelPlan.HessianBlockWidth(BackendKind.Cuda, 9);
        string hessians = KernelPlan.HessianSettingGiven
            ? $"Hessians by {(large > 0 ? "blocks" : "rows")} (GPUDIFF_HESSIAN)"
            : $"Hessians by blocks of {small} x {small} up to 8 inputs, of {large} x {large} above";
        return $"{groups}; dense kinds in narrower chunks (down to {KernelPlan.NarrowestFillWidth}) for calls of under {(multiprocessors * 1024L).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} threads; {staged}; {hessians}";
    }

    /// <summary>
    /// Threads a group for a staged launch of a plan, or null where it cannot stage: several tasks
    /// a point, a kind that does not store its whole block, or a window over the shared memory a
    /// group may take.
    /// </summary>
    public static int? GroupFor(KernelPlan plan, int groupSize, int maxSharedBytes) =>
        plan.TasksPerPoint == 1 && plan.StoresOwnBlock && plan.ResultStride > 0
        && plan.ResultStride * groupSize * sizeof(double) <= Math.Min(MaxWindowBytes, maxSharedBytes) ? groupSize : null;
}
