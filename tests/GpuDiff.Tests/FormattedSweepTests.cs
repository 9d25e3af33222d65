using GpuDiff.Backends;
using GpuDiff.Cli;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;
using GpuDiff.Streaming;

namespace GpuDiff.Tests;

/// <summary>
/// gpudiff sweep MODEL to .json, .csv, .npy and .parquet: the same bytes as the model commands
/// write for the same points, whatever the batches; interrupted, it resumes to those bytes.
/// </summary>
public sealed class FormattedSweepTests : IDisposable
{
    private const string Model = "input a, b, c\nparam k = 2\noutput f = k * a * b + sin(c)\noutput g = exp(a - c) / (1 + b * b)";
    private readonly string dir = Directory.CreateTempSubdirectory("gpudiff-formatted-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(dir, name);

    [Theory]
    [InlineData("json", "hessian", "--grid a=-1:1:7,b=0.5,c=-2:2:9")]
    [InlineData("csv", "jacobian", "--random 500 --box a=-1:1,b=-1:1,c=-1:1 --seed 4")]
    [InlineData("npy", "gradient-of-f", "--random 300 --box a=-1:1,b=-1:1,c=-1:1 --seed 5")]
    [InlineData("parquet", "value", "--grid a=-1:1:11,b=-1:1:3,c=0")]
    public void ASweepWritesWhatTheModelCommandWrites(string format, string kind, string points)
    {
        string text = kind == "gradient-of-f" ? "input a, b, c\noutput f = a * b * c + cos(a)" : Model;
        kind = kind == "gradient-of-f" ? "gradient" : kind;
        string model = Path("m.gd");
        File.WriteAllText(model, text);
        string once = Path($"once.{format}"), swept = Path($"swept.{format}");
        var (code, _, stderr) = GpudiffProcess.Run([kind, model, .. points.Split(' '), "--backend", "host", "--out", once]);
        Assert.True(code == 0, stderr);
        // The sweep spells random points as --points N; grids are the same.
        string sweepPoints = points.Replace("--random", "--points");
        (code, _, stderr) = GpudiffProcess.Run(["sweep", model, "--kind", kind, .. sweepPoints.Split(' '), "--backend", "host", "--batch-points", "37", "--out", swept]);
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(once), File.ReadAllBytes(swept));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("npy")]
    [InlineData("json")]
    public async Task AnInterruptedSweepResumesToTheBytesOfAnUninterruptedOne(string format)
    {
        var model = ModelText.Parse(Model);
        using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, MaxBatchPoints = 50 });
        RandomPointSource Points() => new(1000, 7, [-1, -1, -1], [1, 1, 1]);
        string whole = Path($"whole.{format}"), cut = Path($"cut.{format}");
        FormattedResultSink Sink(string path) => new(path, model, DerivativeKind.Jacobian, engine, Points, 0, 1000);
        await engine.SweepAsync(DerivativeKind.Jacobian, model, Points(), Sink(whole));

        using var cts = new CancellationTokenSource();
        var stop = new Progress(p => { if (p.PointsDone >= 300) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.SweepAsync(DerivativeKind.Jacobian, model, Points(), Sink(cut), progress: stop, cancellationToken: cts.Token));
        Assert.False(File.Exists(cut));
        // A write cut off after the record: the resumed sweep cuts the file back to the record.
        await using (var tail = new FileStream(cut + ".partial", FileMode.Append)) tail.Write("garbage"u8);
        var summary = await engine.SweepAsync(DerivativeKind.Jacobian, model, Points(), Sink(cut), resume: true);
        // Cancelled once 300 points were computed; the sink, a batch behind, recorded 250 or 300.
        Assert.True(summary.FirstPoint >= 250 && summary.FirstPoint % 50 == 0, $"resumed at {summary.FirstPoint}");
        Assert.Equal(await File.ReadAllBytesAsync(whole), await File.ReadAllBytesAsync(cut));
        Assert.False(File.Exists(cut + ".partial") || File.Exists(cut + ".partial.progress"));
    }

    [Fact]
    public void AParquetSweepIsNotResumedAndShardsStayRaw()
    {
        string model = Path("m.gd");
        File.WriteAllText(model, Model);
        var (code, _, stderr) = GpudiffProcess.Run("sweep", model, "--points", "10", "--out", Path("r.parquet"), "--resume", "--backend", "host");
        Assert.Equal(2, code);
        Assert.Contains("cannot be resumed", stderr);
        (code, _, stderr) = GpudiffProcess.Run("sweep", model, "--points", "10", "--out", Path("r.csv"), "--shard", "0/2", "--backend", "host");
        Assert.Equal(2, code);
        Assert.Contains("--shard writes raw doubles", stderr);
    }

    private sealed class Progress(Action<SweepProgress> action) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => action(value);
    }
}
