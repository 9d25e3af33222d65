using System.Text;

namespace GpuDiff.ModelLanguage.Frontend;

/// <summary>Model text with the line starts, so an offset becomes a line, a column and the line itself.</summary>
internal sealed class SourceText
{
    private readonly List<int> lineStarts = [0];

    public SourceText(string text)
    {
        Text = text;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') lineStarts.Add(i + 1);
    }

    public string Text { get; }

    /// <summary>1-based line and column of an offset; columns count Unicode scalar values, so a caret lines up under what a reader sees.</summary>
    public (int Line, int Column, string LineText) Locate(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = lineStarts.BinarySearch(offset);
        if (line < 0) line = ~line - 1;
        int start = lineStarts[line];
        int end = line + 1 < lineStarts.Count ? lineStarts[line + 1] - 1 : Text.Length;
        string lineText = Text[start..end].TrimEnd('\r');
        int column = 1;
        // The end of a CRLF line is its '\r', the column after the last character shown.
        for (int i = start; i < offset && i < start + lineText.Length;)
        {
            column++;
            i += char.IsHighSurrogate(Text[i]) && i + 1 < Text.Length && char.IsLowSurrogate(Text[i + 1]) ? 2 : 1;
        }
        return (line + 1, column, lineText);
    }

    public ModelTextDiagnostic Diagnostic(int offset, string message, bool warning = false)
    {
        var (line, column, lineText) = Locate(offset);
        return new ModelTextDiagnostic(line, column, message, lineText, warning);
    }
}
