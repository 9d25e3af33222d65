using ILGPU;

namespace GpuDiff.Backends;

/// <summary>
/// ILGPU's optimization level for an accelerator's kernels: O0 on OpenCL CPU devices (PoCL),
/// ILGPU's default O1 elsewhere; <c>GPUDIFF_ILGPU_OPTIMIZATION</c> (0, 1 or 2) sets it for every
/// ILGPU backend, to compare.
/// </summary>
/// <remarks>
/// Compiling a model's kernel is mostly ILGPU's O1 passes once the model is large: for a text
/// model of 80 terms, each a sine times an input, 36 % of the gradient kernel's 59 s went to
/// ILGPU's if-conversion and 17 % to its SSA construction (perf, 2-core machine). PoCL's LLVM
/// optimises the OpenCL C again, so at O0 the same kernel compiled in 28 s, W1-W4 ran as fast
/// (within run-to-run noise) and every API kept the host's bits (the OpenCL suite, perf/RESULTS.md).
/// On GPUs O1 stays until it is measured there: the driver's compiler sees only what ILGPU emits.
/// </remarks>
internal static class IlgpuOptimization
{
    /// <summary>The environment variable that sets the level for every ILGPU backend.</summary>
    public const string EnvironmentVariable = "GPUDIFF_ILGPU_OPTIMIZATION";

    /// <summary>The level for an accelerator of the given kind; <paramref name="cpuDevice"/> is an OpenCL device that is a CPU.</summary>
    public static OptimizationLevel For(BackendKind kind, bool cpuDevice) =>
        Asked() ?? (kind == BackendKind.OpenCL && cpuDevice ? OptimizationLevel.O0 : OptimizationLevel.O1);

    /// <summary>The level the environment asks for, or null; an ArgumentException naming the valid values otherwise.</summary>
    public static OptimizationLevel? Asked()
    {
        string? set = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(set)) return null;
        return set.Trim() switch
        {
            "0" => OptimizationLevel.O0,
            "1" => OptimizationLevel.O1,
            "2" => OptimizationLevel.O2,
            _ => throw new ArgumentException($"{EnvironmentVariable}={set}: give 0, 1 or 2 (ILGPU's optimization levels O0, O1, O2)."),
        };
    }
}
