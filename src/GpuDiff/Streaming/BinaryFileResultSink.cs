using System.Runtime.InteropServices;

namespace GpuDiff.Streaming;

/// <summary>
/// Writes results as raw little-endian doubles. They go to <c>path.partial</c>, which becomes
/// <c>path</c> only when the sweep completes; a cancelled or failed sweep deletes it, so a file at
/// <c>path</c> is always a whole result.
/// </summary>
public sealed class BinaryFileResultSink : IResultSink, IAsyncDisposable
{
    private readonly string path, partial;
    private FileStream? stream;

    /// <summary>Opens <c>path.partial</c> for writing.</summary>
    public BinaryFileResultSink(string path)
    {
        this.path = Path.GetFullPath(path);
        partial = this.path + ".partial";
        stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
    {
        var open = stream ?? throw new InvalidOperationException($"{partial} is already closed.");
        cancellationToken.ThrowIfCancellationRequested();
        open.Write(MemoryMarshal.AsBytes(block.Span)); // straight from the block's bytes, no copy
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        var open = stream ?? throw new InvalidOperationException($"{partial} is already closed.");
        await open.FlushAsync(cancellationToken);
        await open.DisposeAsync();
        stream = null;
        File.Move(partial, path, overwrite: true);
    }

    /// <inheritdoc />
    public async ValueTask AbortAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
            stream = null;
        }
        File.Delete(partial);
    }

    /// <summary>Closes the file; without <see cref="CompleteAsync"/> the partial file is deleted.</summary>
    public ValueTask DisposeAsync() => AbortAsync();
}
