using System.CommandLine;
using System.Diagnostics;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Resident;
using GpuDiff.Streaming;
using System.Runtime.InteropServices;
using Spectre.Console;

namespace GpuDiff.Cli;

/// <summary>The main job: the arm's Jacobian over a sweep of configurations, reduced to manipulability.</summary>
internal static partial class SweepCommand
{
    private static readonly Option<long> Points = new("--points") { Description = "How many random joint configurations (at least 1)", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the random configurations", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> Backend = new("--backend") { Description = "cuda, opencl, host, cpu-accelerator or auto (GPUDIFF_BACKEND, then CUDA, OpenCL, host)", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> Histogram = new("--histogram") { Description = "Also draw a histogram of the manipulability in this many bins over [0, 12) (1 to 64; reduced where the Jacobians are)", DefaultValueFactory = _ => 0 };
    private static readonly Option<double> SingularBelow = new("--singular-below") { Description = "Manipulability under which a configuration counts as near-singular (finite, >= 0)", DefaultValueFactory = _ => 1e-2 };
    private static readonly Option<FileInfo?> Out = new("--out") { Description = "Also write every Jacobian to this file: raw little-endian doubles [point][3][6]" };
    private static readonly Option<bool> Resume = new("--resume") { Description = "Continue an interrupted sweep to --out from its last complete batch (same arguments as before)" };
    private static readonly Option<long?> BatchPoints = new("--batch-points") { Description = "At most this many points per batch: the interval between progress reports and --out checkpoints" };

    private static readonly Option<string?> Shard = new("--shard") { Description = "i/N: only shard i (0 to N-1) of the sweep's points, a contiguous slice, to --out; join the parts with gpudiff merge" };
    private static readonly Option<string[]> Param = new("--param") { Description = "With MODEL: a parameter's value, name=v; repeatable" };
    private static readonly Argument<FileInfo?> Model = new("MODEL") { Description = "A model-language file to sweep instead of the arm", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string> Kind = new("--kind") { Description = "With MODEL: value, jacobian, gradient or hessian", DefaultValueFactory = _ => "jacobian" };
    private static readonly Option<string?> Grid = new("--grid") { Description = "With MODEL: sweep a Cartesian grid, x=lo:hi:n,... (a fixed input as y=0.5), streamed point by point" };
    private static readonly Option<string?> PointsFile = new("--points-file") { Description = "With MODEL: sweep the points of a .csv, .npy or .parquet file (as gpudiff jacobian --points reads them)" };
    private static readonly Option<string?> Box = new("--box") { Description = "With MODEL: the random points' box, name=lo:hi per input (default [-1, 1) for each)" };

    public static Command Create()
    {
        var command = new Command("sweep", "Jacobian of the six-link planar arm at random configurations, with manipulability statistics (the default command);" +
            " or, given a model file, any derivative of it at random points in --box, a --grid or a --points-file, streamed to --out" +
            " (.json, .csv, .npy, .parquet as the model commands write them; any other name gets raw doubles)." +
            " Example: gpudiff sweep --points 100000000 --out arm.bin  (Ctrl-C stops at a batch boundary; add --resume to continue)," +
            " or gpudiff sweep pendulum.gd --kind hessian --points 10000000 --box theta=-3:3,omega=-1:1 --out h.csv")
        {
            Points, Seed, Backend, SingularBelow, Histogram, Out, Resume, BatchPoints, Shard, Kind, Box, Grid, PointsFile, Param,
        };
        command.Arguments.Add(Model);
        command.SetAction((r, token) => ExitCodes.Guarded(() => r.GetValue(Model) is FileInfo file ? RunModel(file, r, token) : Run(r, token)));
        return command;
    }

    /// <summary>
    /// A model file's derivatives at random points in a box, a grid or a file's points, streamed to
    /// --out: in the format of its extension (.json, .csv, .npy, .parquet) with inputs and values,
    /// or else raw little-endian doubles, [point][the kind's entries].
    /// </summary>
    private static async Task<int> RunModel(FileInfo modelFile, ParseResult r, CancellationToken token)
    {
        ExitCodes.Require(r.GetResult(SingularBelow) is null or { Implicit: true }, "--singular-below is the arm's manipulability threshold; a model sweep has none.");
        ExitCodes.Require(r.GetResult(Histogram) is null or { Implicit: true }, "--histogram draws the arm's manipulability; a model sweep has none.");
        var model = ModelCommands.WithParameters(ModelLanguage.ModelText.Load(modelFile.FullName), r.GetValue(Param) ?? []);
        foreach (var w in model.Warnings) Console.Error.WriteLine(w);
        long points = r.GetValue(Points);
        var outFile = r.GetValue(Out);
        bool resume = r.GetValue(Resume);
        long? batch = r.GetValue(BatchPoints);
        ExitCodes.Require(points >= 1, $"--points must be at least 1, not {points}.");
        ExitCodes.Require(batch is null or >= 1, $"--batch-points must be at least 1, not {batch}.");
        ExitCodes.Require(!resume || outFile is not null, "--resume continues a sweep written with --out; give the same --out.");
        string kindName = r.GetValue(Kind) ?? "jacobian";
        DerivativeKind kind = kindName switch
        {
            "value" => DerivativeKind.Value,
            "jacobian" => DerivativeKind.Jacobian,
            "gradient" => DerivativeKind.Gradient,
            "hessian" => DerivativeKind.Hessian,
            _ => throw new ArgumentException($"--kind {kindName}: a sweep computes value, jacobian, gradient or hessian (jvp and hvp need directions: use gpudiff jvp|hvp --directions FILE)"),
        };
        string box = r.GetValue(Box) ?? string.Join(",", model.InputNames.Select(n => n + "=-1:1"));
        int seed = r.GetValue(Seed);
        string? grid = r.GetValue(Grid), pointsFile = r.GetValue(PointsFile);
        ExitCodes.Require(grid is null || pointsFile is null, "give the points one way: --grid, --points-file, or random points (--points N --box)");
        ExitCodes.Require(grid is null && pointsFile is null || r.GetResult(Points) is null or { Implicit: true } && r.GetValue(Box) is null,
            "--points N and --box choose random points; with --grid or --points-file leave them out");
        Func<IPointSource> fresh;
        string where;
        if (grid is not null)
        {
            var gridSource = PointsSpecification.GridSource(model, grid);
            points = gridSource.Count!.Value;
            fresh = () => PointsSpecification.GridSource(model, grid);
            where = $"the grid {grid}";
        }
        else if (pointsFile is not null)
        {
            var read = PointFiles.Read(pointsFile, model, "--points-file");
            points = read.LongLength / model.Inputs;
            ExitCodes.Require(points >= 1, $"--points-file {pointsFile} holds no points");
            fresh = () => new ArrayPointSource(read, model.Inputs);
            where = $"the points of {pointsFile}";
        }
        else
        {
            fresh = () => PointsSpecification.RandomSource(model, points, box, (ulong)seed);
            where = $"{box} (seed {seed})";
        }
        var (source, count, shard) = Sharded(r, fresh(), model.Inputs, points, outFile);
        bool formatted = outFile is not null && FormattedResultSink.Handles(outFile.Name);
        ExitCodes.Require(!formatted || shard is null, "--shard writes raw doubles for gpudiff merge; give --out a name without .json, .csv, .npy or .parquet");
        ExitCodes.Require(!resume || !formatted || FormattedResultSink.Resumable(outFile!.Name),
            "a Parquet file's footer is written only at its end, so a .parquet sweep cannot be resumed; sweep to .csv, .npy, .json or raw doubles to resume");
        using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendNames.Parse(r.GetValue(Backend) ?? "auto", "--backend value"), MaxBatchPoints = batch });
        var file = outFile is null || formatted ? null : new BinaryFileResultSink(outFile.FullName, resumable: true);
        var formattedFile = formatted ? new FormattedResultSink(outFile!.FullName, model, kind, engine, fresh, 0, count) : null;
        IResultSink sink = formattedFile ?? (IResultSink?)file ?? new DiscardingSink();
        using var interrupt = Interruption.Create(token);
        var clock = Stopwatch.StartNew();
        SweepSummary summary;
        try
        {
            summary = await ProgressDisplay.Run(ModelCommandsKindLabel(kind), count, progress =>
                engine.SweepAsync(kind, model, source, sink, progress: progress, cancellationToken: interrupt.Token, resume: resume));
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            string? partial = file?.PartialPath ?? formattedFile?.PartialPath;
            Console.Error.WriteLine(partial is null
                ? "gpudiff: interrupted; nothing was written."
                : FormattedResultSink.Resumable(partial[..^".partial".Length]) || file is not null
                ? $"gpudiff: interrupted at a batch boundary; {partial} holds the complete batches. Run the same command with --resume to continue."
                : $"gpudiff: interrupted; {partial} holds the complete batches but, being Parquet, cannot be resumed.");
            return ExitCodes.Interrupted;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        long stride = DerivativeResult.PointStrideOf(kind, model.Inputs, model.Outputs);
        var table = new Table().AddColumn("quantity").AddColumn("value");
        table.AddRow("backend", BackendNames.Name(engine.Backend));
        table.AddRow("device", Markup.Escape(engine.Device));
        table.AddRow("model", Markup.Escape($"{model.Name}: ({string.Join(", ", model.InputNames)}) -> ({string.Join(", ", model.OutputNames)})"));
        table.AddRow("computed", $"{kindName}, {stride} doubles per point");
        table.AddRow("points", Markup.Escape($"{points:N0} in {where}") + ShardText(shard, count) + (summary.FirstPoint > 0 ? $", resumed at {summary.FirstPoint:N0}" : ""));
        table.AddRow("wall time", $"{seconds:F3} s");
        table.AddRow("throughput", $"{summary.Points / seconds:N0} points/s");
        table.AddRow("non-finite points", summary.NonFinitePoints.ToString("N0") +
            (summary.FirstNonFinitePoints.Count > 0 ? $" (first at point {summary.FirstNonFinitePoints[0]:N0})" : ""));
        if (outFile is not null) table.AddRow("results written to", Markup.Escape(formatted
            ? $"{outFile.FullName} (inputs, values and {kindName} per point)"
            : $"{outFile.FullName} (raw little-endian doubles, [point][{stride}])"));
        AnsiConsole.Write(table);
        string parameters = string.Join(",", model.ParameterNames.Select(p => $"{p}={model.ParameterValue(p):R}"));
        WriteShardRecord(outFile, shard, points, count, stride, $"{model.ModelType.FullName} {kindName} points={where} params={parameters}");
        return ExitCodes.Success;
    }

    /// <summary>The sweep's source, cut to --shard i/N when given (which needs --out), and its point count.</summary>
    private static (IPointSource Source, long Count, (int Index, int Of)? Shard) Sharded(ParseResult r, IPointSource source, int inputs, long points, FileInfo? outFile)
    {
        if (r.GetValue(Shard) is not string text) return (source, points, null);
        var parts = text.Split('/');
        bool ok = parts.Length == 2 && int.TryParse(parts[0], out int index) && int.TryParse(parts[1], out int of) && of >= 1 && index >= 0 && index < of;
        ExitCodes.Require(ok, $"--shard {text}: write i/N with 0 <= i < N, e.g. 0/4 for the first of four");
        ExitCodes.Require(outFile is not null, "--shard writes one part of a sweep to --out; give --out (and join the parts with gpudiff merge)");
        int i = int.Parse(parts[0]), n = int.Parse(parts[1]);
        var (first, count) = PointSourceSlice.Shard(points, i, n);
        return (new PointSourceSlice(source, inputs, first, count), count, (i, n));
    }

    private static string ShardText((int Index, int Of)? shard, long count) =>
        shard is var (i, n) ? $", shard {i}/{n}: {count:N0} of them" : "";

    /// <summary>Beside a shard's --out, what gpudiff merge checks: which part of which sweep the file holds.</summary>
    private static void WriteShardRecord(FileInfo? outFile, (int Index, int Of)? shard, long total, long count, long stride, string sweep)
    {
        if (outFile is null || shard is not var (i, n)) return;
        var record = new ShardRecord(i, n, PointSourceSlice.Shard(total, i, n).First, count, total, stride, sweep);
        File.WriteAllText(ShardRecord.PathFor(outFile.FullName), System.Text.Json.JsonSerializer.Serialize(record, ShardRecord.Json));
    }

    private static string ModelCommandsKindLabel(DerivativeKind kind) => kind switch
    {
        DerivativeKind.Value => "Values",
        DerivativeKind.Gradient => "Gradients",
        DerivativeKind.Hessian => "Hessians",
        _ => "Jacobians",
    };

    /// <summary>A sweep without --out: the results are counted (non-finite points) and dropped.</summary>
    private sealed class DiscardingSink : IResultSink
    {
        public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AbortAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Ctrl-C and SIGTERM cancel <see cref="Token"/> instead of killing the process, so a sweep stops at a batch boundary.</summary>
    private sealed class Interruption : IDisposable
    {
        private readonly CancellationTokenSource source;
        private readonly PosixSignalRegistration sigint, sigterm;

        private Interruption(CancellationToken token)
        {
            source = CancellationTokenSource.CreateLinkedTokenSource(token);
            sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        }

        public CancellationToken Token => source.Token;

        public static Interruption Create(CancellationToken token) => new(token);

        private void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            source.Cancel();
        }

        public void Dispose()
        {
            sigint.Dispose();
            sigterm.Dispose();
            source.Dispose();
        }
    }

    public static async Task<int> Run(ParseResult r, CancellationToken token)
    {
        foreach (var option in new Option[] { Kind, Box, Param })
            ExitCodes.Require(r.GetResult(option) is null or { Implicit: true }, $"{option.Name} applies to a model file: gpudiff sweep MODEL {option.Name} ...");
        long points = r.GetValue(Points);
        int seed = r.GetValue(Seed);
        double singularBelow = r.GetValue(SingularBelow);
        int bins = r.GetValue(Histogram);
        ExitCodes.Require(bins is >= 0 and <= 64, $"--histogram takes 1 to 64 bins, not {bins}.");
        var outFile = r.GetValue(Out);
        bool resume = r.GetValue(Resume);
        long? batch = r.GetValue(BatchPoints);
        ExitCodes.Require(points >= 1, $"--points must be at least 1, not {points}.");
        ExitCodes.Require(double.IsFinite(singularBelow) && singularBelow >= 0, $"--singular-below must be a finite number >= 0, not {singularBelow}.");
        ExitCodes.Require(batch is null or >= 1, $"--batch-points must be at least 1, not {batch}.");
        ExitCodes.Require(!resume || outFile is not null, "--resume continues a sweep written with --out; give the same --out.");
        var kind = BackendNames.Parse(r.GetValue(Backend) ?? "auto", "--backend value");
        using var engine = new DerivativeEngine(new EngineOptions { Backend = kind, MaxBatchPoints = batch });
        // Points are generated and Jacobians reduced batch by batch: memory stays bounded for any --points.
        var (source, count, shard) = Sharded(r, new RandomPointSource(points, 6, (ulong)seed, -Math.PI, Math.PI), 6, points, outFile);
        var file = outFile is null ? null : new BinaryFileResultSink(outFile.FullName, resumable: true);
        var statistics = new ManipulabilitySink(singularBelow, bins == 0 ? null : new HistogramBins(0, HistogramTop, bins), file);

        using var interrupt = Interruption.Create(token);

        var clock = Stopwatch.StartNew();
        SweepSummary summary;
        double? steady = null;
        string? firstBatch = null;
        try
        {
            // Without --out no Jacobian needs to leave the device: points, Jacobians and the
            // manipulability stay there and only the statistics' block records come back.
            summary = await ProgressDisplay.Run("Jacobians", count, progress => outFile is null
                ? Task.Run(() => ResidentSweep(engine, count, (ulong)seed, batch, statistics.Statistics, progress, interrupt.Token, out steady, out firstBatch))
                : engine.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), source, statistics, progress: progress,
                    cancellationToken: interrupt.Token, resume: resume));
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine(file is null
                ? "gpudiff: interrupted; nothing was written."
                : $"gpudiff: interrupted at a batch boundary; {file.PartialPath} holds the complete batches. Run the same command with --resume to continue.");
            return ExitCodes.Interrupted;
        }
        clock.Stop();

