using System.Globalization;
using System.Text.Json;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Tests;

/// <summary>gpudiff check | value | jacobian | ... MODEL, run as a user runs them: a child process on a model file.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private const string Model = "# the seed example with a parameter\ninput x, y\nparam k = 3\noutput f1 = x^2 + y\noutput f2 = k * x * y\n";
    private readonly string dir = Directory.CreateTempSubdirectory("gpudiff-model-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(string name, string text)
    {
        string path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    [Fact]
    public void JacobianAtAPointPrintsTheSeedsNumbers()
    {
        var (code, stdout, stderr) = GpudiffProcess.Run("jacobian", File("seed.gd", Model), "--at", "2,3", "--backend", "host");
        Assert.True(code == 0, stderr);
        foreach (var line in new[] { "point 1: x = 2, y = 3", "f1      7", "f2      18", "df1/dx  4", "df1/dy  1", "df2/dx  9", "df2/dy  6" })
            Assert.Contains(line, stdout);
    }

    [Fact]
    public void JsonHasTheDocumentedShapeAndEveryDoubleRoundTrips()
    {
        string output = Path.Combine(dir, "h.json");
        var (code, _, stderr) = GpudiffProcess.Run("hessian", File("seed.gd", Model), "--random", "50", "--box", "x=-3:3,y=-1e-300:1e300",
            "--seed", "9", "--param", "k=0.1", "--backend", "host", "--out", output);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal(["x", "y"], root.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["f1", "f2"], root.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!));
        var points = root.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(50, points.Length);
        // The same points and results from the library directly: the file must hold their exact bits.
        var model = ModelText.Parse(Model).WithParameter("k", 0.1);
        var x = points.SelectMany(p => p.GetProperty("x").EnumerateArray().Select(e => e.GetDouble())).ToArray();
        using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        var hessian = engine.Hessian(model, x);
        var values = engine.Value(model, x);
        for (int p = 0; p < points.Length; p++)
        {
            Assert.Equal(values.ForPoint(p).ToArray().Select(Bits), points[p].GetProperty("value").EnumerateArray().Select(e => Bits(e.GetDouble())));
            var h = points[p].GetProperty("hessian").EnumerateArray().SelectMany(o => o.EnumerateArray().SelectMany(r => r.EnumerateArray())).Select(e => Bits(e.GetDouble()));
            Assert.Equal(hessian.ForPoint(p).ToArray().Select(Bits), h);
        }
        Assert.Empty(Directory.GetFiles(dir, "*.partial"));
    }

    [Fact]
    public void CsvNamesEveryColumnAndGridEndsAreExact()
    {
        string output = Path.Combine(dir, "j.csv");
        var (code, _, stderr) = GpudiffProcess.Run("jacobian", File("seed.gd", Model), "--grid", "x=0.1:0.7:4,y=2", "--backend", "host", "--out", output);
        Assert.True(code == 0, stderr);
        var lines = System.IO.File.ReadAllLines(output);
        Assert.Equal("x,y,f1,f2,df1/dx,df1/dy,df2/dx,df2/dy", lines[0]);
        Assert.Equal(5, lines.Length);
        double[] want = [0.1, 0.1 + (0.7 - 0.1) * 1 / 3, 0.1 + (0.7 - 0.1) * 2 / 3, 0.7];
        Assert.Equal(want.Select(Bits), lines.Skip(1).Select(l => Bits(double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture))));
        Assert.All(lines.Skip(1), l => Assert.Equal("2", l.Split(',')[1]));
    }

    [Fact]
    public void JvpTakesOneDirectionForAllPoints()
    {
        var (code, stdout, stderr) = GpudiffProcess.Run("jvp", File("seed.gd", Model), "--at", "2,3", "--at", "1,1", "--direction", "0,1", "--backend", "host");
        Assert.True(code == 0, stderr);
        Assert.Contains("jvp f1  1", stdout);
        Assert.Contains("jvp f2  6", stdout);
        Assert.Contains("jvp f2  3", stdout);
    }

    [Theory]
    [InlineData("--at 1,2,3", "--at 1,2,3: the model has 2 inputs (x, y), found 3 values")]
    [InlineData("--at 1,abc", "--at 1,abc, value 2: 'abc' is not a finite number")]
    [InlineData("--grid x=0:1:3", "--grid names no range for y; give every input a range, or a fixed value as name=v")]
    [InlineData("--grid x=0:1:3,z=1", "--grid: the model has no input 'z'; its inputs are x, y")]
    [InlineData("--random 10", "--random needs --box x=lo:hi,y=lo:hi")]
    [InlineData("--at 1,2 --param kk=2", "Model 'seed' has no parameter 'kk' (its parameters are k); did you mean 'k'? (Parameter 'name')")]
    [InlineData("--at 1,2 --grid x=0:1:2,y=1", "give points one way: --at, --grid or --random, not several")]
    [InlineData("--at 1,2 --out r.txt", "use .json or .csv")]
    public void BadPointsAndOptionsAreOneLineAndExitCode2(string arguments, string message)
    {
        var (code, stdout, stderr) = GpudiffProcess.Run(["jacobian", File("seed.gd", Model), .. arguments.Split(' '), "--backend", "host"]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public void AModelWithAMistakeIsReportedWithFileLineColumnAndCaret()
    {
        string path = File("typo.gd", "input x\n\nlet r = 2 * sinn(x)\noutput f = r\n");
        var (code, _, stderr) = GpudiffProcess.Run("value", path, "--at", "1");
        Assert.Equal(2, code);
        Assert.Contains($"{path}, line 3, column 13: unknown function 'sinn'; did you mean 'sin'?", stderr);
        Assert.Contains("  let r = 2 * sinn(x)\n              ^", stderr.Replace("\r", ""));
        var missing = GpudiffProcess.Run("value", Path.Combine(dir, "none.gd"), "--at", "1");
        Assert.Equal(2, missing.Code);
    }

    [Fact]
    public void CheckPrintsNamesParametersAndWarnings()
    {
        var (code, stdout, stderr) = GpudiffProcess.Run("check", File("seed.gd", Model + "input z\nparam c\n"));
        Assert.True(code == 0, stderr);
        Assert.Contains("inputs: x, y, z", stdout);
        Assert.Contains("outputs: f1, f2", stdout);
        Assert.Contains("parameters: k = 3, c (no default: give --param c=...)", stdout);
        Assert.Contains("warning: line 6, column 7: input 'z' is never used", stdout);
    }
}
