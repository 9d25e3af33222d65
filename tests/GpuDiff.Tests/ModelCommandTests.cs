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

    [Theory]
    [InlineData("jacobian", "csv")]
    [InlineData("hessian", "npy")]
    public void SparseWritesTheDenseBytes(string kind, string format)
    {
        const string chain = "input a, b, c, d\noutput f = a * b + sin(c)\noutput g = exp(c) * d\noutput h = if(a > 0, a * d, b)";
        string model = File("chain.gd", chain), dense = Path.Combine(dir, $"dense.{format}"), sparse = Path.Combine(dir, $"sparse.{format}");
        string[] common = [kind, model, "--random", "300", "--box", "a=-1:1,b=-1:1,c=-1:1,d=-1:1", "--seed", "9", "--backend", "host", "--out"];
        Assert.Equal(0, GpudiffProcess.Run([.. common, dense]).Code);
        var (code, _, stderr) = GpudiffProcess.Run([.. common, sparse, "--sparse"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("detected at every point: the model branches", stderr);
        Assert.Equal(System.IO.File.ReadAllBytes(dense), System.IO.File.ReadAllBytes(sparse));
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

    [Fact]
    public void VjpTakesACotangentPerPointInlineOrFromAFile()
    {
        // f1 = x^2 + y, f2 = 3 x y: J(2, 3) = [[4, 1], [9, 6]], J(1, 1) = [[2, 1], [3, 3]].
        string model = File("seed.gd", Model);
        var (code, stdout, stderr) = GpudiffProcess.Run("vjp", model, "--at", "2,3", "--at", "1,1", "--cotangent", "1,1", "--cotangent", "0,1", "--backend", "host");
        Assert.True(code == 0, stderr);
        Assert.Contains("vjp/x  13", stdout);
        Assert.Contains("vjp/y  7", stdout);
        Assert.Contains("vjp/x  3", stdout);
        string cotangents = File("u.csv", "f2,f1\n1,1\n1,0\n");
        (code, stdout, stderr) = GpudiffProcess.Run("vjp", model, "--at", "2,3", "--at", "1,1", "--cotangents", cotangents, "--backend", "host");
        Assert.True(code == 0, stderr);
        Assert.Contains("vjp/x  13", stdout);
        Assert.Contains("vjp/y  3", stdout);
        (code, _, stderr) = GpudiffProcess.Run("vjp", model, "--at", "2,3", "--cotangent", "1,2,3", "--backend", "host");
        Assert.Equal(2, code);
        Assert.Contains("--cotangent 1,2,3: the model has 2 outputs (f1, f2), found 3 values", stderr);
        (code, _, stderr) = GpudiffProcess.Run("vjp", model, "--at", "2,3", "--cotangents", File("bad.csv", "f1,g\n1,1\n"), "--backend", "host");
        Assert.NotEqual(0, code);
        Assert.Contains("no column 'f2' (the model's outputs are f1, f2", stderr);
    }

    [Theory]
    [InlineData("--at 1,2,3", "--at 1,2,3: the model has 2 inputs (x, y), found 3 values")]
    [InlineData("--at 1,abc", "--at 1,abc, value 2: 'abc' is not a finite number")]
    [InlineData("--grid x=0:1:3", "--grid names no range for y; give every input a range, or a fixed value as name=v")]
    [InlineData("--grid x=0:1:3,z=1", "--grid: the model has no input 'z'; its inputs are x, y")]
    [InlineData("--random 10", "--random needs --box x=lo:hi,y=lo:hi")]
    [InlineData("--at 1,2 --param kk=2", "Model 'seed' has no parameter 'kk' (its parameters are k); did you mean 'k'? (Parameter 'name')")]
    [InlineData("--at 1,2 --grid x=0:1:2,y=1", "give points one way: --at, --points, --grid or --random, not several")]
    [InlineData("--at 1,2 --out r.txt", "use .json, .csv, .npy or .parquet")]
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
    public void VerifyComparesEveryApiOfAModelFileWithTheHost()
    {
        var (code, stdout, stderr) = GpudiffProcess.Run("verify", File("seed.gd", Model), "--backend", "cpu-accelerator", "--points", "32", "--seed", "3", "--box", "x=-2:2,y=0:1");
        Assert.True(code == 0, stdout + stderr);
        foreach (var kind in new[] { "Value", "Jacobian", "Hessian", "Jvp", "Hvp" })
            Assert.Matches($"cpu-accelerator +{kind} +seed +identical", stdout);
        Assert.Contains("all identical to the host backend", stdout);
    }

    [Fact]
    public async Task SweepOfAModelFileStreamsTheLibrarysBits()
    {
        string output = Path.Combine(dir, "h.bin");
        var (code, stdout, stderr) = GpudiffProcess.Run("sweep", File("seed.gd", Model), "--kind", "hessian", "--points", "3000", "--seed", "5",
            "--box", "x=-2:2,y=1", "--batch-points", "700", "--backend", "host", "--out", output);
        Assert.True(code == 0, stdout + stderr);
        var bytes = System.IO.File.ReadAllBytes(output);
        var got = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        var points = new double[3000 * 2];
        await new Streaming.RandomPointSource(3000, 5, [-2.0, 1.0], [2.0, 1.0]).ReadAsync(points, default);
        Assert.All(points.Where((_, k) => k % 2 == 1), y => Assert.Equal(Bits(1.0), Bits(y)));
        using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        var want = engine.Hessian(ModelText.Parse(Model), points).Data;
        Assert.Equal(want.Select(Bits), got.Select(Bits));
    }

    [Fact]
    public void AnalysesAreNamedColumnsInEveryFormat()
    {
        string output = Path.Combine(dir, "a.json");
        var (code, _, stderr) = GpudiffProcess.Run("jacobian", File("seed.gd", Model), "--at", "2,3", "--analyse", "det,cond,newton", "--backend", "host", "--out", output);
        Assert.True(code == 0, stderr);
        var point = JsonDocument.Parse(System.IO.File.ReadAllText(output)).RootElement.GetProperty("points")[0];
        // J = [[4, 1], [9, 6]]: det 15; J s = -f with f = (7, 18) gives s = (-1.6, -0.6).
        Assert.Equal(15.0, point.GetProperty("det").GetDouble(), 1e-13);
        Assert.Equal(1.0, point.GetProperty("sign(det)").GetDouble());
        Assert.Equal(-1.6, point.GetProperty("newton x").GetDouble(), 1e-13);
        Assert.Equal(-0.6, point.GetProperty("newton y").GetDouble(), 1e-13);
        double s1 = point.GetProperty("sigma1").GetDouble(), s2 = point.GetProperty("sigma2").GetDouble();
        Assert.Equal(15.0, s1 * s2, 1e-12); // |det J| is the product of the singular values
        Assert.Equal(16.0 + 1 + 81 + 36, s1 * s1 + s2 * s2, 1e-11); // and the Frobenius norm their squares' sum

        string saddle = File("saddle.gd", "input x, y\noutput f = x^2 - y^2 + x*y^3\n");
        var (c2, stdout, e2) = GpudiffProcess.Run("hessian", saddle, "--at", "1,0", "--at", "0.5,0.5", "--analyse", "eig", "--backend", "host");
        Assert.True(c2 == 0, e2);
        Assert.Contains("class f   3 (saddle)", stdout);
        var csv = Path.Combine(dir, "e.csv");
        Assert.Equal(0, GpudiffProcess.Run("hessian", saddle, "--at", "1,0", "--analyse", "eig", "--backend", "host", "--out", csv).Code);
        Assert.EndsWith(",eig1 f,eig2 f,class f", System.IO.File.ReadAllLines(csv)[0]);
        Assert.EndsWith(",-2,2,3", System.IO.File.ReadAllLines(csv)[1]);
        var stats = GpudiffProcess.Run("hessian", saddle, "--grid", "x=-1:1:11,y=-1:1:11", "--analyse", "eig", "--stats", "--backend", "host");
        Assert.Equal(0, stats.Code);
        // f_yy = -2 + 6xy over [-1, 1]^2: min -8, max 4, exactly at the grid's corners.
        Assert.Matches(@"d2f/dydy +-8 +\S+ +4 +0", stats.Out);
        var refused = GpudiffProcess.Run("jacobian", saddle, "--at", "1,1", "--analyse", "det", "--backend", "host");
        Assert.Equal(2, refused.Code);
        Assert.Contains("--analyse det needs a square Jacobian; the model has 1 outputs and 2 inputs", refused.Err);
    }

    [Fact]
    public void PlotDrawsAHeatmapOfAColumnWithTheSecondInputUp()
    {
        string model = File("reaction.gd", "input a, b\nparam k1 = 1, k2 = 0.5\noutput da = -k1 * a * b + k2 * b^2\noutput db = k1 * a * b - 2 * k2 * b^2\n");
        string png = Path.Combine(dir, "dadb.png");
        var (code, stdout, stderr) = GpudiffProcess.Run("jacobian", model, "--grid", "a=0:2:41,b=0:1:21", "--plot", png, "--plot-of", "dda/db", "--backend", "host");
        Assert.True(code == 0, stdout + stderr);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((800, 600), (bitmap.Width, bitmap.Height));
        // dda/db = -a + b: largest (viridis' bright yellow) at a = 0, b = 1, the top left; smallest (dark) at the bottom right.
        static double Luminance(SkiaSharp.SKColor c) => 0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue;
        Assert.True(Luminance(bitmap.GetPixel(120, 100)) > Luminance(bitmap.GetPixel(660, 500)) + 100, "the heatmap's orientation");
        var (c1, _, e1) = GpudiffProcess.Run("jacobian", model, "--at", "1,1", "--plot", png, "--backend", "host");
        Assert.Equal(2, c1);
        Assert.Contains("--plot draws over a --grid", e1);
        var (c2, _, e2) = GpudiffProcess.Run("jacobian", model, "--grid", "a=0:2:5,b=0:1:5", "--plot", png, "--plot-of", "dda/dc", "--backend", "host");
        Assert.Equal(2, c2);
        Assert.Contains("--plot-of 'dda/dc' is not a column; the columns are a, b, da, db, dda/da, dda/db, ddb/da, ddb/db", e2);
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

/// <summary>The result and point file formats against independent readers and writers.</summary>
public sealed class ResultFileFormatTests : IDisposable
{
    private const string Model = "input x, y\noutput f1 = x^2 + y\noutput f2 = x * y\n";
    private readonly string dir = Directory.CreateTempSubdirectory("gpudiff-formats-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    [Fact]
    public void NpyRecordsAreByteForByteWhatNumPyWrites()
    {
        // Data/records.npy was written by NumPy 1.24 (Data/make_npy.py) from these records.
        string[] names = ["x", "y", "f1", "df1/dx", "d2f1/dxdy"];
        // Python's float("nan") is the positive quiet NaN; .NET's double.NaN has the sign bit set.
        double nan = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
        double[][] records = [[2.0, 3.0, 7.0, -0.0, 5e-324], [-1.5, 1e300, nan, double.PositiveInfinity, 0.1]];
        using var ours = new MemoryStream();
        GpuDiff.Cli.Npy.WriteRecords(ours, names, 2, records);
        Assert.Equal(File.ReadAllBytes(Data("records.npy")), ours.ToArray());
        var (rows, columns, read, values) = GpuDiff.Cli.Npy.Read(Data("records.npy"));
        Assert.Equal((2L, 5), (rows, columns));
        Assert.Equal(names, read);
        Assert.Equal(records.SelectMany(r => r).Select(Bits), values.Select(Bits));
    }

    [Fact]
    public void EveryPointsFormatGivesTheSameBitsAsAt()
    {
        string model = Path.Combine(dir, "seed.gd");
        File.WriteAllText(model, Model);
        // NumPy's points.npy holds [[0.5, -2], [1e-310, 3.25], [7, 0.1]].
        File.Copy(Data("points.npy"), Path.Combine(dir, "p.npy"));
        File.WriteAllText(Path.Combine(dir, "p.csv"), "label,y,x\na,-2,0.5\nb,3.25,1e-310\nc,0.1,7\n");
        var want = Run(model, "--at", "0.5,-2", "--at", "1e-310,3.25", "--at", "7,0.1");
        Assert.Equal(want, Run(model, "--points", Path.Combine(dir, "p.npy")));
        Assert.Equal(want, Run(model, "--points", Path.Combine(dir, "p.csv")));
        // A Parquet file written by the tool (columns x, y, ...) read back as points.
        var (code, _, stderr) = GpudiffProcess.Run("value", model, "--points", Path.Combine(dir, "p.csv"), "--backend", "host", "--out", Path.Combine(dir, "v.parquet"));
        Assert.True(code == 0, stderr);
        Assert.Equal(want, Run(model, "--points", Path.Combine(dir, "v.parquet")));
    }

    /// <summary>The Jacobian as .npy written by the tool, read back: the points' and results' bits.</summary>
    private long[] Run(string model, params string[] points)
    {
        string output = Path.Combine(dir, $"r{Guid.NewGuid():N}.npy");
        var (code, _, stderr) = GpudiffProcess.Run(["jacobian", model, .. points, "--backend", "host", "--out", output]);
        Assert.True(code == 0, stderr);
        var (_, columns, names, values) = GpuDiff.Cli.Npy.Read(output);
        Assert.Equal(["x", "y", "f1", "f2", "df1/dx", "df1/dy", "df2/dx", "df2/dy"], names!);
        Assert.Equal(8, columns);
        return values.Select(Bits).ToArray();
    }

    [Theory]
    [InlineData("p.csv", "x,y\n1,2\n3,oops\n", "p.csv: line 3, column 'y': 'oops' is not a finite number")]
    [InlineData("p.csv", "x,z\n1,2\n", "p.csv: no column 'y' (the model's inputs are x, y; the file has x, z)")]
    [InlineData("p.csv", "x,y\n", "p.csv: no points (only a header)")]
    [InlineData("p.txt", "1 2\n", "the format comes from the extension; use .csv, .npy or .parquet")]
    public void BadPointFilesNameTheFileRowAndColumn(string name, string text, string message)
    {
        string model = Path.Combine(dir, "seed.gd");
        File.WriteAllText(model, Model);
        File.WriteAllText(Path.Combine(dir, name), text);
        var (code, _, stderr) = GpudiffProcess.Run("value", model, "--points", Path.Combine(dir, name), "--backend", "host");
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void AnNpyOfTheWrongTypeOrShapeIsRefusedWithTheReason()
    {
        string model = Path.Combine(dir, "seed.gd");
        File.WriteAllText(model, "input x, y, z\noutput f = x + y + z\n");
        var (code, _, stderr) = GpudiffProcess.Run("value", model, "--points", Data("points.npy"), "--backend", "host");
        Assert.Equal(2, code);
        Assert.Contains("2 columns, but the model has 3 inputs (x, y, z)", stderr);
    }
}
