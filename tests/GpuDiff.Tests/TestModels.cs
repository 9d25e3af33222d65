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

    public void Evaluate<T, TArgs>(TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
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

/// <summary>
/// Every DiffMath function over wide argument ranges, its argument built from the inputs with
/// constants (as user models do), for the bit-identity sweep across backends. Inputs: x0 in
/// (0, 1), x1 in (-1, 1), x2 = ±10^k, k in (-6, 6).
/// </summary>
public readonly struct WideRangeFunctions : IModel
{
    public int Inputs => 3;

    public int Outputs => 33;

    public void Evaluate<T, TArgs>(TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T u = io.Input(0), v = io.Input(1), w = io.Input(2);
        T positive = u * 8.0 + 0.01;
        int k = 0;
        io.Output(k++, Sqrt(positive)); io.Output(k++, Cbrt(v * 5.0)); io.Output(k++, Exp(v * 20.0)); io.Output(k++, Exp2(v * 20.0));
        io.Output(k++, Expm1(v)); io.Output(k++, Log(positive)); io.Output(k++, Log2(positive)); io.Output(k++, Log10(positive));
        io.Output(k++, Log1p(v * 0.45 + 0.4)); io.Output(k++, Sin(v * 4.0)); io.Output(k++, Cos(v * 4.0)); io.Output(k++, Tan(v * 1.5));
        io.Output(k++, Asin(v * 0.99)); io.Output(k++, Acos(v * 0.99)); io.Output(k++, Atan(v * 5.0)); io.Output(k++, Atan2(v, u - 0.5));
        io.Output(k++, Hypot(u, v)); io.Output(k++, Sinh(v * 5.0)); io.Output(k++, Cosh(v * 5.0)); io.Output(k++, Tanh(v * 3.0));
        io.Output(k++, Asinh(v * 5.0)); io.Output(k++, Acosh(u * 8.0 + 1.01)); io.Output(k++, Atanh(v * 0.99)); io.Output(k++, Pow(positive, 3.0));
        io.Output(k++, Pow(positive, v * 3.0)); io.Output(k++, Floor(v * 7.0)); io.Output(k++, Round(v * 7.0)); io.Output(k++, Sin(w));
        io.Output(k++, Cos(w)); io.Output(k++, Tan(w)); io.Output(k++, Exp(Abs(w) * 1e-4)); io.Output(k++, Log(Abs(w)));
        io.Output(k++, Max(Min(u, v), Abs(v) * 0.5) * CopySign(u, -1.0));
    }
}
