using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Kernels.Models;

/// <summary>
/// Every DiffMath function over wide argument ranges, each argument built from the inputs with
/// constants as user models do: the model that gpudiff verify and the test suites use to prove
/// bit-identity across backends. Meant for inputs x0 in (0, 1), x1 in (-1, 1) and x2 = ±10^k
/// with k in (-6, 6).
/// </summary>
public readonly struct MathCoverage : IModel
{
    /// <inheritdoc />
    public int Inputs => 3;

    /// <inheritdoc />
    public int Outputs => 40;

    /// <inheritdoc />
    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
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
        io.Output(k++, Erf(v * 4.0)); io.Output(k++, Erfc(v * 14.0 + 13.0)); io.Output(k++, LogGamma(v * 12.0 + 0.5));
        io.Output(k++, LogGamma(Abs(w))); io.Output(k++, NormalCdf(v * 40.0)); io.Output(k++, LogNormalCdf(v * 60.0 + Abs(w) * v));
        io.Output(k++, LogGamma(v * 0.003 - 2.4570247382208006)); // beside lgamma's first negative zero: its series
    }
}
