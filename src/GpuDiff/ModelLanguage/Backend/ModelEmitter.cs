using System.Reflection;
using System.Reflection.Emit;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.ModelLanguage.IR;

namespace GpuDiff.ModelLanguage.Backend;

/// <summary>
/// Writes a checked model as the IL of a public struct implementing <see cref="IModel"/>, the
/// same IL C# gives for the same formula, so ILGPU reads it like any model and every backend runs
/// the same kernels. Nodes become locals in graph order; constants stay constants: next to a
/// number type they go through its operators (which tie them to the run-time operand), and in
/// double arithmetic of parameters through <see cref="DiffMath.Tied"/>, so no two constants ever
/// meet in a shape ILGPU 1.5.3 reassociates.
/// </summary>
internal sealed class ModelEmitter
{
    private static readonly MethodInfo ContractEvaluate = typeof(IModel).GetMethod(nameof(IModel.Evaluate))!;
    private static readonly MethodInfo TiedMethod = typeof(DiffMath).GetMethod(nameof(DiffMath.Tied))!;
    private static readonly MethodInfo SinCosMethod = typeof(DiffMath).GetMethod(nameof(DiffMath.SinCos))!;

    private readonly ModelDefinition model;
    private readonly ILGenerator il;
    private readonly GenericTypeParameterBuilder number;
    private readonly GenericTypeParameterBuilder arguments;
    private readonly Type numberContract;
    private readonly Type argumentsContract;
    private readonly Dictionary<Node, LocalBuilder> locals = [];

    private ModelEmitter(ModelDefinition model, MethodBuilder evaluate)
    {
        this.model = model;
        var parameters = evaluate.DefineGenericParameters("T", "TArgs");
        number = parameters[0];
        arguments = parameters[1];
        numberContract = typeof(IDiffNumber<>).MakeGenericType(number);
        argumentsContract = typeof(IModelArguments<>).MakeGenericType(number);
        // The constraints must be the contract's, or the runtime refuses the implementation.
        var contract = ContractEvaluate.GetGenericArguments();
        number.SetGenericParameterAttributes(contract[0].GenericParameterAttributes);
        arguments.SetGenericParameterAttributes(contract[1].GenericParameterAttributes);
        number.SetInterfaceConstraints(numberContract);
        arguments.SetInterfaceConstraints(argumentsContract);
        if (contract[0].GetGenericParameterConstraints().Contains(typeof(ValueType))) number.SetBaseTypeConstraint(typeof(ValueType));
        if (contract[1].GetGenericParameterConstraints().Contains(typeof(ValueType))) arguments.SetBaseTypeConstraint(typeof(ValueType));
        evaluate.SetParameters(arguments.MakeByRefType());
        evaluate.DefineParameter(1, ParameterAttributes.None, "io");
        il = evaluate.GetILGenerator();
    }

    /// <summary>Defines the model's struct in <paramref name="module"/> and returns its builder, completed.</summary>
    public static TypeBuilder Define(ModuleBuilder module, string typeName, ModelDefinition model)
    {
        var type = module.DefineType(typeName,
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout | TypeAttributes.BeforeFieldInit,
            typeof(ValueType), [typeof(IModel)]);
        Count(type, nameof(IModel.Inputs), model.Inputs.Count);
        Count(type, nameof(IModel.Outputs), model.Outputs.Count);
        Count(type, nameof(IModel.Parameters), model.Parameters.Count);
        var evaluate = type.DefineMethod(nameof(IModel.Evaluate),
            MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.HideBySig | MethodAttributes.NewSlot);
        // Every local is stored before it is read, so the frame need not be zeroed on each call.
        evaluate.InitLocals = false;
        new ModelEmitter(model, evaluate).Body();
        type.DefineMethodOverride(evaluate, ContractEvaluate);
        return type;
    }

