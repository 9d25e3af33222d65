using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Engine;

/// <summary>
/// A model broke its contract while it was evaluated: it read an input or parameter that does not
/// exist, wrote an output that does not exist, or wrote an output twice or never. The batch's
/// results are discarded. Every backend reports the same mistake with the same message.
/// </summary>
public sealed class ModelFaultException : InvalidOperationException
{
    internal ModelFaultException(Type model, ModelFault fault, int index, long point, int inputs, int outputs, int parameters)
        : base(Describe(model, fault, index, point, inputs, outputs, parameters))
    {
        ModelType = model;
        Fault = fault;
        Index = index;
        Point = point;
    }

    /// <summary>The model's type.</summary>
    public Type ModelType { get; }

    /// <summary>What the model did wrong.</summary>
    public ModelFault Fault { get; }

    /// <summary>The input, output or parameter index it used.</summary>
    public int Index { get; }

    /// <summary>The index of the point whose evaluation found it (the first recorded, if several did).</summary>
    public long Point { get; }

    private static string Describe(Type model, ModelFault fault, int index, long point, int inputs, int outputs, int parameters)
    {
        string name = model.Name, at = $" (at point {point})";
        return fault switch
        {
            ModelFault.InputOutOfRange => $"{name} read input {index}, but has {inputs} input{Plural(inputs)}{at}.",
            ModelFault.OutputOutOfRange => $"{name} wrote output {index}, but has {outputs} output{Plural(outputs)}{at}.",
            ModelFault.ParameterOutOfRange => $"{name} read parameter {index}, but declares {parameters} parameter{Plural(parameters)}" +
                $" (set its Parameters property to the count it reads){at}.",
            ModelFault.OutputWrittenTwice => $"{name} wrote output {index} twice in one evaluation; each output must be written exactly once{at}.",
            ModelFault.OutputNotWritten when index >= 64 => $"{name} did not write each of its outputs 64..{outputs - 1} exactly once{at}.",
            ModelFault.OutputNotWritten => $"{name} never wrote output {index} of its {outputs}; each output must be written exactly once{at}.",
            _ => $"{name} reported an unknown fault {(long)fault}{at}.",
        };
    }

    private static string Plural(int count) => count == 1 ? "" : "s";

    /// <summary>Throws the job's recorded fault, if any; <paramref name="pointOffset"/> turns job points into the caller's.</summary>
    internal static void ThrowIfAny<TModel>(TModel model, long[] cells, long pointOffset) where TModel : struct, Kernels.Models.IModel
    {
        if (cells[0] == 0) return;
        throw new ModelFaultException(typeof(TModel), (ModelFault)cells[0], (int)cells[1], pointOffset + cells[2],
            model.Inputs, model.Outputs, model.Parameters);
    }
}
