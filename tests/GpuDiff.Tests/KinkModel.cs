using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Tests;

/// <summary>The functions with kinks, one per output, for the documented conventions (DiffMath's remarks).</summary>
public readonly struct KinkModel : IModel
{
    public int Inputs => 2;

    public int Outputs => 7;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, Abs(x));
        io.Output(1, Min(x, y));
        io.Output(2, Max(x, y));
        io.Output(3, CopySign(x, -1.0));
        io.Output(4, Floor(x) + Ceiling(y));
        io.Output(5, Round(x) + Truncate(y));
        io.Output(6, x * y);
    }
}
