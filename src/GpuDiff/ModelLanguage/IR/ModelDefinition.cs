namespace GpuDiff.ModelLanguage.IR;

/// <summary>A parameter: its name and its default, or null where every call must give it.</summary>
internal sealed record ParameterDefinition(string Name, double? Default);

/// <summary>A checked model: names in order, the graph, the node of each output, and the warnings.</summary>
internal sealed record ModelDefinition(
    IReadOnlyList<string> Inputs,
    IReadOnlyList<ParameterDefinition> Parameters,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<Node> OutputNodes,
    ModelGraph Graph,
    IReadOnlyList<ModelTextDiagnostic> Warnings);