        double seconds = clock.Elapsed.TotalSeconds;
        var table = new Table().AddColumn("quantity").AddColumn("value");
        table.AddRow("backend", BackendNames.Name(engine.Backend));
        table.AddRow("device", Markup.Escape(engine.Device));
        table.AddRow("model", "planar arm, 6 unit links: (x, y, heading), J is 3 x 6");
        table.AddRow("points", $"{points:N0} (seed {seed})" + ShardText(shard, count) + (summary.FirstPoint > 0 ? $", resumed at {summary.FirstPoint:N0}" : ""));
        table.AddRow("wall time", $"{seconds:F3} s");
        table.AddRow("throughput", $"{summary.Points / seconds:N0} points/s" + (steady is double rate ? $"; {rate:N0} after the first batch (which compiles the kernels)" : ""));
        if (firstBatch is not null) table.AddRow("first batch", Markup.Escape(firstBatch));
        var w = statistics.Statistics.Result;
        table.AddRow("manipulability sqrt(det(J J^T))", $"min {w.Min:G6} (point {w.MinIndex:N0}), mean {w.Mean:G6}, max {w.Max:G6} (point {w.MaxIndex:N0})");
        table.AddRow("near-singular", $"{w.BelowThreshold:N0} below {singularBelow:G3}");
        table.AddRow("most singular", string.Join(", ", w.Smallest.Select(e => $"{e.Value:G6} (point {e.Index:N0})")));
        table.AddRow("non-finite points", summary.NonFinitePoints.ToString("N0") + (summary.FirstPoint > 0 ? " (in the resumed part)" : ""));
        table.AddRow("statistics computed", outFile is not null ? "on the host, from the Jacobians written"
            : engine.Backend == BackendKind.Host ? "in host memory, where the Jacobians were made" : "on the device: points made there, no Jacobian copied out");
        if (outFile is not null) table.AddRow("Jacobians written to", Markup.Escape(outFile.FullName));
        AnsiConsole.Write(table);
        if (w.HistogramCounts is { } counts) DrawHistogram(counts, w.AboveHistogram);
        WriteShardRecord(outFile, shard, points, count, 18, $"arm seed={seed}");
        return ExitCodes.Success;
    }
}