    private static void Count(TypeBuilder type, string name, int value)
    {
        var getter = type.DefineMethod("get_" + name,
            MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.HideBySig | MethodAttributes.NewSlot | MethodAttributes.SpecialName,
            typeof(int), Type.EmptyTypes);
        var il = getter.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, value);
        il.Emit(OpCodes.Ret);
        type.DefineProperty(name, PropertyAttributes.None, typeof(int), null).SetGetMethod(getter);
        type.DefineMethodOverride(getter, typeof(IModel).GetProperty(name)!.GetMethod!);
    }

    /// <summary>
    /// Nodes in the order the outputs need them (depth first), each in a local that is handed to a
    /// later node once its last use has passed: a model written as a long unrolled formula then
    /// keeps as few values alive, and as small a stack frame, as the loop a C# author would write.
    /// </summary>
    private void Body()
    {
        var order = Schedule();
        var reached = order.ToHashSet();
        var sinCos = SinCosPairs(reached);
        var lastUse = new Dictionary<Node, int>();
        for (int i = 0; i < order.Count; i++)
            foreach (var operand in Operands(order[i])) lastUse[operand] = i;
        foreach (var output in model.OutputNodes) lastUse[output] = int.MaxValue;
        for (int i = 0; i < order.Count; i++)
        {
            var node = order[i];
            if (!locals.ContainsKey(node))
            {
                if (sinCos.TryGetValue(node.Arguments.FirstOrDefault() ?? node, out var pair) && (node == pair.Sin || node == pair.Cos))
                    SinCos(pair.Sin, pair.Cos);
                else
                {
                    Compute(node);
                    var local = Take(node.Kind == NodeKind.Varying ? number : typeof(double));
                    il.Emit(OpCodes.Stloc, local);
                    locals.Add(node, local);
                }
            }
            foreach (var operand in Operands(node).Distinct())
                if (lastUse[operand] == i && locals.Remove(operand, out var free))
                    (free.LocalType == typeof(double) ? freeScalars : freeNumbers).Push(free);
        }
        for (int j = 0; j < model.OutputNodes.Count; j++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, j);
            PushNumber(model.OutputNodes[j]);
            CallArguments("Output");
        }
        il.Emit(OpCodes.Ret);
    }

    private readonly Stack<LocalBuilder> freeNumbers = new();
    private readonly Stack<LocalBuilder> freeScalars = new();

    private LocalBuilder Take(Type type)
    {
        var pool = type == typeof(double) ? freeScalars : freeNumbers;
        return pool.Count > 0 ? pool.Pop() : il.DeclareLocal(type);
    }

    /// <summary>Nodes held in locals that computing this node reads: its arguments, and a select's condition's operands (conditions are computed in place).</summary>
    private static IEnumerable<Node> Operands(Node node)
    {
        var stack = new Stack<Node>(node.Arguments);
        while (stack.Count > 0)
        {
            var a = stack.Pop();
            if (a.IsConstant) continue;
            if (a.Kind == NodeKind.Condition) foreach (var b in a.Arguments) stack.Push(b);
            else yield return a;
        }
    }

    /// <summary>Post-order from the outputs, without recursion (a chain of lets may be thousands deep).</summary>
    private List<Node> Schedule()
    {
        var order = new List<Node>();
        var seen = new HashSet<Node>();
        foreach (var output in model.OutputNodes)
        {
            var stack = new Stack<(Node Node, bool Expanded)>();
            stack.Push((output, false));
            while (stack.Count > 0)
            {
                var (node, expanded) = stack.Pop();
                if (node.IsConstant) continue;
                if (expanded)
                {
                    if (node.Kind != NodeKind.Condition) order.Add(node);
                    continue;
                }
                if (!seen.Add(node)) continue;
                stack.Push((node, true));
                for (int k = node.Arguments.Length - 1; k >= 0; k--) stack.Push((node.Arguments[k], false));
            }
        }
        return order;
    }

    /// <summary>sin(x) and cos(x) of the same varying x, both used: one argument reduction for the two, as SinCos gives (same bits as each alone).</summary>
    private static Dictionary<Node, (Node Sin, Node Cos)> SinCosPairs(HashSet<Node> reached)
    {
        var calls = reached.Where(n => n.Op == NodeOp.Call && n.Kind == NodeKind.Varying && n.Function!.Name is "sin" or "cos").ToList();
        var pairs = new Dictionary<Node, (Node, Node)>();
        foreach (var sin in calls.Where(n => n.Function!.Name == "sin"))
            if (calls.FirstOrDefault(n => n.Function!.Name == "cos" && n.Arguments[0] == sin.Arguments[0]) is Node cos)
                pairs.Add(sin.Arguments[0], (sin, cos));
        return pairs;
    }

    private void SinCos(Node sin, Node cos)
    {
        var s = Take(number);
        var c = Take(number);
        PushNumber(sin.Arguments[0]);
        il.Emit(OpCodes.Ldloca, s);
        il.Emit(OpCodes.Ldloca, c);
        il.Emit(OpCodes.Call, SinCosMethod.MakeGenericMethod(number));
        locals.Add(sin, s);
        locals.Add(cos, c);
    }

    /// <summary>Leaves the node's value on the stack: a T for varying nodes, a double for scalar ones.</summary>
    private void Compute(Node node)
    {
        switch (node.Op)
        {
            case NodeOp.Input:
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, node.Index);
                CallArguments("Input");
                break;
            case NodeOp.Parameter:
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, node.Index);
                CallArguments("Parameter");
                break;
            case NodeOp.Negate when node.Kind == NodeKind.Scalar:
                PushDouble(node.Arguments[0], null);
                il.Emit(OpCodes.Neg);
                break;
            case NodeOp.Negate:
                PushNumber(node.Arguments[0]);
                CallNumber("op_UnaryNegation", true);
                break;
            case NodeOp.Add or NodeOp.Subtract or NodeOp.Multiply or NodeOp.Divide:
                Arithmetic(node);
                break;
            case NodeOp.Call:
                Call(node);
                break;
            case NodeOp.Select:
                var otherwise = il.DefineLabel();
                var done = il.DefineLabel();
                PushCondition(node.Arguments[0]);
                il.Emit(OpCodes.Brfalse, otherwise);
                Push(node.Arguments[1], node.Kind);
                il.Emit(OpCodes.Br, done);
                il.MarkLabel(otherwise);
                Push(node.Arguments[2], node.Kind);
                il.MarkLabel(done);
                break;
            default:
                throw new InvalidOperationException($"No code for {node.Op}.");
        }
    }

    private void Arithmetic(Node node)
    {
        Node a = node.Arguments[0], b = node.Arguments[1];
        if (node.Kind == NodeKind.Scalar)
        {
            PushDouble(a, b);
            PushDouble(b, a);
            il.Emit(node.Op switch { NodeOp.Add => OpCodes.Add, NodeOp.Subtract => OpCodes.Sub, NodeOp.Multiply => OpCodes.Mul, _ => OpCodes.Div });
            return;
        }
        // A double operand stays a double, as in hand-written code: T * double is not T * T.Constant
        // (their derivative parts can differ in the sign of zero).
        bool aVaries = a.Kind == NodeKind.Varying, bVaries = b.Kind == NodeKind.Varying;
        if (aVaries) PushNumber(a); else PushDouble(a, null);
        if (bVaries) PushNumber(b); else PushDouble(b, null);
        string name = node.Op switch { NodeOp.Add => "op_Addition", NodeOp.Subtract => "op_Subtraction", NodeOp.Multiply => "op_Multiply", _ => "op_Division" };
        CallNumber(name, aVaries, bVaries);
    }

    private void Call(Node node)
    {
        var f = node.Function!;
        var args = node.Arguments;
        if (node.Kind == NodeKind.Scalar)
        {
            var anchor = args.First(a => !a.IsConstant);
            foreach (var a in args) PushDouble(a, a == anchor ? null : anchor);
            il.Emit(OpCodes.Call, f.Scalar);
            return;
        }
        bool lastAsDouble = f.VaryingWithScalarLast is not null && (f.Varying is null || args[^1].Kind != NodeKind.Varying);
        for (int i = 0; i < args.Length; i++)
        {
            if (i == args.Length - 1 && lastAsDouble) PushValue(args[i], decides: false);
            else PushNumber(args[i]);
        }
        il.Emit(OpCodes.Call, (lastAsDouble ? f.VaryingWithScalarLast! : f.Varying!).MakeGenericMethod(number));
    }

    private void Push(Node node, NodeKind kind)
    {
        if (kind == NodeKind.Varying) PushNumber(node);
        else PushDouble(node, null);
    }

    /// <summary>The node as a T; constants and doubles become T.Constant.</summary>
    private void PushNumber(Node node)
    {
        if (node.Kind == NodeKind.Varying)
        {
            il.Emit(OpCodes.Ldloc, locals[node]);
            return;
        }
        PushDouble(node, null);
        CallNumber("Constant", false);
    }

    /// <summary>A constant or scalar node as a double; a constant used beside <paramref name="anchor"/> is tied to it.</summary>
    private void PushDouble(Node node, Node? anchor)
    {
        if (!node.IsConstant)
        {
            il.Emit(OpCodes.Ldloc, locals[node]);
            return;
        }
        il.Emit(OpCodes.Ldc_R8, node.Value);
        if (anchor is not null && !anchor.IsConstant)
        {
            PushValue(anchor, decides: false);
            il.Emit(OpCodes.Call, TiedMethod);
        }
    }

    /// <summary>
    /// The primal value of any number node as a double: read as Primal where it <paramref name="decides"/>
    /// a branch (so pattern detection sees the branch), as RuleValue where it only feeds a value.
    /// </summary>
    private void PushValue(Node node, bool decides)
    {
        if (node.Kind != NodeKind.Varying)
        {
            PushDouble(node, null);
            return;
        }
        if (!decides)
        {
            il.Emit(OpCodes.Ldloc, locals[node]);
            CallNumber("RuleValue", true);
            return;
        }
        il.Emit(OpCodes.Ldloca, locals[node]);
        il.Emit(OpCodes.Constrained, number);
        il.Emit(OpCodes.Callvirt, ContractMethod(numberContract, typeof(IDiffNumber<>), "get_Primal"));
    }

    /// <summary>Leaves 1 or 0. Comparisons are IEEE's on primal values: false with a NaN, except !=.</summary>
    private void PushCondition(Node node)
    {
        switch (node.Op)
        {
            case NodeOp.Constant:
                il.Emit(node.Value != 0.0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                return;
            case NodeOp.Not:
                PushCondition(node.Arguments[0]);
                Negate();
                return;
            case NodeOp.And or NodeOp.Or:
                PushCondition(node.Arguments[0]);
                PushCondition(node.Arguments[1]);
                il.Emit(node.Op == NodeOp.And ? OpCodes.And : OpCodes.Or);
                return;
        }
        PushValue(node.Arguments[0], decides: true);
        PushValue(node.Arguments[1], decides: true);
        switch (node.Op)
        {
            case NodeOp.Less: il.Emit(OpCodes.Clt); break;
            case NodeOp.Greater: il.Emit(OpCodes.Cgt); break;
            case NodeOp.Equal: il.Emit(OpCodes.Ceq); break;
            // a <= b is "not (a > b or unordered)"; a >= b likewise; a != b is "not (a == b)".
            case NodeOp.LessEqual: il.Emit(OpCodes.Cgt_Un); Negate(); break;
            case NodeOp.GreaterEqual: il.Emit(OpCodes.Clt_Un); Negate(); break;
            case NodeOp.NotEqual: il.Emit(OpCodes.Ceq); Negate(); break;
            default: throw new InvalidOperationException($"{node.Op} is not a condition.");
        }
    }

    private void Negate()
    {
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ceq);
    }

    /// <summary>A static member of the number contract (operators, Constant), picked by which operands are T.</summary>
    private void CallNumber(string name, params bool[] operandIsNumber)
    {
        var open = typeof(IDiffNumber<>);
        var t = open.GetGenericArguments()[0];
        var method = open.GetMethods().Single(m => m.Name == name && m.GetParameters().Length == operandIsNumber.Length
            && m.GetParameters().Select((p, i) => p.ParameterType == (operandIsNumber[i] ? t : typeof(double))).All(x => x));
        il.Emit(OpCodes.Constrained, number);
        il.Emit(OpCodes.Call, TypeBuilder.GetMethod(numberContract, method));
    }

    private void CallArguments(string name)
    {
        il.Emit(OpCodes.Constrained, arguments);
        il.Emit(OpCodes.Callvirt, ContractMethod(argumentsContract, typeof(IModelArguments<>), name));
    }

    private static MethodInfo ContractMethod(Type constructed, Type open, string name) =>
        TypeBuilder.GetMethod(constructed, open.GetMethod(name)!);
}
