using GpuDiff.ModelLanguage.Frontend;

namespace GpuDiff.ModelLanguage;

/// <summary>
/// A compiled model from text with its parameter values; every <c>DerivativeEngine</c> API takes
/// it. Immutable: <see cref="WithParameter"/> returns a new model that shares the compiled code.
/// </summary>
public sealed class TextModel
{
    private readonly double?[] values;

    internal TextModel(CompiledModel compiled) : this(compiled, compiled.Definition.Parameters.Select(p => p.Default).ToArray()) { }

    private TextModel(CompiledModel compiled, double?[] values)
    {
        Compiled = compiled;
        this.values = values;
    }

    internal CompiledModel Compiled { get; }

    /// <summary>The model's name (the file name for <see cref="ModelText.Load"/>).</summary>
    public string Name => Compiled.Name;

    /// <summary>The text the model was compiled from.</summary>
    public string Text => Compiled.Text;

    /// <summary>n, the number of inputs.</summary>
    public int Inputs => Compiled.Definition.Inputs.Count;

    /// <summary>m, the number of outputs.</summary>
    public int Outputs => Compiled.Definition.Outputs.Count;

    /// <summary>The inputs' names, in order (the order of a point's coordinates).</summary>
    public IReadOnlyList<string> InputNames => Compiled.Definition.Inputs;

    /// <summary>The outputs' names, in order.</summary>
    public IReadOnlyList<string> OutputNames => Compiled.Definition.Outputs;

    /// <summary>The parameters' names, in order.</summary>
    public IReadOnlyList<string> ParameterNames => Compiled.Definition.Parameters.Select(p => p.Name).ToArray();

    /// <summary>Warnings found while compiling (inputs or lets no output uses).</summary>
    public IReadOnlyList<ModelTextDiagnostic> Warnings => Compiled.Definition.Warnings;

    /// <summary>The compiled struct, which implements <c>IModel</c>; for use with generic code of your own.</summary>
    public Type ModelType => Compiled.Type;

    /// <summary>The value a parameter has in this model: the one set, else its default, else null.</summary>
    public double? ParameterValue(string name) => values[IndexOf(name)];

    /// <summary>This model with one parameter set; the compiled code is shared.</summary>
    public TextModel WithParameter(string name, double value) => WithParameters([new KeyValuePair<string, double>(name, value)]);

    /// <summary>This model with the given parameters set; an unknown name is an <see cref="ArgumentException"/> naming it.</summary>
    public TextModel WithParameters(IEnumerable<KeyValuePair<string, double>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var copy = (double?[])values.Clone();
        foreach (var (name, value) in parameters) copy[IndexOf(name)] = value;
        return new TextModel(Compiled, copy);
    }

    /// <summary>The parameter buffer for a call; every parameter must have a value.</summary>
    /// <summary>
    /// Whether the model can take different operations at different points: an <c>if</c>, or min or
    /// max of something varying. Otherwise its sparsity pattern is the same at every point (the
    /// math's own branches are on constants only), so one point's detection holds for all.
    /// </summary>
    public bool Branches => Compiled.Definition.Graph.Nodes.Any(node => node.Op == IR.NodeOp.Select
        || node.Op == IR.NodeOp.Call && node.Function!.Name is "min" or "max" && node.Arguments.Any(a => a.Kind == IR.NodeKind.Varying));

    internal double[] ParameterBuffer()
    {
        var missing = Compiled.Definition.Parameters.Where((p, i) => values[i] is null).Select(p => $"'{p.Name}'").ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"Model '{Name}' needs a value for parameter{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}, which {(missing.Length == 1 ? "has" : "have")} no default; set {(missing.Length == 1 ? "it" : "them")} with WithParameter.", "model");
        return values.Select(v => v!.Value).ToArray();
    }

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var names = Compiled.Definition.Parameters.Select(p => p.Name).ToList();
        int index = names.IndexOf(name);
        if (index >= 0) return index;
        string known = names.Count == 0 ? "it has no parameters" : $"its parameters are {string.Join(", ", names)}";
        string near = Spelling.Closest(name, names) is string n ? $"; did you mean '{n}'?" : "";
        throw new ArgumentException($"Model '{Name}' has no parameter '{name}' ({known}){near}", nameof(name));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: R^{Inputs} -> R^{Outputs} ({string.Join(", ", InputNames)}) -> ({string.Join(", ", OutputNames)})";
}
