namespace GpuDiff.ModelLanguage.Frontend;

/// <summary>
/// Recursive descent over the tokens. Precedence, loosest first: or, and, not, comparisons (which
/// do not chain), + -, * /, unary - +, then ^ (right-associative, so 2^3^2 is 2^9 and -x^2 is
/// -(x^2); its exponent may carry a sign: x^-2).
/// </summary>
internal sealed class Parser
{
    /// <summary>Deeper expressions are refused with a positioned error, so nothing recurses without bound.</summary>
    public const int MaxDepth = 100;

    private readonly SourceText source;
    private readonly List<Token> tokens;
    private int position;
    private int depth;

    private Parser(SourceText source)
    {
        this.source = source;
        tokens = Lexer.Tokenize(source);
    }

    private Token Current => tokens[position];

    public static List<Declaration> Parse(SourceText source) => new Parser(source).Program();

    private List<Declaration> Program()
    {
        var declarations = new List<Declaration>();
        while (Current.Kind != TokenKind.EndOfText)
        {
            if (Current.Kind == TokenKind.EndOfStatement)
            {
                position++;
                continue;
            }
            Statement(declarations);
            if (Current.Kind is not (TokenKind.EndOfStatement or TokenKind.EndOfText))
                throw Error(Current, $"expected the end of the statement (a new line or ';'), found {Current.Describe()}");
        }
        return declarations;
    }

    private void Statement(List<Declaration> declarations)
    {
        var keyword = Current;
        if (keyword.Kind != TokenKind.Name || keyword.Text is not ("input" or "param" or "let" or "output"))
        {
            string found = keyword.Describe();
            string hint = keyword.Kind == TokenKind.Name && Peek(1).Kind == TokenKind.Equals
                ? $"; to define {keyword.Text}, write 'let {keyword.Text} = ...' or 'output {keyword.Text} = ...'"
                : Suggest(keyword, ["input", "param", "let", "output"]);
            throw Error(keyword, $"expected a statement ('input', 'param', 'let' or 'output'), found {found}{hint}");
        }
        position++;
        switch (keyword.Text)
        {
            case "input":
                do declarations.Add(new Declaration(StatementKind.Input, ExpectName("an input name").Text, tokens[position - 1].Offset, null));
                while (Accept(TokenKind.Comma));
                break;
            case "param":
                do
                {
                    var name = ExpectName("a parameter name");
                    Expression? value = Accept(TokenKind.Equals) ? Expression() : null;
                    declarations.Add(new Declaration(StatementKind.Param, name.Text, name.Offset, value));
                }
                while (Accept(TokenKind.Comma));
                break;
            default:
                var kind = keyword.Text == "let" ? StatementKind.Let : StatementKind.Output;
                var defined = ExpectName(kind == StatementKind.Let ? "a name after 'let'" : "an output name after 'output'");
                if (!Accept(TokenKind.Equals))
                    throw Error(Current, $"expected '=' after '{defined.Text}', found {Current.Describe()}");
                declarations.Add(new Declaration(kind, defined.Text, defined.Offset, Expression()));
                break;
        }
    }

