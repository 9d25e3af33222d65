using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using static GpuDiff.Kernels.Numbers.DiffMath;

namespace GpuDiff.Tests.ModelLanguage;

/// <summary>Models written as text beside the C# models with the same formula in the same order.</summary>
public static class TextModelTexts
{
    public const string SeedTwoByTwo = "input x, y\noutput f1 = x^2 + y\noutput f2 = x * y";

    public const string SeedQuadratic = "input x, y\noutput f = x^2 + 3*x*y + y^2";

    public const string LinearMap3 = """
        input a0, a1, a2
        param r00, r01, r02, r10, r11, r12, r20, r21, r22
        output b0 = r00*a0 + r01*a1 + r02*a2
        output b1 = r10*a0 + r11*a1 + r12*a2
        output b2 = r20*a0 + r21*a1 + r22*a2
        """;

    /// <summary>Rosenbrock n = 4; each term in parentheses, as the C# loop adds whole terms.</summary>
    public const string Rosenbrock4 = """
        input x1, x2, x3, x4
        output f = ((100*(x2 - x1^2)^2 + (1 - x1)^2) + (100*(x3 - x2^2)^2 + (1 - x2)^2)
                 + (100*(x4 - x3^2)^2 + (1 - x3)^2))
        """;

    /// <summary>The planar six-link arm (W3).</summary>
    public const string PlanarArm6 = """
        # six unit links; a_k is the heading of link k
        input q1, q2, q3, q4, q5, q6
        let a1 = q1; let a2 = a1 + q2; let a3 = a2 + q3
        let a4 = a3 + q4; let a5 = a4 + q5; let a6 = a5 + q6
        output x = cos(a1) + cos(a2) + cos(a3) + cos(a4) + cos(a5) + cos(a6)
        output y = sin(a1) + sin(a2) + sin(a3) + sin(a4) + sin(a5) + sin(a6)
        output heading = a6
        """;

    /// <summary>Brown's almost-linear function, n = 5.</summary>
    public const string Brown5 = """
        input x1, x2, x3, x4, x5
        let s = x1 + x2 + x3 + x4 + x5
        output f1 = x1 + s - 6
        output f2 = x2 + s - 6
        output f3 = x3 + s - 6
        output f4 = x4 + s - 6
        output f5 = x1 * x2 * x3 * x4 * x5 - 1
        """;

    /// <summary>The AllFunctions test model as text; with <see cref="OtherFunctions"/> it calls every function of the language.</summary>
    public const string AllFunctions = """
        input a, b, c
        output o1 = sqrt(b) * c;   output o2 = cbrt(c * b);    output o3 = exp(a * c)
        output o4 = exp2(c) * a;   output o5 = expm1(a * c);   output o6 = log(b * a)
        output o7 = log2(b) + c;   output o8 = log10(b * b);   output o9 = log1p(a * c)
        output o10 = sin(c * b);   output o11 = cos(a + c);    output o12 = tan(a * c)
        output o13 = asin(a) * c;  output o14 = acos(a * a);   output o15 = atan(c * b)
        output o16 = atan2(c, b - 2.0)
        output o17 = sinh(c) * b;  output o18 = cosh(a * c);   output o19 = tanh(c * a)
        output o20 = asinh(c * b); output o21 = acosh(b) * a;  output o22 = atanh(a * 0.9)
        output o23 = pow(b, c) + pow(a, 3.0)
        output o24 = hypot(a, c) / b
        """;

    /// <summary>The functions AllFunctions leaves out, and if with each kind of condition.</summary>
    public const string OtherFunctions = """
        input a, b, c
        param k = 0.75
        output o1 = abs(c) * b
        output o2 = copysign(b, c)
        output o3 = copysign(a, k - 1)
        output o4 = min(a, c) + max(a * b, c)
        output o5 = floor(c * 3) * a + ceil(c * 3) * b
        output o6 = round(c * b) * a + trunc(c * b) * c
        output o7 = if(c > 0 and not (a >= b), a * c, b - c)
        output o8 = k * 0.1 * 3 * a + pow(a, k) + atan2(k, c)
        """;
}

/// <summary><see cref="TextModelTexts.OtherFunctions"/> in C#, in the same order.</summary>
public readonly struct OtherFunctions : IModel
{
    public int Inputs => 3;

    public int Outputs => 8;

    public int Parameters => 1;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T a = io.Input(0), b = io.Input(1), c = io.Input(2);
        double k = io.Parameter(0);
        io.Output(0, Abs(c) * b);
        io.Output(1, CopySign(b, c.Primal));
        io.Output(2, CopySign(a, k - Tied(1.0, k)));
        io.Output(3, Min(a, c) + Max(a * b, c));
        io.Output(4, Floor(c * 3.0) * a + Ceiling(c * 3.0) * b);
        io.Output(5, Round(c * b) * a + Truncate(c * b) * c);
        io.Output(6, c.Primal > 0 && !(a.Primal >= b.Primal) ? a * c : b - c);
        io.Output(7, k * Tied(0.1, k) * Tied(3.0, k) * a + Pow(a, k) + Atan2(T.Constant(k), c));
    }
}
