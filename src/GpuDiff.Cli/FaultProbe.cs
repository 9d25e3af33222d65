using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Cli;

/// <summary>
/// A model with a deliberate mistake for <c>gpudiff verify</c>: where x0 &gt;= 10 it writes output 5
/// of its 2, so verify can show that each backend catches it and reports what the host reports.
/// Public: ILGPU compiles it.
/// </summary>
public readonly struct FaultProbe : IModel
{
    /// <inheritdoc />
    public int Inputs => 2;

    /// <inheritdoc />
    public int Outputs => 2;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * y);
        io.Output(x >= 10.0 ? 5 : 1, x - y);
    }
}
