using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Tests.ModelLanguage;

/// <summary>The language itself: what it accepts, what each construct computes, and where each error points.</summary>
public sealed class ModelTextTests : IDisposable
{
    private readonly DerivativeEngine host = new(new EngineOptions { Backend = BackendKind.Host });

    public void Dispose() => host.Dispose();

    private static ModelTextDiagnostic Error(string text)
    {
        var e = Assert.Throws<ModelTextException>(() => ModelText.Parse(text));
        Assert.Same(e.Diagnostic, e.Diagnostic);
        Assert.Contains($"line {e.Diagnostic.Line}, column {e.Diagnostic.Column}: ", e.Message);
        return e.Diagnostic;
    }

    private static void ErrorAt(string text, int line, int column, string message)
    {
        var d = Error(text);
        Assert.True(d.Line == line && d.Column == column && d.Message.Contains(message, StringComparison.Ordinal),
            $"want line {line}, column {column}, '{message}'; got {d}");
        Assert.False(d.IsWarning);
    }

    private double[] Values(string text, params double[] point) => host.Value(ModelText.Parse(text), point).Data;

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    /// <summary>
    /// docs/black-scholes.gd, a European call priced with normcdf, as a user would load it: its
    /// gradient is the Greeks (delta, d/dK, d/dT, vega, rho), against their closed forms evaluated
    /// with mpmath at 40 digits. The model chains a dozen roundings, so the check is relative (1e-14).
    /// </summary>
    [Fact]
    public void BlackScholesExampleGivesTheGreeks()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "GpuDiff.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var model = ModelText.Load(Path.Combine(root.FullName, "docs", "black-scholes.gd"));
        double[] point = [100.0, 100.0, 1.0, 0.2, 0.05];
        double price = host.Value(model, point).Data[0];
        var g = host.Gradient(model, point);
        double[] want = [0.6368306511756191, -0.5323248154537634, 6.414027546438196, 37.524034691693785, 53.23248154537634];
        Assert.True(Math.Abs(price - 10.450583572185566) <= 1e-14 * 10.45, $"price {price:R}");
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(g.Data[i] - want[i]) <= 1e-14 * Math.Abs(want[i]), $"d/d{model.InputNames[i]} = {g.Data[i]:R}, want {want[i]:R}");
    }

    [Fact]
    public void AConstantConditionIsAConditionWhateverNumbersTheModelAlsoHolds()
    {
        // -2.0 and the folded condition false once shared a node key (the kind was mixed into the bits).
        double[] got = Values("input x\noutput f = -2 * x\noutput g = if(-(2) > 0.5, x, 3 * x)", 1.5);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-3.0), BitConverter.DoubleToInt64Bits(got[0]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(4.5), BitConverter.DoubleToInt64Bits(got[1]));
    }

    [Fact]
    public void UnknownFunctionSuggestsTheNearestWithTheLineAndACaret()
    {
        var d = Error("input x\n\nlet r = 2 * sinn(x)\noutput f = r");
        Assert.Equal((3, 13), (d.Line, d.Column));
        Assert.Equal("unknown function 'sinn'; did you mean 'sin'?", d.Message);
        Assert.Equal("line 3, column 13: unknown function 'sinn'; did you mean 'sin'?\n  let r = 2 * sinn(x)\n              ^", d.ToString());
    }

    [Theory]
    [InlineData("input x\noutput f = y", 2, 12, "unknown name 'y'")]
    [InlineData("input x, yy\noutput f = y", 2, 12, "unknown name 'y'; did you mean 'yy'?")]
    [InlineData("input x\noutput f = atan2(x)", 2, 12, "'atan2' takes 2 arguments, found 1")]
    [InlineData("input x\noutput f = sin(x, x)", 2, 12, "'sin' takes 1 argument, found 2")]
    [InlineData("input x\noutput f = if(x > 0, 1)", 2, 12, "'if' takes 3 arguments, found 2")]
    [InlineData("input x, y\nlet x = 2\noutput f = x", 2, 5, "'x' is already defined at line 1, column 7")]
    [InlineData("input x\noutput f = r\nlet r = x", 2, 12, "'r' is used before it is defined (at line 3, column 5)")]
    [InlineData("input x\nlet r = x", 2, 10, "the model has no outputs")]
    [InlineData("param k = 1\noutput f = k", 2, 13, "the model has no inputs")]
    [InlineData("input x\noutput f = x < 1 < 2", 2, 18, "comparisons do not chain")]
    [InlineData("input x\noutput f = x > 1", 2, 14, "expected a number, found a condition")]
    [InlineData("input x\noutput f = if(x, 1, 2)", 2, 15, "expected a condition")]
    [InlineData("input x\noutput f = 1e + x", 2, 13, "expected digits after the exponent")]
    [InlineData("input x\noutput f = 2x", 2, 13, "write 2 * x for a product")]
    [InlineData("input x\noutput f = 1e400 * x", 2, 12, "too large for a double")]
    [InlineData("input x\noutput f = (x + 1", 2, 18, "expected ')' to close the '(' at column 12")]
    [InlineData("input x\noutput f = x $ 2", 2, 14, "unexpected character '$'")]
    [InlineData("input x\noutput f = x && x", 2, 14, "write 'and'")]
    [InlineData("input sin\noutput f = sin", 1, 7, "'sin' is the name of a function")]
    [InlineData("input x, e\noutput f = x", 1, 10, "'e' is a reserved word")]
    [InlineData("input x\noutput f = sin + x", 2, 12, "'sin' is a function")]
    [InlineData("input x\noutput f = x(2)", 2, 12, "'x' is a value, not a function")]
    [InlineData("input x\nparam k = x\noutput f = k * x", 2, 11, "must be a constant")]
    [InlineData("input x\nouptut f = x", 2, 1, "did you mean 'output'?")]
    [InlineData("input x\nf = x", 2, 1, "write 'let f = ...' or 'output f = ...'")]
    [InlineData("input x\noutput f x", 2, 10, "expected '=' after 'f'")]
    [InlineData("input x\noutput f = x +", 2, 15, "expected a number, a name, a call or '('")]
    [InlineData("input x\noutput f = x 2", 2, 14, "expected the end of the statement")]
    [InlineData("input x,\noutput f = x", 1, 9, "expected an input name, found the end of the line")]
    [InlineData("input x\noutput f = x and x", 2, 12, "expected a condition")]
    [InlineData("input x\noutput f = if(x > 0 and 1, x, 0)", 2, 25, "expected a condition")]
    public void EachMistakeIsReportedWhereItIs(string text, int line, int column, string message) => ErrorAt(text, line, column, message);

    [Fact]
    public void ColumnsCountCharactersNotBytes()
    {
        // "é" in a comment is one character; the column of 'y' counts it once.
        ErrorAt("input x # é\noutput f = é", 2, 12, "unexpected character 'é'");
        ErrorAt("input x\n  \toutput f = y", 2, 15, "unknown name 'y'");
    }

    [Fact]
    public void TooDeepNestingIsAnErrorNotACrash()
    {
        string deep = "input x\noutput f = " + new string('(', 100_000) + "x" + new string(')', 100_000);
        Assert.Contains("nested more than", Error(deep).Message);
        string longChain = "input x\noutput f = x" + string.Concat(Enumerable.Repeat(" + x", 100_000));
        Assert.Contains("operations deep", Error(longChain).Message);
        string unary = "input x\noutput f = " + new string('-', 100_000) + "x";
        Assert.Contains("nested more than", Error(unary).Message);
    }

    [Fact]
    public void UnusedInputsAndLetsAreWarningsAndTheModelStillCompiles()
    {
        var model = ModelText.Parse("input x, y, z\nlet unused = y * 2\noutput f = x");
        Assert.Equal(3, model.Inputs);
        Assert.Collection(model.Warnings,
            w => Assert.Equal((1, 10, true), (w.Line, w.Column, w.IsWarning)),
            w => Assert.Equal((1, 13, true), (w.Line, w.Column, w.IsWarning)),
            w => Assert.Equal((2, 5, true), (w.Line, w.Column, w.IsWarning)));
        Assert.Contains("input 'y' is never used", model.Warnings[0].Message);
        var j = host.Jacobian(model, [1.0, 2.0, 3.0]).Data;
        Assert.Equal([Bits(1.0), Bits(0.0), Bits(0.0)], j.Select(Bits));
    }

    [Fact]
    public void PrecedenceAndNumbersAreAsDocumented()
    {
        Assert.Equal(-4.0, Values("input x; output f = -x^2", 2.0)[0]);
        Assert.Equal(512.0, Values("input x; output f = 2^3^2 + 0 * x", 1.0)[0]);
        Assert.Equal(512.0, Values("input x; output f = 2**3**2 + 0 * x", 1.0)[0]);
        Assert.Equal(0.25, Values("input x; output f = x^-2", 2.0)[0]);
        Assert.Equal(Bits(0.5 + 1.5 + 1e-3 + 2.0), Bits(Values("input x; output f = .5 + 1.5 + 1e-3 + x", 2.0)[0]));
        Assert.Equal(7.0, Values("input x; output f = 1 + 2 * 3 + 0 * x", 5.0)[0]);
        Assert.Equal(-1.0, Values("input x; output f = 1 - 2 + 0*x", 5.0)[0]);
        Assert.Equal(2.0, Values("input x; output f = 8 / 2 / 2 + 0*x", 5.0)[0]);
        Assert.Equal(Bits(Math.PI * 2.0 + Math.E), Bits(Values("input x; output f = pi * x + e", 2.0)[0]));
        // Newlines inside parentheses continue the expression; comments end at the line's end.
        Assert.Equal(6.0, Values("input x # the input\noutput f = (x +\n  x # twice\n  + x)", 2.0)[0]);
    }

    [Fact]
    public void ConditionsFollowIeeeComparisonsOnThePrimalValue()
    {
        const string text = "input x, y\noutput lt = if(x < y, 1, 0)\noutput le = if(x <= y, 1, 0)\noutput gt = if(x > y, 1, 0)\n" +
            "output ge = if(x >= y, 1, 0)\noutput eq = if(x == y, 1, 0)\noutput ne = if(x != y, 1, 0)\n" +
            "output both = if(not (x < 0) and (y < 0 or y > 5), x * y, x + y)";
        foreach (var (x, y) in new[] { (1.0, 2.0), (2.0, 2.0), (3.0, 2.0), (double.NaN, 1.0), (1.0, double.NaN), (-1.0, 7.0), (2.0, 7.0), (2.0, -3.0) })
        {
            var v = Values(text, x, y);
            double[] want =
            [
                x < y ? 1 : 0, x <= y ? 1 : 0, x > y ? 1 : 0, x >= y ? 1 : 0, x == y ? 1 : 0, x != y ? 1 : 0,
                !(x < 0) && (y < 0 || y > 5) ? x * y : x + y,
            ];
            Assert.Equal(want.Select(Bits), v.Select(Bits));
        }
    }

    [Fact]
    public void IntegerPowersAreProductsAndOthersArePow()
    {
        var model = ModelText.Parse("input x\noutput a = x^2\noutput b = x^3\noutput c = x^-1\noutput d = x^1\noutput e0 = x^0\noutput f = x^4\noutput g = x^0.5");
        foreach (double x in new[] { 1.1, -3.7, 0.0, -0.0, double.NaN, 1e200 })
        {
            var v = host.Value(model, [x]).Data;
            double[] want = [x * x, x * x * x, 1.0 / x, x, 1.0, Kernels.Math.DMath.Pow(x, 4.0), Kernels.Math.DMath.Pow(x, 0.5)];
            Assert.Equal(want.Select(Bits), v.Select(Bits));
        }
    }

    [Fact]
    public void ParametersHaveDefaultsAreSetByNameAndMissingOrUnknownOnesAreNamed()
    {
        var model = ModelText.Parse("input x\nparam k = 1.5, c, w = 2 * pi\noutput f = k * x + c + w");
        Assert.Equal(["k", "c", "w"], model.ParameterNames);
        Assert.Equal(2 * Math.PI, model.ParameterValue("w"));
        var missing = Assert.Throws<ArgumentException>(() => host.Value(model, [1.0]));
        Assert.Contains("'c'", missing.Message);
        var unknown = Assert.Throws<ArgumentException>(() => model.WithParameter("kk", 1.0));
        Assert.Contains("no parameter 'kk'", unknown.Message);
        Assert.Contains("did you mean 'k'?", unknown.Message);
        var set = model.WithParameter("c", 10.0).WithParameter("k", 3.0);
        Assert.Equal(Bits(3.0 * 2.0 + 10.0 + 2 * Math.PI), Bits(host.Value(set, [2.0]).Data[0]));
        // The original is unchanged, and the compiled code is shared.
        Assert.Null(model.ParameterValue("c"));
        Assert.Same(model.ModelType, set.ModelType);
    }

    [Fact]
    public void CompiledModelsAreCachedByTextAndCommonSubexpressionsAreComputedOnce()
    {
        const string text = "input x, y\nlet r = sqrt(x^2 + y^2)\noutput a = sqrt(x^2 + y^2) * sin(x)\noutput b = r * sin(x)";
        var first = ModelText.Parse(text);
        Assert.Same(first.ModelType, ModelText.Parse(text).ModelType);
        Assert.NotSame(first.ModelType, ModelText.Parse(text + "\n").ModelType);
        // x^2, y^2, the sum, sqrt, sin and the product appear once each in the IL: count calls.
        var il = first.ModelType.GetMethod("Evaluate")!.GetMethodBody()!.GetILAsByteArray()!;
        Assert.True(il.Length < 200, $"the body is {il.Length} bytes; CSE should keep it small");
        var v = host.Value(first, [3.0, 4.0]).Data;
        Assert.Equal(Bits(v[0]), Bits(v[1]));
    }

    [Fact]
    public void TheCompiledTypeNamesTheModelAndItsTextSoAResumeCannotMixTwoVersions()
    {
        var a = ModelText.Parse("input x\noutput f = x", "sweep");
        var b = ModelText.Parse("input x\noutput f = 2 * x", "sweep");
        Assert.StartsWith("sweep_", a.ModelType.Name);
        Assert.NotEqual(a.ModelType.FullName, b.ModelType.FullName);
    }

    [Fact]
    public void TextModelCallsCheckTheirArgumentsLikeTheGenericForms()
    {
        var model = ModelText.Parse("input x, y\noutput f = x * y");
        Assert.Throws<ArgumentNullException>(() => host.ComputeInto(DerivativeKind.Jacobian, model, [1.0, 2.0], null!));
        Assert.Throws<ArgumentNullException>(() => host.Jacobian((TextModel)null!, [1.0, 2.0]));
        Assert.Contains("not a multiple", Assert.Throws<ArgumentException>(() => host.Jacobian(model, [1.0, 2.0, 3.0])).Message);
        Assert.Contains("needs a direction", Assert.Throws<ArgumentException>(() => host.ComputeInto(DerivativeKind.Jvp, model, [1.0, 2.0], new double[1])).Message);
    }

    [Fact]
    public void StatementsMaySitOnOneLineAndInputsMayBeDeclaredOverSeveralLines()
    {
        var model = ModelText.Parse("input x; input y ; let s = x + y; output f = s; output g = x - y");
        Assert.Equal(["x", "y"], model.InputNames);
        Assert.Equal(["f", "g"], model.OutputNames);
    }

    [Fact]
    public void LoadReadsUtf8FilesAndNamesTheModelAfterTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("gpudiff-model-").FullName;
        try
        {
            string path = Path.Combine(dir, "arm-2.gd");
            File.WriteAllText(path, "\uFEFFinput q1, q2 # joint angles\noutput x = cos(q1) + cos(q1 + q2)\n");
            var model = ModelText.Load(path);
            Assert.Equal("arm-2", model.Name);
            Assert.Equal(2, model.Inputs);
            string bad = Path.Combine(dir, "bad.gd");
            File.WriteAllBytes(bad, [.. "input x\noutput f = x"u8, 0xC3, 0x28]);
            var e = Assert.Throws<ModelTextException>(() => ModelText.Load(bad));
            Assert.Contains("not valid UTF-8", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SeedExamplesWrittenAsTextGiveTheSeedsNumbers()
    {
        var twoByTwo = ModelText.Parse("input x, y\noutput f1 = x^2 + y\noutput f2 = x * y");
        Assert.Equal(new double[,] { { 4, 1 }, { 3, 2 } }, host.Jacobian(twoByTwo, [2.0, 3.0]).ToMatrix(0));
        var quadratic = ModelText.Parse("input x, y\noutput f = x^2 + 3*x*y + y^2");
        Assert.Equal(new double[,] { { 2, 3 }, { 3, 2 } }, host.Hessian(quadratic, [0.3, -7.0]).ToMatrix(0));
    }
}
