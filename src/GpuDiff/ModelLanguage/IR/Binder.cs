using GpuDiff.ModelLanguage.Frontend;

namespace GpuDiff.ModelLanguage.IR;

/// <summary>
/// Resolves the names of parsed model text and builds its graph, checking what the grammar does
/// not: names defined once and before use, known functions with the right number of arguments,
/// conditions only where <c>if</c> takes one, at least one input and one output.
/// </summary>
internal sealed class Binder
{
    private static readonly HashSet<string> Keywords = ["input", "param", "let", "output", "if", "and", "or", "not", "pi", "e"];

    private readonly SourceText source;
    private readonly ModelGraph graph = new();
    private readonly Dictionary<string, (Node Node, Declaration Declaration)> defined = [];
    private readonly Dictionary<string, Declaration> declared = [];

    private Binder(SourceText source) => this.source = source;

    public static ModelDefinition Bind(SourceText source, IReadOnlyList<Declaration> declarations) => new Binder(source).Run(declarations);

    private ModelDefinition Run(IReadOnlyList<Declaration> declarations)
    {
        foreach (var d in declarations)
        {
            if (Keywords.Contains(d.Name))
                throw Error(d.Offset, $"'{d.Name}' is a reserved word of the model language; choose another name");
            if (ModelFunction.Find(d.Name) is not null)
                throw Error(d.Offset, $"'{d.Name}' is the name of a function; choose another name");
            if (declared.TryGetValue(d.Name, out var first))
            {
                var (line, column, _) = source.Locate(first.Offset);
                throw Error(d.Offset, $"'{d.Name}' is already defined at line {line}, column {column}");
            }
            declared.Add(d.Name, d);
        }

        var inputs = new List<string>();
        var parameters = new List<ParameterDefinition>();
        var outputs = new List<string>();
        var outputNodes = new List<Node>();
        foreach (var d in declarations)
        {
            Node node;
            switch (d.Kind)
            {
                case StatementKind.Input:
                    node = graph.Input(inputs.Count);
                    inputs.Add(d.Name);
                    break;
                case StatementKind.Param:
                    double? value = null;
                    if (d.Value is not null)
                    {
                        var v = Number(d.Value);
                        if (!v.IsConstant)
                            throw Error(d.Value.Offset, $"the default of parameter '{d.Name}' must be a constant (numbers, pi, e and functions of them)");
                        value = v.Value;
                    }
                    node = graph.Parameter(parameters.Count);
                    parameters.Add(new ParameterDefinition(d.Name, value));
                    break;
                case StatementKind.Let:
                    node = Number(d.Value!);
                    break;
                default:
                    node = Number(d.Value!);
                    outputs.Add(d.Name);
                    outputNodes.Add(node);
                    break;
            }
            defined.Add(d.Name, (node, d));
        }

        int end = source.Text.Length;
        if (inputs.Count == 0) throw Error(end, "the model has no inputs; declare them with 'input x, y'");
        if (outputs.Count == 0) throw Error(end, "the model has no outputs; add 'output f = ...'");
        return new ModelDefinition(inputs, parameters, outputs, outputNodes, graph, Warnings(declarations, outputNodes));
    }

