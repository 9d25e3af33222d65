namespace GpuDiff.ModelLanguage.IR;

internal enum NodeOp
{
    Constant, Input, Parameter,
    Add, Subtract, Multiply, Divide, Negate, Call, Select,
    Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, And, Or, Not,
}

/// <summary>
/// What a node's value is at run time: a constant known while compiling, a double that does not
/// depend on the inputs (a parameter, or arithmetic of parameters), a number carrying derivatives,
/// or a condition (true or false; for constants the value is 1 or 0).
/// </summary>
internal enum NodeKind { Constant, Scalar, Varying, Condition }

/// <summary>One operation of a compiled model; nodes are shared, so a subexpression written twice is one node and is computed once.</summary>
internal sealed class Node(int id, NodeOp op, NodeKind kind, Node[] arguments, double value = 0.0, int index = 0, ModelFunction? function = null)
{
    public int Id { get; } = id;

    public NodeOp Op { get; } = op;

    public NodeKind Kind { get; } = kind;

    public Node[] Arguments { get; } = arguments;

    /// <summary>The value of a constant (1 or 0 for a constant condition).</summary>
    public double Value { get; } = value;

    /// <summary>The input's or parameter's index.</summary>
    public int Index { get; } = index;

    public ModelFunction? Function { get; } = function;

    public bool IsConstant => Op == NodeOp.Constant;
}
