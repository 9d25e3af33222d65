using System.Globalization;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;
using GpuDiff.Streaming;

namespace GpuDiff.Cli;

/// <summary>
/// A sweep's results in the format of the file's extension (JSON, CSV, NPY, Parquet), with each
/// point's inputs and values beside the kind's block, as the model commands write them. Points
/// come again from a fresh copy of the sweep's source (random, grid and file sources are all
/// indexable), values from one plain evaluation per batch. Written to FILE.partial and renamed
/// when complete. After each batch the file is flushed to disk and FILE.partial.progress records
/// the points done and the file's length, so an interrupted sweep resumes by cutting the file to
/// that length (JSON, CSV, NPY; a Parquet file's footer is written only at the end, so it cannot).
/// </summary>
internal sealed class FormattedResultSink(string path, TextModel model, DerivativeKind kind, DerivativeEngine engine,
    Func<IPointSource> points, long pointOffset, long rows) : IResumableResultSink
{
    private readonly string full = Path.GetFullPath(path);
    private readonly string extension = Path.GetExtension(path).ToLowerInvariant();
    private FileStream? stream;
    private ResultFileWriter? writer;
    private string record = "";

    public string PartialPath => full + ".partial";

    private string ProgressPath => PartialPath + ".progress";

    // A value sweep's blocks are the values themselves, written once, as the value command writes them.
    private DerivativeKind? Derivative => kind == DerivativeKind.Value ? null : kind;

    public static bool Handles(string path) => ResultFileWriter.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static bool Resumable(string path) => Handles(path) && Path.GetExtension(path).ToLowerInvariant() != ".parquet";

    public ValueTask<long> BeginAsync(SweepFingerprint fingerprint, bool resume, CancellationToken cancellationToken)
    {
        record = $"{fingerprint} format={extension}";
        if (resume && File.Exists(ProgressPath) && File.Exists(PartialPath))
        {
            var lines = File.ReadAllLines(ProgressPath);
            if (lines.Length != 3 || lines[0] != record)
                throw new InvalidDataException($"{ProgressPath} records another sweep ({(lines.Length > 0 ? lines[0] : "empty")}); this one is {record}.");
            long done = long.Parse(lines[1], CultureInfo.InvariantCulture), bytes = long.Parse(lines[2], CultureInfo.InvariantCulture);
            stream = new FileStream(PartialPath, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16);
            stream.SetLength(bytes);
            stream.Position = bytes;
            writer = ResultFileWriter.Create(extension, stream, model, Derivative, [], rows, continuing: true);
            return ValueTask.FromResult(done);
        }
        File.Delete(ProgressPath);
        stream = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        writer = ResultFileWriter.Create(extension, stream, model, Derivative, [], rows, continuing: false);
        return ValueTask.FromResult(0L);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
    {
        int n = model.Inputs;
        int stride = (int)DerivativeResult.PointStrideOf(kind, n, model.Outputs);
        int count = block.Length / stride;
        var source = points();
        await source.SkipAsync((pointOffset + firstPoint) * n, cancellationToken);
        var x = new double[count * n];
        for (int filled = 0; filled < x.Length;)
        {
            int got = await source.ReadAsync(x.AsMemory(filled), cancellationToken);
            if (got == 0) throw new InvalidDataException($"The point source ended before point {firstPoint + count}.");
            filled += got;
        }
        var values = Derivative is null ? null : engine.Value(model, x);
        for (int p = 0; p < count; p++)
        {
            var own = block.Span.Slice(p * stride, stride);
            writer!.Write(firstPoint + p, x.AsSpan(p * n, n), values is null ? own : values.ForPoint(p), values is null ? default : own, default);
        }
        writer!.Flush();
        stream!.Flush(flushToDisk: true);
        // The record follows the data it describes, and replaces the old one whole.
        string temporary = ProgressPath + ".new";
        await File.WriteAllTextAsync(temporary, FormattableString.Invariant($"{record}\n{firstPoint + count}\n{stream.Position}\n"), cancellationToken);
        File.Move(temporary, ProgressPath, overwrite: true);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        writer!.Finish();
        stream!.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(PartialPath, full, overwrite: true);
        File.Delete(ProgressPath);
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync()
    {
        // The partial file and its record stay for --resume.
        stream?.Dispose();
        return ValueTask.CompletedTask;
    }
}
