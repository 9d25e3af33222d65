using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Tests;

/// <summary>
/// Constants written the way formulas are written, in the shapes ILGPU 1.5.3 reassociates for GPUs
/// ((x op c1) op c2, c1 - (c2 - x)), and Ackley's function as the literature writes it
/// (... + 20 + e). Bit-identical to the host on every backend only because every constant that
/// meets a number is opaque to ILGPU.
/// </summary>
public readonly struct ConstantChains : IModel
{
    public int Inputs => 2;

    public int Outputs => 7;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * y * 0.1 * 3.0);
        io.Output(1, x * y + 0.1 + 0.2);
        io.Output(2, 1.0 - (2.0 - x * y));
        io.Output(3, (x - 0.3) - 0.7 + (y / 3.0) / 7.0);
        io.Output(4, T.Constant(0.25) + x + 0.5);
        io.Output(5, 0.1 * (0.7 * (x * y)));
        T r = Sqrt(0.5 * (x * x + y * y));
        T c = 0.5 * (Cos(2.0 * Math.PI * x) + Cos(2.0 * Math.PI * y));
        io.Output(6, -20.0 * Exp(-0.2 * r) - Exp(c) + 20.0 + Math.E);
    }
}
