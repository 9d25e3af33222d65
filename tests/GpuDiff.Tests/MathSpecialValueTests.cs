using GpuDiff.Kernels.Math;

namespace GpuDiff.Tests;

/// <summary>
/// NaN, infinities, signed zeros, ±1, the subnormal extremes and the largest doubles, against the
/// platform's C library through System.Math (which follows C99 Annex F for these): NaN must give
/// NaN, and every other result must match to the bit, sign of zero included.
/// </summary>
public sealed class MathSpecialValueTests
{
    private static readonly double[] Specials =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1.0, -1.0,
        double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue, 2.2250738585072014e-308,
    ];

    public static TheoryData<string> Unary => new()
    {
        "exp", "expm1", "log", "log1p", "log2", "log10", "cbrt", "sin", "cos", "tan", "asin", "acos", "atan",
        "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "floor", "ceiling", "round", "sqrt", "exp2",
    };

    private static (Func<double, double> Ours, Func<double, double> Libm) Pair(string name) => name switch
    {
        "exp" => (DMath.Exp, Math.Exp), "expm1" => (DMath.Expm1, x => double.IsNaN(x) || Math.Abs(x) < 1e-300 ? x : Math.Exp(x) - 1),
        "log" => (DMath.Log, Math.Log), "log1p" => (DMath.Log1p, x => Math.Abs(x) < 1e-300 ? x : Math.Log(1 + x)),
        "log2" => (DMath.Log2, Math.Log2), "log10" => (DMath.Log10, Math.Log10), "cbrt" => (DMath.Cbrt, Math.Cbrt),
        "sin" => (DMath.Sin, Math.Sin), "cos" => (DMath.Cos, Math.Cos), "tan" => (DMath.Tan, Math.Tan),
        "asin" => (DMath.Asin, Math.Asin), "acos" => (DMath.Acos, Math.Acos), "atan" => (DMath.Atan, Math.Atan),
        "sinh" => (DMath.Sinh, Math.Sinh), "cosh" => (DMath.Cosh, Math.Cosh), "tanh" => (DMath.Tanh, Math.Tanh),
        "asinh" => (DMath.Asinh, Math.Asinh), "acosh" => (DMath.Acosh, Math.Acosh), "atanh" => (DMath.Atanh, Math.Atanh),
        "floor" => (DMath.Floor, Math.Floor), "ceiling" => (DMath.Ceiling, Math.Ceiling),
        "round" => (DMath.Round, x => Math.Round(x, MidpointRounding.AwayFromZero)), "sqrt" => (DMath.Sqrt, Math.Sqrt),
        "exp2" => (DMath.Exp2, x => Math.Pow(2, x)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Unary))]
    public void SpecialArgumentsFollowTheCLibrary(string name)
    {
        var (ours, libm) = Pair(name);
        foreach (double x in Specials)
        {
            double want = libm(x), got = ours(x);
            // (expm1 and log1p of tiny x are x, which exp(x) - 1 and log(1 + x) cannot show.)
            // Only exact special results are compared to the bit; finite results are the reference tables' job.
            bool special = double.IsNaN(want) || double.IsInfinity(want) || want == 0 || want == 1 || want == -1;
            if (!special) continue;
            if (double.IsNaN(want)) Assert.True(double.IsNaN(got), $"{name}({x:R}) = {got:R}, want NaN");
            else Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), $"{name}({x:R}) = {got:R}, want {want:R}");
        }
    }

    [Fact]
    public void BinaryFunctionsFollowTheCLibraryOnSpecialPairs()
    {
        foreach (double x in Specials)
            foreach (double y in Specials)
            {
                Check("pow", DMath.Pow(x, y), Math.Pow(x, y), x, y);
                Check("atan2", DMath.Atan2(x, y), Math.Atan2(x, y), x, y);
                Check("hypot", DMath.Hypot(x, y), HypotC(x, y), x, y);
            }
        Assert.Equal(-8.0, DMath.Pow(-2, 3));
        Assert.Equal(1024.0, DMath.Pow(2, 10));
        Assert.Equal(3.0, DMath.Cbrt(27));
        // Signed results compared on their bits: an equality assert on doubles treats -0 and +0 as equal.
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.PI), BitConverter.DoubleToInt64Bits(DMath.Atan2(0.0, -1.0)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-Math.PI), BitConverter.DoubleToInt64Bits(DMath.Atan2(-0.0, -1.0)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(DMath.Ceiling(-0.5)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-1.0), BitConverter.DoubleToInt64Bits(DMath.Round(-0.5)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(DMath.Round(0.49999999999999994)));
    }

    /// <summary>
    /// erf, erfc, lgamma, the normal CDF and its log, which System.Math lacks, against C99 Annex F (F.10.5) written out: the
    /// results at NaN, the infinities, the signed zeros, the poles and the exact points, to the bit.
    /// </summary>
    private static readonly (string Name, double X, double Want)[] AnnexF =
    [
        ("erf", 0.0, 0.0),
        ("erf", -0.0, -0.0),
        ("erf", double.PositiveInfinity, 1.0),
        ("erf", double.NegativeInfinity, -1.0),
        ("erf", double.MaxValue, 1.0),
        ("erf", -double.MaxValue, -1.0),
        ("erf", double.Epsilon, double.Epsilon),
        ("erf", -double.Epsilon, -double.Epsilon),
        ("erfc", 0.0, 1.0),
        ("erfc", -0.0, 1.0),
        ("erfc", double.PositiveInfinity, 0.0),
        ("erfc", double.NegativeInfinity, 2.0),
        ("erfc", double.MaxValue, 0.0),
        ("erfc", -double.MaxValue, 2.0),
        ("erfc", 27.3, 0.0),
        ("erfc", 28.0, 0.0),
        ("normcdf", 0.0, 0.5),
        ("normcdf", -0.0, 0.5),
        ("normcdf", double.PositiveInfinity, 1.0),
        ("normcdf", double.NegativeInfinity, 0.0),
        ("normcdf", double.MaxValue, 1.0),
        ("normcdf", -double.MaxValue, 0.0),
        ("normcdf", double.Epsilon, 0.5),
        ("lognormcdf", double.PositiveInfinity, 0.0),
        ("lognormcdf", double.NegativeInfinity, double.NegativeInfinity),
        ("lognormcdf", 0.0, -0.6931471805599453),
        ("lognormcdf", -double.MaxValue, double.NegativeInfinity),
        ("lognormcdf", double.MaxValue, -0.0),
        ("lgamma", 1.0, 0.0),
        ("lgamma", 2.0, 0.0),
        ("lgamma", 0.0, double.PositiveInfinity),
        ("lgamma", -0.0, double.PositiveInfinity),
        ("lgamma", -1.0, double.PositiveInfinity),
        ("lgamma", -2.0, double.PositiveInfinity),
        ("lgamma", -4503599627370496.0, double.PositiveInfinity),
        ("lgamma", -double.MaxValue, double.PositiveInfinity),
        ("lgamma", double.PositiveInfinity, double.PositiveInfinity),
        ("lgamma", double.NegativeInfinity, double.PositiveInfinity),
        ("lgamma", double.MaxValue, double.PositiveInfinity),
        ("lgamma", 3.0, 0.69314718055994529),
        ("lgamma", double.Epsilon, 744.44007192138122),
    ];

    [Fact]
    public void SpecialFunctionsFollowAnnexF()
    {
        foreach (var (name, x, want) in AnnexF)
        {
            Func<double, double> f = name switch { "erf" => DMath.Erf, "erfc" => DMath.Erfc, "normcdf" => DMath.NormalCdf, "lognormcdf" => DMath.LogNormalCdf, _ => DMath.LogGamma };
            double got = f(x);
            Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), $"{name}({x:R}) = {got:R}, want {want:R}");
            Assert.True(double.IsNaN(f(double.NaN)), $"{name}(NaN) is not NaN");
        }
    }

    private static double HypotC(double x, double y) =>
        double.IsInfinity(x) || double.IsInfinity(y) ? double.PositiveInfinity : double.IsNaN(x) || double.IsNaN(y) ? double.NaN : ScaledHypot(Math.Abs(x), Math.Abs(y));

    private static double ScaledHypot(double a, double b)
    {
        double big = Math.Max(a, b), small = Math.Min(a, b);
        if (big == 0) return 0;
        double r = small / big;
        return big * Math.Sqrt(1 + r * r);
    }

    private static void Check(string name, double got, double want, double x, double y)
    {
        bool special = double.IsNaN(want) || double.IsInfinity(want) || want == 0 || want == 1 || want == -1;
        if (!special || (name == "hypot" && double.IsInfinity(want) && !double.IsInfinity(x) && !double.IsInfinity(y))) return;
        if (double.IsNaN(want)) Assert.True(double.IsNaN(got), $"{name}({x:R}, {y:R}) = {got:R}, want NaN");
        else Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got), $"{name}({x:R}, {y:R}) = {got:R}, want {want:R}");
    }

    [Fact]
    public void SinCosGivesTheBitsOfSinAndCos()
    {
        int seed = TestSeed.Fresh();
        var random = new Random(seed);
        var args = new List<double> { 0.0, -0.0, 1e-300, -1e-9, 0.7853981633974483, 1e22, -1e300, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity };
        for (int i = 0; i < 20000; i++) args.Add((random.Next(2) * 2 - 1) * Math.Pow(10, 40 * random.NextDouble() - 20));
        foreach (double x in args)
        {
            DMath.SinCos(x, out double s, out double c);
            Assert.True(BitConverter.DoubleToInt64Bits(DMath.Sin(x)) == BitConverter.DoubleToInt64Bits(s), $"sin({x:R}) (seed {seed})");
            Assert.True(BitConverter.DoubleToInt64Bits(DMath.Cos(x)) == BitConverter.DoubleToInt64Bits(c), $"cos({x:R}) (seed {seed})");
        }
    }
}
