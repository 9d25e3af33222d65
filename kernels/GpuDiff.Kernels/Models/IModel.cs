using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Kernels.Models;

/// <summary>
/// A user model f: R^n -> R^m, written once and evaluated as values, duals and hyper-duals.
/// Implement it on a struct (kernels take models by value); constants that fit in fields live
/// there, larger tables come through <see cref="IModelArguments{T}.Parameter"/>.
/// </summary>
/// <example>
/// <code>
/// public struct Seed : IModel
/// {
///     public int Inputs => 2;
///     public int Outputs => 2;
///     public void Evaluate&lt;T, TArgs&gt;(ref TArgs io) where T : struct, IDiffNumber&lt;T&gt; where TArgs : struct, IModelArguments&lt;T&gt;
///     {
///         T x = io.Input(0), y = io.Input(1);
///         io.Output(0, x * x + y);
///         io.Output(1, x * y);
///     }
/// }
/// </code>
/// </example>
public interface IModel
{
    /// <summary>n, the number of inputs.</summary>
    int Inputs { get; }

    /// <summary>m, the number of outputs.</summary>
    int Outputs { get; }

    /// <summary>
    /// How many parameters the model reads through <see cref="IModelArguments{T}.Parameter"/>; a call
    /// that passes fewer is refused before anything runs, and a read at or past this count is a
    /// model mistake. Models without parameters keep the default, 0.
    /// </summary>
    int Parameters => 0;

    /// <summary>
    /// Reads the inputs from <paramref name="io"/> and writes every output to it exactly once. An
    /// index out of range, an output written twice or never is reported as a
    /// <c>ModelFaultException</c> naming the model, and the batch's results are discarded. Pass
    /// <paramref name="io"/> on by <c>ref</c> to helpers: it keeps track of the outputs written.
    /// </summary>
    void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>;
}

/// <summary>How a model reads its inputs and writes its outputs; each kernel seeds and stores through its own.</summary>
/// <typeparam name="T">The number type of this evaluation.</typeparam>
public interface IModelArguments<T> where T : struct, IDiffNumber<T>
{
    /// <summary>Input i, 0 &lt;= i &lt; n, seeded for whatever this kernel differentiates.</summary>
    T Input(int i);

    /// <summary>Stores output j, 0 &lt;= j &lt; m.</summary>
    void Output(int j, T value);

    /// <summary>Constant parameter k from the parameter buffer given with the call.</summary>
    double Parameter(int k);
}
