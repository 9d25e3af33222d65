using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GpuDiff.Backends;

/// <summary>
/// Threads per group for the kernels of one accelerator: PoCL's limit on OpenCL CPU devices
/// (<see cref="PoclCompatibility.WorkGroupLimit"/>), <see cref="Cuda"/> on CUDA devices, ILGPU's
/// occupancy-based choice elsewhere; <c>GPUDIFF_GROUP_SIZE</c> overrides it on GPUs (a number, or
/// <c>auto</c> for ILGPU's choice), to compare.
/// </summary>
/// <remarks>
/// ILGPU's automatic choice is the largest group at full occupancy, 1,024 threads for most of our
/// kernels; a launch of 10,000-40,000 tasks (W2 n=64 as elements, W4, W5) then filled 20 to 53 of
/// an H100's 132 multiprocessors, each busy on its L1 (80-88 % of its throughput) while the rest
/// idled (Nsight Compute, perf/RESULTS.md). 128 threads still allow full occupancy (32 groups a
/// multiprocessor) and spread such a launch over every multiprocessor.
/// </remarks>
internal static class GroupSize
{
    /// <summary>The CUDA default.</summary>
    public const int Cuda = 128;

    /// <summary>The environment variable that overrides the choice on GPUs.</summary>
    public const string EnvironmentVariable = "GPUDIFF_GROUP_SIZE";

    /// <summary>Threads per group, or null for ILGPU's occupancy-based choice.</summary>
    public static int? For(Accelerator accelerator)
    {
        if (PoclCompatibility.WorkGroupLimit(accelerator) is int cpuLimit) return cpuLimit;
        if (accelerator.AcceleratorType == AcceleratorType.CPU) return null;
        string? set = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(set))
            return Parse(set, accelerator.MaxNumThreadsPerGroup, accelerator.WarpSize);
        return accelerator is CudaAccelerator ? Math.Min(Cuda, accelerator.MaxNumThreadsPerGroup) : null;
    }

    /// <summary>
    /// Threads per group for a launch of <paramref name="tasks"/> threads: <see cref="For(Accelerator)"/>,
    /// on CUDA devices halved (down to a warp) while the launch would give a multiprocessor fewer
    /// than <see cref="GroupsPerMultiprocessor"/> groups, unless the variable sets the size.
    /// </summary>
    public static int? For(Accelerator accelerator, long tasks)
    {
        int? size = For(accelerator);
        return size is int s && accelerator is CudaAccelerator && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable))
            ? Spread(s, tasks, accelerator.NumMultiprocessors, accelerator.WarpSize) : size;
    }

    /// <summary>
    /// Groups a multiprocessor should get before smaller groups stop paying. A launch of 20,000
    /// threads in groups of 128 gives 157 groups to 132 multiprocessors: 25 of them run two while
    /// the others run one and then idle; in groups of 32 (4.7 a multiprocessor) W2 n = 64 as
    /// elements ran 18 % faster and W5 10 % on an H100 (perf/RESULTS.md).
    /// </summary>
    public const int GroupsPerMultiprocessor = 4;

    /// <summary>See <see cref="For(Accelerator, long)"/>.</summary>
    internal static int Spread(int size, long tasks, int multiprocessors, int warpSize)
    {
        while (size / 2 >= warpSize && size % (2 * warpSize) == 0 && tasks < (long)size * multiprocessors * GroupsPerMultiprocessor) size /= 2;
        return size;
    }

    /// <summary>The variable's value: <c>auto</c>, or a whole number of warps up to the device's limit.</summary>
    internal static int? Parse(string value, int maxPerGroup, int warpSize)
    {
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(value, out int size) && size >= warpSize && size <= maxPerGroup && size % warpSize == 0) return size;
        throw new ArgumentException(
            $"{EnvironmentVariable}={value}: give 'auto' or a multiple of the warp size ({warpSize}) from {warpSize} to {maxPerGroup} threads.");
    }
}
