using ILGPU;

namespace GpuDiff.Backends;

/// <summary>
/// ILGPU's optimization level for an accelerator's kernels: ILGPU's default O1, or what
/// <c>GPUDIFF_ILGPU_OPTIMIZATION</c> (0, 1 or 2) sets for every ILGPU backend, to compare.
/// </summary>
/// <remarks>
/// Most of a large model's compile is ILGPU's O1 passes: for a text model of 80 terms, each a sine
/// times an input, 36 % of the gradient kernel's 59 s went to ILGPU's if-conversion and 17 % to its
/// SSA construction (perf, 2-core machine). At O0 that kernel compiled for PoCL in 28 s with W1-W4
/// as fast and the host's bits, in Release builds; but O0 leaves ILGPU's OpenCL C generator
/// <c>as_long(0)</c> (an int where a double's bits are meant) from the Debug build's IL, which PoCL
/// rejects, and a user's model may well be built in Debug. On CUDA O0 keeps 38 % more
/// multiplications in the Hessian rows' PTX (perf/RESULTS.md). So O1 stays everywhere.
/// </remarks>
internal static class IlgpuOptimization
{
    /// <summary>The environment variable that sets the level for every ILGPU backend.</summary>
    public const string EnvironmentVariable = "GPUDIFF_ILGPU_OPTIMIZATION";

    /// <summary>The level for every ILGPU backend's kernels.</summary>
    public static OptimizationLevel Level() => Asked() ?? OptimizationLevel.O1;

    /// <summary>The level the environment asks for, or null; an ArgumentException naming the valid values otherwise.</summary>
    private static OptimizationLevel? Asked()
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
