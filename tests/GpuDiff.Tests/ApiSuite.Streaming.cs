using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Streaming;

namespace GpuDiff.Tests;

/// <summary>The streaming form, on every backend of the suite.</summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public async Task StreamingInSmallBatchesMatchesOneShotBitForBit()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 7 });
        var q = Uniform(6 * 100, -3, 3);
        var sink = new MemorySink();
        var summary = await e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), new ArrayPointSource(q, 6), sink);
        Assert.Equal(100, summary.Points);
        Assert.True(sink.Completed && !sink.Aborted);
        Assert.Equal(15, sink.Blocks); // ceil(100 / 7)
        AssertBitIdentical(host.Value.Jacobian(new PlanarArm6(), q).Data, sink.Data.ToArray(), "streamed Jacobian");

        var x = Uniform(5 * 40, -1.5, 1.5);
        var v = Uniform(5 * 40, -1, 1);
        var hvp = new MemorySink();
        await e.SweepAsync(DerivativeKind.Hvp, new Rosenbrock(5), new ArrayPointSource(x, 5), hvp, new ArrayPointSource(v, 5));
        AssertBitIdentical(host.Value.Hvp(new Rosenbrock(5), x, v).Data, hvp.Data.ToArray(), "streamed Hvp");
    }

    [SkippableFact]
    public async Task CancelledStreamLeavesNoResultFile()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 10 });
        string path = Path.Combine(Path.GetTempPath(), $"gpudiff-{Guid.NewGuid():N}.bin");
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => cts.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(),
            new RandomPointSource(1000, 6, 3), new BinaryFileResultSink(path), progress: progress, cancellationToken: cts.Token));
        Assert.False(File.Exists(path), "a cancelled sweep left a result file");
        Assert.False(File.Exists(path + ".partial"), "a cancelled sweep left its partial file");
    }

    [SkippableFact]
    public async Task CompletedStreamFileHoldsExactlyTheResults()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 13 });
        string path = Path.Combine(Path.GetTempPath(), $"gpudiff-{Guid.NewGuid():N}.bin");
        try
        {
            var source = new RandomPointSource(50, 2, 11, -2, 2);
            await e.SweepAsync(DerivativeKind.Hessian, new SeedTwoByTwo(), source, new BinaryFileResultSink(path));
            var points = new double[100];
            for (int i = 0; i < points.Length; i++) points[i] = RandomPointSource.Uniform(11, i, -2, 2);
            var want = host.Value.Hessian(new SeedTwoByTwo(), points).Data;
            var bytes = File.ReadAllBytes(path);
            AssertBitIdentical(want, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray(), "file sink");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public async Task FailingSourceAbortsTheSinkAndSurfaces()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 4 });
        var sink = new MemorySink();
        var error = await Assert.ThrowsAsync<IOException>(() => e.SweepAsync(DerivativeKind.Value, new SeedTwoByTwo(), new FailingSource(2, 3), sink));
        Assert.Contains("disk gone", error.Message);
        Assert.True(sink.Aborted && !sink.Completed);

        // A file that ends inside a point (ArrayPointSource refuses such an array up front).
        string file = Path.Combine(Path.GetTempPath(), $"gpudiff-{Guid.NewGuid():N}.points");
        await File.WriteAllBytesAsync(file, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Uniform(6 * 9 + 4, -1, 1).AsSpan()).ToArray());
        try
        {
            var torn = new MemorySink();
            using var source = new BinaryFilePointSource(file);
            var partial = await Assert.ThrowsAsync<InvalidDataException>(() => e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), source, torn));
            Assert.Contains("ended inside point 9", partial.Message);
            Assert.Contains("4 of the model's 6 inputs", partial.Message);
            Assert.True(torn.Aborted && !torn.Completed);
        }
        finally
        {
            File.Delete(file);
        }

        var x = Uniform(5 * 10, -1, 1);
        var shortDirections = await Assert.ThrowsAsync<InvalidDataException>(() => e.SweepAsync(DerivativeKind.Jvp, new Rosenbrock(5),
            new ArrayPointSource(x, 5), new MemorySink(), new ArrayPointSource(Uniform(5 * 6, -1, 1), 5)));
        Assert.Contains("direction source ended at point 6", shortDirections.Message);
    }

    [SkippableFact]
    public void ManySlicesThroughBothStagingSlotsGiveTheSameBits()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind });
        Skip.If(e.ComputeBackend is not IlgpuBackend, "the host backend has no staging slots");
        ((IlgpuBackend)e.ComputeBackend).SliceCeiling = 5; // 103 points: 21 slices, the last one of 3
        var x = Uniform(6 * 103, -3, 3);
        var v = Uniform(6 * 103, -1, 1);
        var model = new PlanarArm6();
        AssertBitIdentical(host.Value.Jacobian(model, x).Data, e.Jacobian(model, x).Data, "Jacobian in 5-point slices");
        AssertBitIdentical(host.Value.Hessian(model, x).Data, e.Hessian(model, x).Data, "Hessian in 5-point slices");
        AssertBitIdentical(host.Value.Hvp(model, x, v).Data, e.Hvp(model, x, v).Data, "Hvp in 5-point slices");
        AssertBitIdentical(host.Value.Jvp(model, x, v).Data, e.Jvp(model, x, v).Data, "Jvp in 5-point slices");
    }

    private sealed class MemorySink : IResultSink
    {
        public List<double> Data { get; } = [];
        public int Blocks { get; private set; }
        public bool Completed { get; private set; }
        public bool Aborted { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken)
        {
            Blocks++;
            Data.AddRange(block.ToArray());
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask AbortAsync()
        {
            Aborted = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Gives <c>goodReads</c> blocks of whole points, then throws as a broken disk would.</summary>
    private sealed class FailingSource(int inputs, int goodReads) : IPointSource
    {
        private int reads;

        public long? Count => null;

        public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken)
        {
            if (reads++ >= goodReads) throw new IOException("disk gone");
            int count = destination.Length - destination.Length % inputs;
            destination.Span[..count].Fill(0.5);
            return ValueTask.FromResult(count);
        }
    }
}
