namespace GpuDiff.ModelLanguage;

/// <summary>Model text that does not compile; <see cref="Diagnostic"/> says where and why.</summary>
public sealed class ModelTextException : FormatException
{
    /// <summary>Creates the exception for one error.</summary>
    public ModelTextException(ModelTextDiagnostic diagnostic, string? source = null)
        : base((source is null ? "" : source + ", ") + diagnostic)
    {
        Diagnostic = diagnostic;
    }

    /// <summary>Where the text is wrong and why.</summary>
    public ModelTextDiagnostic Diagnostic { get; }
}
