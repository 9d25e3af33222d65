using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Tests;

/// <summary>
/// Uses every DiffMath function once, each output on its own so its analytic derivative is easy
/// to write down (see AnalyticReference.AllFunctions). Inputs are kept inside every domain by
/// the test's point generator: x0 in (0.1, 0.9), x1 in (1.1, 3), x2 in (-2, 2).
/// </summary>
public readonly struct AllFunctions : IModel
{
    public int Inputs => 3;

    public int Outputs => 24;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T a = io.Input(0), b = io.Input(1), c = io.Input(2);
        int k = 0;
        io.Output(k++, Sqrt(b) * c);
        io.Output(k++, Cbrt(c * b));
        io.Output(k++, Exp(a * c));
        io.Output(k++, Exp2(c) * a);
        io.Output(k++, Expm1(a * c));
        io.Output(k++, Log(b * a));
        io.Output(k++, Log2(b) + c);
        io.Output(k++, Log10(b * b));
        io.Output(k++, Log1p(a * c));
        io.Output(k++, Sin(c * b));
        io.Output(k++, Cos(a + c));
        io.Output(k++, Tan(a * c));
        io.Output(k++, Asin(a) * c);
        io.Output(k++, Acos(a * a));
        io.Output(k++, Atan(c * b));
        io.Output(k++, Atan2(c, b - 2.0));
        io.Output(k++, Sinh(c) * b);
        io.Output(k++, Cosh(a * c));
        io.Output(k++, Tanh(c * a));
        io.Output(k++, Asinh(c * b));
        io.Output(k++, Acosh(b) * a);
        io.Output(k++, Atanh(a * 0.9));
        io.Output(k++, Pow(b, c) + Pow(a, 3.0));
        io.Output(k++, Hypot(a, c) / b);
    }
}
