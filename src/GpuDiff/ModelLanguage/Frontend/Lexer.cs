using System.Globalization;

namespace GpuDiff.ModelLanguage.Frontend;

/// <summary>
/// Splits model text into tokens. Newlines end statements except inside parentheses, so a long
/// expression may be wrapped in ( ) across lines; '#' starts a comment to the end of the line.
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(SourceText source)
    {
        string text = source.Text;
        var tokens = new List<Token>();
        int depth = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '\n')
            {
                if (depth == 0) tokens.Add(new Token(TokenKind.EndOfStatement, i, "\n"));
                i++;
                continue;
            }
            if (c is ' ' or '\t' or '\r' or '\f' or '\v' || c == '\uFEFF')
            {
                i++;
                continue;
            }
            int start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(source, ref i));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Name, start, text[start..i]));
                continue;
            }
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind kind, int length) = c switch
            {
                '+' => (TokenKind.Plus, 1),
                '-' => (TokenKind.Minus, 1),
                '*' when next == '*' => (TokenKind.Caret, 2),
                '*' => (TokenKind.Star, 1),
                '/' => (TokenKind.Slash, 1),
                '^' => (TokenKind.Caret, 1),
                '(' => (TokenKind.LeftParen, 1),
                ')' => (TokenKind.RightParen, 1),
                ',' => (TokenKind.Comma, 1),
                ';' => (TokenKind.EndOfStatement, 1),
                '<' when next == '=' => (TokenKind.LessEqual, 2),
                '<' => (TokenKind.Less, 1),
                '>' when next == '=' => (TokenKind.GreaterEqual, 2),
                '>' => (TokenKind.Greater, 1),
                '=' when next == '=' => (TokenKind.EqualEqual, 2),
                '=' => (TokenKind.Equals, 1),
                '!' when next == '=' => (TokenKind.NotEqual, 2),
                _ => (TokenKind.EndOfText, 0),
            };
            if (length == 0) throw Unexpected(source, i);
            if (kind == TokenKind.LeftParen) depth++;
            if (kind == TokenKind.RightParen && depth > 0) depth--;
            tokens.Add(new Token(kind, start, text.Substring(start, length)));
            i += length;
        }
        tokens.Add(new Token(TokenKind.EndOfText, text.Length, ""));
        return tokens;
    }

    private static Token ReadNumber(SourceText source, ref int i)
    {
        string text = source.Text;
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int exponent = i;
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                throw new ModelTextException(source.Diagnostic(exponent, "expected digits after the exponent 'e' of a number"));
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
            throw new ModelTextException(source.Diagnostic(i, $"expected an operator after the number {text[start..i]}; write {text[start..i]} * {text[i]} for a product"));
        if (i < text.Length && text[i] == '.')
            throw new ModelTextException(source.Diagnostic(i, "a number has at most one decimal point"));
        string written = text[start..i];
        // .NET's parser rounds correctly, so a literal means the same double everywhere.
        double value = double.Parse(written, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw new ModelTextException(source.Diagnostic(start, $"the number {written} is too large for a double (at most 1.7976931348623157e308)"));
        return new Token(TokenKind.Number, start, written, value);
    }

    private static ModelTextException Unexpected(SourceText source, int i)
    {
        string shown = !System.Text.Rune.TryGetRuneAt(source.Text, i, out var rune)
            ? "an unpaired surrogate"
            : System.Text.Rune.IsControl(rune) ? $"the control character U+{rune.Value:X4}" : $"'{rune}'";
        string hint = source.Text[i] switch { '!' => "; write 'not' for negation", '&' => "; write 'and'", '|' => "; write 'or'", _ => "" };
        return new ModelTextException(source.Diagnostic(i, $"unexpected character {shown}{hint}"));
    }
}
