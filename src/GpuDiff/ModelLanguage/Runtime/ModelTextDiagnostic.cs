using System.Text;

namespace GpuDiff.ModelLanguage;

/// <summary>An error or warning in model text, at a 1-based line and column.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, in Unicode characters.</param>
/// <param name="Message">What is wrong and, where it helps, what was expected.</param>
/// <param name="LineText">The line itself, for showing with a caret.</param>
/// <param name="IsWarning">True for a warning (the model still compiles).</param>
public sealed record ModelTextDiagnostic(int Line, int Column, string Message, string LineText, bool IsWarning)
{
    /// <summary>"line L, column C: message", then the line and a caret under the column.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(IsWarning ? "warning: " : "").Append($"line {Line}, column {Column}: {Message}");
        // Tabs are kept in the caret line so the caret stays under the column in a terminal.
        var pad = new StringBuilder();
        int column = 1;
        foreach (var rune in LineText.EnumerateRunes())
        {
            if (column >= Column) break;
            pad.Append(rune.Value == '\t' ? '\t' : ' ');
            column++;
        }
        text.Append('\n').Append("  ").Append(LineText).Append('\n').Append("  ").Append(pad).Append('^');
        return text.ToString();
    }
}
