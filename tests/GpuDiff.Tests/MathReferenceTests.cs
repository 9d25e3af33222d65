using GpuDiff.Kernels.Math;
using GpuDiff.Kernels.Numbers;
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
        "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "normcdf", "lognormcdf", "lgamma",
    };

    public static TheoryData<string> Binary => new() { "pow", "atan2", "hypot" };

    private static Func<double, double> UnaryFunction(string name) => name switch
    {
        "exp" => DMath.Exp, "expm1" => DMath.Expm1, "exp2" => DMath.Exp2, "log" => DMath.Log,
        "log1p" => DMath.Log1p, "log2" => DMath.Log2, "log10" => DMath.Log10, "cbrt" => DMath.Cbrt,
        "sin" => DMath.Sin, "cos" => DMath.Cos, "tan" => DMath.Tan, "asin" => DMath.Asin,
        "acos" => DMath.Acos, "atan" => DMath.Atan, "sinh" => DMath.Sinh, "cosh" => DMath.Cosh,
        "tanh" => DMath.Tanh, "asinh" => DMath.Asinh, "acosh" => DMath.Acosh, "atanh" => DMath.Atanh,
        "erf" => DMath.Erf, "erfc" => DMath.Erfc, "normcdf" => DMath.NormalCdf, "lognormcdf" => DMath.LogNormalCdf, "lgamma" => DMath.LogGamma,
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

    /// <summary>
    /// Beside the zeros of lgamma on the negative axis (30 zeros, -2.457 to -16.99999999999999),
    /// where the result is tiny and lgamma takes its Taylor series at the zero: within 1 ulp at
    /// every relative distance from 2^-3 to 2^-52, and at the 12 doubles either side of each pole
    /// from -2 to -60. Digamma (its derivative) beside its own negative zeros (-0.504 to -15.7) is
    /// the stated limit: within 1 ulp farther than a relative 2^-18, and nearer within 1 ulp or
    /// 1e-21 absolutely (measured 1.3e-22).
    /// </summary>
    [Fact]
    public void LogGammaBesideItsNegativeZerosIsWithinTheStatedBounds()
    {
        const double AbsoluteBound = 1e-21, RelativeDistance = 3.814697265625e-06; // 2^-18
        double[] table = ReadTable("lgamma-zeros");
        Assert.True(table.Length / 5 >= 6000, $"only {table.Length / 5} records");
        (long Ulps, string At) lgamma = (0, ""), far = (0, "");
        (long Ulps, double Abs, string At) near = (0, 0, "");
        for (int i = 0; i < table.Length; i += 5)
        {
            double x = table[i];
            bool besideLogGammaZero = table[i + 4] == 1.0;
            double got = DMath.LogGamma(x), digamma = DiffMath.LogGamma(new Dual<One>(x, new One { D = 1.0 })).Partials.D;
            long ulps = Ulp.Distance(got, table[i + 1]);
            if (ulps > lgamma.Ulps) lgamma = (ulps, $"lgamma({x:R}) = {got:R}, want {table[i + 1]:R}");
            if (besideLogGammaZero) continue;
            long e = Ulp.Distance(digamma, table[i + 2]);
            double abs = Math.Abs(digamma - table[i + 2]);
            string at = $"digamma({x:R}) = {digamma:R}, want {table[i + 2]:R}";
            if (table[i + 3] >= RelativeDistance) { if (e > far.Ulps) far = (e, at); }
            else if (e > 1 && abs > near.Abs) near = (e, abs, at);
        }
        output.WriteLine($"lgamma: max {lgamma.Ulps} ulp {lgamma.At}; digamma farther than 2^-18: max {far.Ulps} ulp {far.At}; " +
            $"nearer, where above 1 ulp: max absolute error {near.Abs:G3} ({near.Ulps} ulp) {near.At}");
        Assert.True(lgamma.Ulps <= 1, $"{lgamma.Ulps} ulp at {lgamma.At}");
        Assert.True(far.Ulps <= 1, $"{far.Ulps} ulp at {far.At}");
        Assert.True(near.Abs <= AbsoluteBound, $"absolute error {near.Abs:G3} at {near.At}");
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
