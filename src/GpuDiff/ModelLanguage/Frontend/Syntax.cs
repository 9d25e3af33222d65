namespace GpuDiff.ModelLanguage.Frontend;

// The syntax tree of model text, as written: the binder resolves names and types.

internal enum BinaryOperator { Add, Subtract, Multiply, Divide, Power, Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, And, Or }

internal enum UnaryOperator { Negate, Plus, Not }

/// <summary>An expression at an offset (the operator's for operators, the name's for calls); <see cref="Depth"/> bounds the binder's recursion.</summary>
internal abstract record Expression(int Offset)
{
    public abstract int Depth { get; }
}

internal sealed record NumberExpression(int Offset, double Value, string Text) : Expression(Offset)
{
    public override int Depth => 1;
}

internal sealed record NameExpression(int Offset, string Name) : Expression(Offset)
{
    public override int Depth => 1;
}

internal sealed record UnaryExpression(int Offset, UnaryOperator Operator, Expression Operand) : Expression(Offset)
{
    public override int Depth { get; } = Operand.Depth + 1;
}

internal sealed record BinaryExpression(int Offset, BinaryOperator Operator, Expression Left, Expression Right) : Expression(Offset)
{
    public override int Depth { get; } = Math.Max(Left.Depth, Right.Depth) + 1;
}

internal sealed record CallExpression(int Offset, string Name, IReadOnlyList<Expression> Arguments, int CloseOffset) : Expression(Offset)
{
    public override int Depth { get; } = Arguments.Count == 0 ? 1 : Arguments.Max(a => a.Depth) + 1;
}

internal enum StatementKind { Input, Param, Let, Output }

/// <summary>One declared name: an input, a parameter (with an optional default), a let or an output (with its expression).</summary>
internal sealed record Declaration(StatementKind Kind, string Name, int Offset, Expression? Value);
