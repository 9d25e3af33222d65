using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Streaming;

namespace GpuDiff.Tests;

/// <summary>Resumable file sweeps through the library, on every backend.</summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public async Task ACancelledResumableSweepResumesToTheBytesOfAnUninterruptedOne()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 64 });
        string dir = Directory.CreateTempSubdirectory("gpudiff-resume-").FullName;
        try
        {
            string whole = Path.Combine(dir, "whole.bin"), cut = Path.Combine(dir, "cut.bin");
            var model = new Rosenbrock(5);
            RandomPointSource Points() => new(1000, 5, 77, -1.5, 1.5);
            RandomPointSource Directions() => new(1000, 5, 78);
            await e.SweepAsync(DerivativeKind.Hvp, model, Points(), new BinaryFileResultSink(whole), Directions());

            using var cts = new CancellationTokenSource();
            var stopAfterFive = new SynchronousProgress(p => { if (p.PointsDone >= 5 * 64) cts.Cancel(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.SweepAsync(DerivativeKind.Hvp, model, Points(),
                new BinaryFileResultSink(cut, resumable: true), Directions(), progress: stopAfterFive, cancellationToken: cts.Token));
            Assert.False(File.Exists(cut));
            Assert.True(File.Exists(cut + ".partial") && File.Exists(cut + ".partial.progress"), "a cancelled resumable sweep kept nothing to resume");
            // Cancelled after the fifth batch was handed to the sink: the record counts four or five.
            // Bytes after the record (an interrupted write) are cut off when the sweep resumes.
            await using (var tail = new FileStream(cut + ".partial", FileMode.Append)) tail.Write(new byte[123]);

            var summary = await e.SweepAsync(DerivativeKind.Hvp, model, Points(), new BinaryFileResultSink(cut, resumable: true), Directions(), resume: true);
            Assert.True(summary.FirstPoint >= 4 * 64 && summary.FirstPoint % 64 == 0, $"resumed at {summary.FirstPoint} {Seed}");
            Assert.Equal(1000 - summary.FirstPoint, summary.Points);
            Assert.Equal(await File.ReadAllBytesAsync(whole), await File.ReadAllBytesAsync(cut));
            Assert.False(File.Exists(cut + ".partial") || File.Exists(cut + ".partial.progress"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ResumingADifferentSweepIsRefusedAndNamesBoth()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 16 });
        string dir = Directory.CreateTempSubdirectory("gpudiff-resume-").FullName;
        try
        {
            string file = Path.Combine(dir, "arm.bin");
            using var cts = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(),
                new RandomPointSource(200, 6, 1), new BinaryFileResultSink(file, resumable: true),
                progress: new SynchronousProgress(_ => cts.Cancel()), cancellationToken: cts.Token));
            var wrong = await Assert.ThrowsAsync<InvalidDataException>(() => e.SweepAsync(DerivativeKind.Hessian, new PlanarArm6(),
                new RandomPointSource(200, 6, 1), new BinaryFileResultSink(file, resumable: true), resume: true));
            Assert.Contains("belongs to a different sweep", wrong.Message);
            Assert.Contains("kind=Jacobian", wrong.Message);
            Assert.Contains("kind=Hessian", wrong.Message);
            // A sink that keeps no record cannot resume, and says so before anything runs.
            Assert.Throws<ArgumentException>(() => { _ = e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), new RandomPointSource(10, 6, 1), new MemorySink(), resume: true); });
            // --resume with nothing to resume starts from the first point.
            var fresh = await e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), new RandomPointSource(20, 6, 1),
                new BinaryFileResultSink(Path.Combine(dir, "new.bin"), resumable: true), resume: true);
            Assert.Equal(0, fresh.FirstPoint);
            Assert.Equal(20, fresh.Points);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public async Task BinaryFilePointsGiveTheSameBitsAsTheArray()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var q = Uniform(6 * 300, -3, 3);
        string file = Path.Combine(Path.GetTempPath(), $"gpudiff-{Guid.NewGuid():N}.points");
        await File.WriteAllBytesAsync(file, System.Runtime.InteropServices.MemoryMarshal.AsBytes(q.AsSpan()).ToArray());
        try
        {
            using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 128 });
            var sink = new MemorySink();
            using (var source = new BinaryFilePointSource(file)) await e.SweepAsync(DerivativeKind.Jacobian, new PlanarArm6(), source, sink);
            AssertBitIdentical(host.Value.Jacobian(new PlanarArm6(), q).Data, sink.Data.ToArray(), "Jacobian from a points file");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