    private Token Peek(int ahead) => tokens[Math.Min(position + ahead, tokens.Count - 1)];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        position++;
        return true;
    }

    private Token ExpectName(string what)
    {
        if (Current.Kind != TokenKind.Name) throw Error(Current, $"expected {what}, found {Current.Describe()}");
        return tokens[position++];
    }

    private Expression Expression() => Nested(Or);

    private Expression Or() => LeftAssociative(And, t => t.Kind == TokenKind.Name && t.Text == "or" ? BinaryOperator.Or : null);

    private Expression And() => LeftAssociative(Not, t => t.Kind == TokenKind.Name && t.Text == "and" ? BinaryOperator.And : null);

    private Expression Not()
    {
        if (Current.Kind == TokenKind.Name && Current.Text == "not")
        {
            var token = tokens[position++];
            return Nested(() => new UnaryExpression(token.Offset, UnaryOperator.Not, Not()));
        }
        return Comparison();
    }

    private Expression Comparison()
    {
        var left = Additive();
        if (ComparisonOperator(Current) is not BinaryOperator op) return left;
        var token = tokens[position++];
        var result = Checked(new BinaryExpression(token.Offset, op, left, Additive()));
        if (ComparisonOperator(Current) is not null)
            throw Error(Current, "comparisons do not chain; write 'a < b and b < c'");
        return result;
    }

    private static BinaryOperator? ComparisonOperator(Token t) => t.Kind switch
    {
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessEqual => BinaryOperator.LessEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        TokenKind.GreaterEqual => BinaryOperator.GreaterEqual,
        TokenKind.EqualEqual => BinaryOperator.Equal,
        TokenKind.NotEqual => BinaryOperator.NotEqual,
        _ => null,
    };

    private Expression Additive() => LeftAssociative(Multiplicative, t => t.Kind switch
    {
        TokenKind.Plus => BinaryOperator.Add,
        TokenKind.Minus => BinaryOperator.Subtract,
        _ => null,
    });

    private Expression Multiplicative() => LeftAssociative(Unary, t => t.Kind switch
    {
        TokenKind.Star => BinaryOperator.Multiply,
        TokenKind.Slash => BinaryOperator.Divide,
        _ => null,
    });

    private Expression LeftAssociative(Func<Expression> operand, Func<Token, BinaryOperator?> operatorOf)
    {
        var left = operand();
        while (operatorOf(Current) is BinaryOperator op)
        {
            var token = tokens[position++];
            left = Checked(new BinaryExpression(token.Offset, op, left, operand()));
        }
        return left;
    }

    private Expression Unary()
    {
        if (Current.Kind is TokenKind.Minus or TokenKind.Plus)
        {
            var token = tokens[position++];
            var op = token.Kind == TokenKind.Minus ? UnaryOperator.Negate : UnaryOperator.Plus;
            return Nested(() => Checked(new UnaryExpression(token.Offset, op, Unary())));
        }
        return Power();
    }

    private Expression Power()
    {
        var basis = Primary();
        if (Current.Kind != TokenKind.Caret) return basis;
        var token = tokens[position++];
        return Nested(() => Checked(new BinaryExpression(token.Offset, BinaryOperator.Power, basis, Unary())));
    }

    private Expression Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                position++;
                return new NumberExpression(token.Offset, token.Number, token.Text);
            case TokenKind.Name when token.Text is "and" or "or" or "not":
                throw Error(token, $"expected a value before '{token.Text}'");
            case TokenKind.Name:
                position++;
                if (!Accept(TokenKind.LeftParen)) return new NameExpression(token.Offset, token.Text);
                var arguments = new List<Expression>();
                if (Current.Kind != TokenKind.RightParen)
                {
                    do arguments.Add(Expression());
                    while (Accept(TokenKind.Comma));
                }
                var close = Current;
                if (!Accept(TokenKind.RightParen))
                    throw Error(close, $"expected ',' or ')' in the call of '{token.Text}', found {close.Describe()}");
                return Checked(new CallExpression(token.Offset, token.Text, arguments, close.Offset));
            case TokenKind.LeftParen:
                position++;
                var inner = Expression();
                if (!Accept(TokenKind.RightParen))
                    throw Error(Current, $"expected ')' to close the '(' at column {source.Locate(token.Offset).Column}, found {Current.Describe()}");
                return inner;
            default:
                throw Error(token, $"expected a number, a name, a call or '(', found {token.Describe()}");
        }
    }

    private Expression Nested(Func<Expression> parse)
    {
        // The depth limit keeps this far from the stack's end; the check is a backstop for small thread stacks.
        if (++depth > MaxDepth || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(Current, $"the expression is nested more than {MaxDepth} levels deep; split it with 'let'");
        var result = parse();
        depth--;
        return result;
    }

    /// <summary>Long chains (a + b + c + ...) grow the tree without recursion in the parser; the binder recurses, so their depth is bounded too.</summary>
    private Expression Checked(Expression e) =>
        e.Depth > 4 * MaxDepth
            ? throw Error(tokens[position - 1], $"the expression is more than {4 * MaxDepth} operations deep; split it with 'let'")
            : e;

    private static string Suggest(Token token, IEnumerable<string> candidates) =>
        token.Kind == TokenKind.Name && Spelling.Closest(token.Text, candidates) is string near ? $"; did you mean '{near}'?" : "";

    private ModelTextException Error(Token at, string message) => new(source.Diagnostic(at.Offset, message));
}
