namespace GpuDiff.ModelLanguage.Frontend;

internal enum TokenKind
{
    Number,
    Name,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LeftParen,
    RightParen,
    Comma,
    Equals,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    NotEqual,
    EndOfStatement,
    EndOfText,
}

/// <summary>A token at an offset; <see cref="Text"/> is what the user wrote (for names and numbers).</summary>
internal readonly record struct Token(TokenKind Kind, int Offset, string Text, double Number = 0.0)
{
    public string Describe() => Kind switch
    {
        TokenKind.Number => $"the number {Text}",
        TokenKind.Name => $"'{Text}'",
        TokenKind.EndOfStatement => Text == ";" ? "';'" : "the end of the line",
        TokenKind.EndOfText => "the end of the text",
        _ => $"'{Text}'",
    };
}
