namespace GpuDiff.ModelLanguage.IR;

/// <summary>
/// Builds a model's operations as a shared graph: each distinct operation on the same arguments
/// is made once (common subexpressions are computed once), and operations on constants are
/// computed here with the project's own arithmetic and math, which the kernels share. Nothing
/// else is rewritten: x + 0 or x * 1 stay, since they can change a sign of zero or a NaN.
/// </summary>
internal sealed class ModelGraph
{
    private readonly Dictionary<(NodeOp, NodeKind, long, int, string?, string), Node> made = [];

    public List<Node> Nodes { get; } = [];

    public Node Constant(double value) => Make(NodeOp.Constant, NodeKind.Constant, [], value: value);

    public Node Condition(bool value) => Make(NodeOp.Constant, NodeKind.Condition, [], value: value ? 1.0 : 0.0);

    public Node Input(int index) => Make(NodeOp.Input, NodeKind.Varying, [], index: index);

    public Node Parameter(int index) => Make(NodeOp.Parameter, NodeKind.Scalar, [], index: index);

    public Node Arithmetic(NodeOp op, Node a, Node b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            double x = a.Value, y = b.Value;
            return Constant(op switch
            {
                NodeOp.Add => x + y,
                NodeOp.Subtract => x - y,
                NodeOp.Multiply => x * y,
                NodeOp.Divide => x / y,
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            });
        }
        return Make(op, Wider(a, b), [a, b]);
    }

    public Node Negate(Node a) => a.IsConstant ? Constant(-a.Value) : Make(NodeOp.Negate, a.Kind, [a]);

    public Node Call(ModelFunction function, Node[] arguments)
    {
        if (arguments.All(a => a.IsConstant)) return Constant(function.Fold(arguments.Select(a => a.Value).ToArray()));
        var kind = arguments.Any(a => a.Kind == NodeKind.Varying) ? NodeKind.Varying : NodeKind.Scalar;
        return Make(NodeOp.Call, kind, arguments, function: function);
    }

    public Node Compare(NodeOp op, Node a, Node b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            double x = a.Value, y = b.Value;
            return Condition(op switch
            {
                NodeOp.Less => x < y,
                NodeOp.LessEqual => x <= y,
                NodeOp.Greater => x > y,
                NodeOp.GreaterEqual => x >= y,
                NodeOp.Equal => x == y,
                NodeOp.NotEqual => x != y,
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            });
        }
        return Make(op, NodeKind.Condition, [a, b]);
    }

    public Node Logic(NodeOp op, Node a, Node? b = null)
    {
        if (a.IsConstant && (b is null || b.IsConstant))
        {
            bool x = a.Value != 0.0;
            return Condition(op switch { NodeOp.And => x && b!.Value != 0.0, NodeOp.Or => x || b!.Value != 0.0, _ => !x });
        }
        return Make(op, NodeKind.Condition, b is null ? [a] : [a, b]);
    }

    public Node Select(Node condition, Node whenTrue, Node whenFalse)
    {
        if (condition.IsConstant) return condition.Value != 0.0 ? whenTrue : whenFalse;
        return Make(NodeOp.Select, Wider(whenTrue, whenFalse), [condition, whenTrue, whenFalse]);
    }

    /// <summary>The kind of an operation that was not folded: a double unless an operand varies (if(x > 0, 1, 2) is a double).</summary>
    private static NodeKind Wider(Node a, Node b) =>
        a.Kind == NodeKind.Varying || b.Kind == NodeKind.Varying ? NodeKind.Varying : NodeKind.Scalar;

    private Node Make(NodeOp op, NodeKind kind, Node[] arguments, double value = 0.0, int index = 0, ModelFunction? function = null)
    {
        // Constants are keyed by their bits, so 0.0 and -0.0 stay two constants; the kind is a key of its
        // own (mixed into the bits, the number -2.0 and the condition false shared a key).
        var key = (op, kind, BitConverter.DoubleToInt64Bits(value), index, function?.Name, string.Join(',', arguments.Select(a => a.Id)));
        if (made.TryGetValue(key, out var node)) return node;
        node = new Node(Nodes.Count, op, kind, arguments, value, index, function);
        Nodes.Add(node);
        made.Add(key, node);
        return node;
    }
}
