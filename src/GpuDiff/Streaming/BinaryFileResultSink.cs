using System.Globalization;
using System.Runtime.InteropServices;

namespace GpuDiff.Streaming;

/// <summary>
/// Writes results as raw little-endian doubles, point after point. They go to <c>path.partial</c>,
/// which becomes <c>path</c> only when the sweep completes, so a file at <c>path</c> is always a
/// whole result. A plain sink deletes the partial file when the sweep is cancelled or fails. A
/// resumable sink (<c>resumable: true</c>) instead keeps it, with <c>path.partial.progress</c>: after
/// each batch the data is flushed to disk and only then the count of complete points is recorded
/// (written to a temporary file and renamed over the old record), so even a killed process leaves a
/// record that is never ahead of the data. A sweep run again with the same arguments and
/// <c>resume: true</c> cuts the partial file to the recorded points and continues; the finished file
/// is byte for byte what an uninterrupted sweep writes.
/// </summary>
public sealed class BinaryFileResultSink : IResumableResultSink, IAsyncDisposable
{
    private const string RecordHeader = "gpudiff-sweep-progress 1";
    private readonly string path, partial, progress;
    private readonly bool resumable;
    private FileStream? stream;
    private SweepFingerprint? fingerprint;
    private long points, pointBytes;
    private bool closed;

    /// <summary>A sink for <paramref name="path"/>; the file is opened when the first block (or the sweep's start) arrives.</summary>
    public BinaryFileResultSink(string path, bool resumable = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        this.path = Path.GetFullPath(path);
        partial = this.path + ".partial";
        progress = partial + ".progress";
        this.resumable = resumable;
        string? directory = Path.GetDirectoryName(this.path);
        if (directory is not null && !Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The directory of {this.path} does not exist.");
    }

    /// <summary>The temporary file the results go to until the sweep completes.</summary>
    public string PartialPath => partial;

    /// <summary>The record of how many complete points the partial file holds (resumable sinks).</summary>
    public string ProgressPath => progress;

    /// <inheritdoc />
    public ValueTask<long> BeginAsync(SweepFingerprint fingerprint, bool resume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (stream is not null || closed) throw new InvalidOperationException($"{partial} is already in use by a sweep.");
        if (resume && !resumable)
            throw new ArgumentException($"Resuming needs a resumable sink: new BinaryFileResultSink(\"{path}\", resumable: true).", nameof(resume));
        this.fingerprint = fingerprint;
        pointBytes = 8 * fingerprint.PointStride;
        long start = resume ? RecordedPoints(fingerprint) : 0;
        if (start > 0)
        {
            stream = Open(FileMode.Open);
            stream.SetLength(start * pointBytes); // whatever followed the last record is incomplete
            stream.Seek(0, SeekOrigin.End);
        }
        else
        {
            stream = Open(FileMode.Create);
            if (resumable) Record(0);
        }
        points = start;
        return ValueTask.FromResult(start);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
    {
        if (closed) throw new InvalidOperationException($"{partial} is already closed.");
        cancellationToken.ThrowIfCancellationRequested();
        stream ??= Open(FileMode.Create);
        stream.Write(MemoryMarshal.AsBytes(block.Span)); // straight from the block's bytes, no copy
        if (resumable && fingerprint is not null)
        {
            points = firstPoint + block.Length * 8L / pointBytes;
            stream.Flush(flushToDisk: true); // the data reaches the disk before the record that counts it
            Record(points);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (closed) throw new InvalidOperationException($"{partial} is already closed.");
        stream ??= Open(FileMode.Create); // a sweep of no points is an empty file
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
        await stream.DisposeAsync();
        stream = null;
        closed = true;
        File.Move(partial, path, overwrite: true);
        File.Delete(progress);
    }

    /// <inheritdoc />
    public async ValueTask AbortAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
            stream = null;
        }
        if (closed) return;
        closed = true;
        if (resumable) return; // the partial file and its record stay, for a resumed sweep
        File.Delete(partial);
    }

    /// <summary>Closes the file; without <see cref="CompleteAsync"/> it is treated as an aborted sweep.</summary>
    public ValueTask DisposeAsync() => AbortAsync();

    // Others may read what is written (a resumed sweep's statistics read the complete points back).
    private FileStream Open(FileMode mode) => new(partial, mode, FileAccess.Write, FileShare.Read, 1 << 20);

    /// <summary>The points the record vouches for, checked against the partial file's length; 0 when there is no record.</summary>
    private long RecordedPoints(SweepFingerprint want)
    {
        if (!File.Exists(progress) || !File.Exists(partial)) return 0;
        var lines = File.ReadAllLines(progress);
        if (lines.Length < 3 || lines[0] != RecordHeader || !lines[2].StartsWith("points=", StringComparison.Ordinal)
            || !long.TryParse(lines[2].AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out long recorded))
            throw new InvalidDataException($"{progress} is not a sweep progress record; delete it and {partial} to start over.");
        if (lines[1] != want.ToString())
            throw new InvalidDataException($"{partial} belongs to a different sweep: it was written by [{lines[1]}], this sweep is [{want}]. " +
                "Run the same command as before, or delete the partial file and its .progress record to start over.");
        long length = new FileInfo(partial).Length;
        if (length < recorded * pointBytes)
            throw new InvalidDataException($"{partial} holds {length} bytes, fewer than the {recorded} points its record counts ({recorded * pointBytes} bytes).");
        return recorded;
    }

    private void Record(long complete)
    {
        string temporary = progress + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes($"{RecordHeader}\n{fingerprint}\npoints={complete.ToString(CultureInfo.InvariantCulture)}\n"));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, progress, overwrite: true);
    }
}
