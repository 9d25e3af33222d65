namespace GpuDiff.Backends;

/// <summary>
/// Turns off floating-point contraction in ILGPU's OpenCL C, the OpenCL counterpart of
/// <see cref="PtxRounding"/>.
/// </summary>
/// <remarks>
/// OpenCL C lets a compiler fuse a multiply and an add into one FMA unless the FP_CONTRACT pragma
/// is OFF (OpenCL C specification, "Preprocessor Directives and Macros"), and its default is ON;
/// GPU vendors' compilers use that freedom. PoCL, the OpenCL that CI runs, already builds with
/// contraction off, so there this changes nothing.
/// </remarks>
public static class OpenClRounding
{
    /// <summary>The pragma that forbids contraction in the whole translation unit.</summary>
    public const string Pragma = "#pragma OPENCL FP_CONTRACT OFF";

    /// <summary>The OpenCL C source with contraction switched off before any code.</summary>
    public static string ForbidContraction(string source) => Pragma + "\n" + source;
}