    /// <summary>Inputs and lets that no output depends on: legal, but usually a slip.</summary>
    private List<ModelTextDiagnostic> Warnings(IReadOnlyList<Declaration> declarations, List<Node> outputNodes)
    {
        var reached = new HashSet<Node>();
        var stack = new Stack<Node>(outputNodes);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (reached.Add(node))
                foreach (var a in node.Arguments) stack.Push(a);
        }
        var warnings = new List<ModelTextDiagnostic>();
        foreach (var d in declarations)
        {
            var node = defined[d.Name].Node;
            if (d.Kind == StatementKind.Input && !reached.Contains(node))
                warnings.Add(source.Diagnostic(d.Offset, $"input '{d.Name}' is never used by an output; its derivatives are zero", warning: true));
            else if (d.Kind == StatementKind.Let && !node.IsConstant && !reached.Contains(node))
                warnings.Add(source.Diagnostic(d.Offset, $"'{d.Name}' is never used by an output", warning: true));
        }
        return warnings;
    }

    private Node Number(Expression e)
    {
        var node = Bind(e);
        if (node.Kind == NodeKind.Condition)
            throw Error(e.Offset, "expected a number, found a condition; conditions go in the first argument of if(condition, a, b)");
        return node;
    }

    private Node Condition(Expression e)
    {
        var node = Bind(e);
        if (node.Kind != NodeKind.Condition)
            throw Error(e.Offset, "expected a condition (a comparison such as x > 0, or conditions joined by and, or, not), found a number");
        return node;
    }

    private Node Bind(Expression e) => e switch
    {
        NumberExpression n => graph.Constant(n.Value),
        NameExpression n => Name(n),
        UnaryExpression { Operator: UnaryOperator.Not } u => graph.Logic(Nodes.NodeOpOf(u.Operator), Condition(u.Operand)),
        UnaryExpression { Operator: UnaryOperator.Negate } u => graph.Negate(Number(u.Operand)),
        UnaryExpression u => Number(u.Operand),
        BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } b =>
            graph.Logic(Nodes.NodeOpOf(b.Operator), Condition(b.Left), Condition(b.Right)),
        BinaryExpression { Operator: BinaryOperator.Power } b => Power(Number(b.Left), Number(b.Right)),
        BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide } b =>
            graph.Arithmetic(Nodes.NodeOpOf(b.Operator), Number(b.Left), Number(b.Right)),
        BinaryExpression b => graph.Compare(Nodes.NodeOpOf(b.Operator), Number(b.Left), Number(b.Right)),
        CallExpression c => Call(c),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private Node Name(NameExpression n)
    {
        if (n.Name == "pi") return graph.Constant(Math.PI);
        if (n.Name == "e") return graph.Constant(Math.E);
        if (defined.TryGetValue(n.Name, out var found)) return found.Node;
        if (declared.TryGetValue(n.Name, out var later))
        {
            var (line, column, _) = source.Locate(later.Offset);
            throw Error(n.Offset, $"'{n.Name}' is used before it is defined (at line {line}, column {column})");
        }
        if (ModelFunction.Find(n.Name) is not null || n.Name == "if")
            throw Error(n.Offset, $"'{n.Name}' is a function; call it with arguments in parentheses");
        if (n.Name is "input" or "param" or "let" or "output")
            throw Error(n.Offset, $"'{n.Name}' starts a statement and cannot be used in an expression");
        var near = Spelling.Closest(n.Name, defined.Keys.Concat(["pi", "e"]));
        throw Error(n.Offset, $"unknown name '{n.Name}'{(near is null ? "" : $"; did you mean '{near}'?")}");
    }

    private Node Call(CallExpression c)
    {
        if (c.Name == "if")
        {
            CheckArity(c, 3);
            return graph.Select(Condition(c.Arguments[0]), Number(c.Arguments[1]), Number(c.Arguments[2]));
        }
        var function = ModelFunction.Find(c.Name);
        if (function is null)
        {
            if (declared.ContainsKey(c.Name))
                throw Error(c.Offset, $"'{c.Name}' is a value, not a function; write '{c.Name} * (...)' for a product");
            var near = Spelling.Closest(c.Name, ModelFunction.All.Select(f => f.Name).Append("if"));
            throw Error(c.Offset, $"unknown function '{c.Name}'{(near is null ? "" : $"; did you mean '{near}'?")}");
        }
        CheckArity(c, function.Arity);
        return graph.Call(function, c.Arguments.Select(Number).ToArray());
    }

    private void CheckArity(CallExpression c, int arity)
    {
        if (c.Arguments.Count != arity)
            throw Error(c.Offset, $"'{c.Name}' takes {arity} argument{(arity == 1 ? "" : "s")}, found {c.Arguments.Count}");
    }

    /// <summary>
    /// x^2 and x^3 are the products x*x and x*x*x, as hand-written code computes squares and cubes
    /// (x*x is also the correctly rounded square); x^1 is x, x^0 is 1 (as pow gives, even for NaN),
    /// x^-1 is 1/x; every other power calls pow.
    /// </summary>
    private Node Power(Node x, Node y)
    {
        if (y.IsConstant && !x.IsConstant)
        {
            switch (y.Value)
            {
                case 0.0: return graph.Constant(1.0);
                case 1.0: return x;
                case 2.0: return graph.Arithmetic(NodeOp.Multiply, x, x);
                case 3.0: return graph.Arithmetic(NodeOp.Multiply, graph.Arithmetic(NodeOp.Multiply, x, x), x);
                case -1.0: return graph.Arithmetic(NodeOp.Divide, graph.Constant(1.0), x);
            }
        }
        return graph.Call(ModelFunction.Find("pow")!, [x, y]);
    }

    private ModelTextException Error(int offset, string message) => new(source.Diagnostic(offset, message));
}

/// <summary>The graph operation of each syntax operator.</summary>
internal static class Nodes
{
    public static NodeOp NodeOpOf(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => NodeOp.Add,
        BinaryOperator.Subtract => NodeOp.Subtract,
        BinaryOperator.Multiply => NodeOp.Multiply,
        BinaryOperator.Divide => NodeOp.Divide,
        BinaryOperator.Less => NodeOp.Less,
        BinaryOperator.LessEqual => NodeOp.LessEqual,
        BinaryOperator.Greater => NodeOp.Greater,
        BinaryOperator.GreaterEqual => NodeOp.GreaterEqual,
        BinaryOperator.Equal => NodeOp.Equal,
        BinaryOperator.NotEqual => NodeOp.NotEqual,
        BinaryOperator.And => NodeOp.And,
        BinaryOperator.Or => NodeOp.Or,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static NodeOp NodeOpOf(UnaryOperator op) => op == UnaryOperator.Not ? NodeOp.Not : throw new ArgumentOutOfRangeException(nameof(op));
}
