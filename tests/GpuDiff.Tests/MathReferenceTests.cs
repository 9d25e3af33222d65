using GpuDiff.Kernels.Math;
using Xunit.Abstractions;

namespace GpuDiff.Tests;

/// <summary>
/// DMath against correctly rounded results from MathReference/generate.py (mpmath, 256 bits):
/// at least 22,000 arguments per function, random over the domain and dense in the hard regions.
/// </summary>
public sealed class MathReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Unary => new()
    {
        "exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "cbrt", "sin", "cos", "tan",
        "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    };

    public static TheoryData<string> Binary => new() { "pow", "atan2", "hypot" };

    private static Func<double, double> UnaryFunction(string name) => name switch
    {
        "exp" => DMath.Exp, "expm1" => DMath.Expm1, "exp2" => DMath.Exp2, "log" => DMath.Log,
        "log1p" => DMath.Log1p, "log2" => DMath.Log2, "log10" => DMath.Log10, "cbrt" => DMath.Cbrt,
        "sin" => DMath.Sin, "cos" => DMath.Cos, "tan" => DMath.Tan, "asin" => DMath.Asin,
        "acos" => DMath.Acos, "atan" => DMath.Atan, "sinh" => DMath.Sinh, "cosh" => DMath.Cosh,
        "tanh" => DMath.Tanh, "asinh" => DMath.Asinh, "acosh" => DMath.Acosh, "atanh" => DMath.Atanh,
        _ => throw new ArgumentException($"no function named {name}", nameof(name)),
    };

    private static Func<double, double, double> BinaryFunction(string name) => name switch
    {
        "pow" => DMath.Pow, "atan2" => DMath.Atan2, "hypot" => DMath.Hypot,
        _ => throw new ArgumentException($"no function named {name}", nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Unary))]
    public void UnaryFunctionIsWithinOneUlp(string name)
    {
        var f = UnaryFunction(name);
        Check(name, 1, args => f(args[0]));
    }

    [Theory]
    [MemberData(nameof(Binary))]
    public void BinaryFunctionIsWithinOneUlp(string name)
    {
        var f = BinaryFunction(name);
        Check(name, 2, args => f(args[0], args[1]));
    }

    private void Check(string name, int arity, Func<double[], double> f)
    {
        double[] table = ReadTable(name);
        int stride = arity + 1;
        Assert.True(table.Length / stride >= 20_000, $"{name}: only {table.Length / stride} reference records");
        long worst = 0;
        string worstAt = "";
        var args = new double[arity];
        for (int i = 0; i < table.Length; i += stride)
        {
            Array.Copy(table, i, args, 0, arity);
            double want = table[i + arity];
            double got = f(args);
            long ulps = Ulp.Distance(got, want);
            if (ulps > worst)
            {
                worst = ulps;
                worstAt = $"{name}({string.Join(", ", args.Select(a => a.ToString("R")))}) = {got:R}, want {want:R}";
            }
        }
        output.WriteLine($"{name}: {table.Length / stride} records, max error {worst} ulp {worstAt}");
        Assert.True(worst <= 1, $"{name}: {worst} ulp at {worstAt}");
    }

    private static double[] ReadTable(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "MathReference", name + ".bin"));
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
