using System.Text.RegularExpressions;

namespace GpuDiff.Backends;

/// <summary>
/// Makes every floating-point add, subtract and multiply in ILGPU's PTX round to nearest
/// explicitly, so the CUDA driver cannot contract a multiply and an add into one FMA.
/// </summary>
/// <remarks>
/// ILGPU emits <c>mul.f64</c>, <c>add.f64</c>, <c>sub.f64</c> (and the f32 forms) without a
/// rounding modifier. PTX allows the JIT compiler to fuse such a pair into <c>fma.rn</c>, which
/// rounds once instead of twice and so changes bits against the CPU. The <c>.rn</c> forms have the
/// same rounding but forbid the fusion (PTX ISA, "Floating-Point Instructions"). ILGPU has no
/// switch for this, so every PTX module GpuDiff loads passes through <see cref="ForbidContraction"/>
/// first. Division and square root already carry <c>.rn</c> in ILGPU's output; <see cref="Violations"/>
/// lists whatever could still change bits, and the compile tests assert it finds nothing.
/// </remarks>
public static partial class PtxRounding
{
    /// <summary>The PTX text with every unmodified f32/f64 add, sub and mul given the .rn modifier.</summary>
    public static string ForbidContraction(string ptx) => UnroundedArithmetic().Replace(ptx, "${op}.rn.${type}");

    /// <summary>
    /// Instructions in the PTX text that could make the GPU's bits differ from the CPU's: float
    /// arithmetic without an explicit rounding mode, flush-to-zero, approximate forms, and FMA
    /// (we never ask for one, so one in the text means something fused behind our back).
    /// </summary>
    public static IReadOnlyList<string> Violations(string ptx)
    {
        var found = new List<string>();
        foreach (Match m in UnroundedAnyArithmetic().Matches(ptx)) found.Add(m.Value);
        foreach (Match m in BitChangingForms().Matches(ptx)) found.Add(m.Value);
        return found;
    }

    [GeneratedRegex(@"\b(?<op>add|sub|mul)\.(?<type>f32|f64)\b")]
    private static partial Regex UnroundedArithmetic();

    [GeneratedRegex(@"\b(add|sub|mul|div|sqrt|rcp)(\.sat)?\.(f32|f64)\b")]
    private static partial Regex UnroundedAnyArithmetic();

    [GeneratedRegex(@"\b[a-z0-9]+(\.[a-z0-9]+)*\.(ftz|approx|full)\b[^;]*|\b(fma|mad)(\.[a-z0-9]+)*\.(f32|f64)\b")]
    private static partial Regex BitChangingForms();
}
