using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

public sealed class EngineValidationTests
{
    private static DerivativeEngine Host() => new(new EngineOptions { Backend = BackendKind.Host });

    [Fact]
    public void PointsNotAMultipleOfInputsNamesBothNumbers()
    {
        using var e = Host();
        var ex = Assert.Throws<ArgumentException>(() => e.Jacobian(new PlanarArm6(), new double[13]));
        Assert.Contains("13 values", ex.Message);
        Assert.Contains("6 inputs", ex.Message);
    }

    [Fact]
    public void DirectionsMustMatchPoints()
    {
        using var e = Host();
        var ex = Assert.Throws<ArgumentException>(() => e.Jvp(new SeedTwoByTwo(), new double[4], new double[6]));
        Assert.Contains("6 values", ex.Message);
        Assert.Contains("4", ex.Message);
    }

    [Fact]
    public void EmptyModelsAndGradientOfVectorModelsAreRejected()
    {
        using var e = Host();
        Assert.Contains("n = 0", Assert.Throws<ArgumentException>(() => e.Value(new Rosenbrock(0), [])).Message);
        Assert.Contains("one output", Assert.Throws<ArgumentException>(() => e.Gradient(new SeedTwoByTwo(), [1.0, 2.0])).Message);
    }

    [Fact]
    public void DestinationOfTheWrongSizeNamesBothNumbers()
    {
        using var e = Host();
        var ex = Assert.Throws<ArgumentException>(() => e.ComputeInto(DerivativeKind.Jacobian, new PlanarArm6(), new double[12], new double[35]));
        Assert.Contains("holds 35 values", ex.Message);
        Assert.Contains("2 points need 36", ex.Message);
    }

    [Fact]
    public async Task StreamingDirectionsMustMatchTheKindBeforeAnythingRuns()
    {
        using var e = Host();
        var points = new Streaming.ArrayPointSource(new double[4], 2);
        var sink = new Streaming.BinaryFileResultSink(Path.Combine(Path.GetTempPath(), $"gpudiff-{Guid.NewGuid():N}.bin"));
        // Thrown by the call itself, not by the task it would return.
        Assert.Contains("needs a direction per point", Assert.Throws<ArgumentException>(() => { _ = e.SweepAsync(DerivativeKind.Hvp, new SeedTwoByTwo(), points, sink); }).Message);
        Assert.Contains("takes no directions", Assert.Throws<ArgumentException>(() => { _ = e.SweepAsync(DerivativeKind.Jacobian, new SeedTwoByTwo(), points, sink, points); }).Message);
        await sink.DisposeAsync();
    }

    [Fact]
    public void DisposedEngineThrows()
    {
        var e = Host();
        e.Dispose();
        Assert.Throws<ObjectDisposedException>(() => e.Value(new SeedTwoByTwo(), [1.0, 2.0]));
    }

    [Fact]
    public void UnknownBackendNamesTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => BackendNames.Parse("tpu"));
        Assert.Contains("tpu", ex.Message);
        Assert.Contains("cuda, opencl, host, cpu-accelerator", ex.Message);
        Assert.Throws<ArgumentException>(() => new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, ChunkWidth = 17 }));
    }

    [Fact]
    public void LaunchPlanSplitsBeyondIntMaxWithoutAllocating()
    {
        long tasks = 5_000_000_000;
        var plan = LaunchPlan.Split(tasks).ToList();
        Assert.Equal(3, plan.Count);
        Assert.Equal((0L, int.MaxValue), plan[0]);
        Assert.Equal(((long)int.MaxValue, int.MaxValue), plan[1]);
        Assert.Equal(tasks, plan.Sum(p => (long)p.Count));
        Assert.Equal(tasks - 2L * int.MaxValue, plan[2].Count);
    }

    [Theory]
    [InlineData(DerivativeKind.Jacobian, 2, 2)]
    [InlineData(DerivativeKind.Jacobian, 6, 6)]
    [InlineData(DerivativeKind.Jacobian, 17, 9)]
    [InlineData(DerivativeKind.Jacobian, 32, 16)]
    [InlineData(DerivativeKind.Jacobian, 64, 16)]
    [InlineData(DerivativeKind.Hessian, 64, 8)]
    [InlineData(DerivativeKind.Hessian, 12, 6)]
    [InlineData(DerivativeKind.Hvp, 3, 3)]
    [InlineData(DerivativeKind.Jacobian, 1, 1)]
    public void ChunkWidthRule(DerivativeKind kind, int n, int width)
    {
        Assert.Equal(width, ChunkWidths.Choose(KernelPlan.IsSecondOrder(kind), n, anyWidth: true));
        // The host's vector lanes take whole vectors of four above a width of 4.
        int lanes = width > 4 ? (width + 3) / 4 * 4 : width;
        Assert.Equal(lanes, ChunkWidths.Choose(KernelPlan.IsSecondOrder(kind), n, anyWidth: true, vectorLanes: true));
        Assert.Equal(HostBackend.VectorLanes ? lanes : width, EngineOptions.ChooseChunkWidth(kind, n));
        // Off the host the width is rounded up to a power of two.
        int power = 1;
        while (power < width) power *= 2;
        Assert.Equal(power, EngineOptions.ChooseChunkWidth(kind, n, BackendKind.Cuda));
    }

    [Fact]
    public async Task MissingDirectionsAndParametersAreArgumentErrorsFromEveryEntryPoint()
    {
        using var e = Host();
        double[] x = [1.0, 2.0, 3.0, 4.0];
        foreach (var kind in new[] { DerivativeKind.Jvp, DerivativeKind.Hvp })
        {
            Assert.Contains("needs a direction per point", Assert.Throws<ArgumentException>(() => e.ComputeInto(kind, new SeedTwoByTwo(), x, new double[kind == DerivativeKind.Jvp ? 4 : 8])).Message);
            // Thrown by the call, not by the task, and never an AggregateException.
            Assert.Contains("needs a direction per point", Assert.Throws<ArgumentException>(() => { _ = e.ComputeAsync(kind, new SeedTwoByTwo(), x); }).Message);
        }
        Assert.Contains("takes no directions", Assert.Throws<ArgumentException>(() => e.ComputeInto(DerivativeKind.Value, new SeedTwoByTwo(), x, new double[4], x)).Message);
        var noParameters = Assert.Throws<ArgumentException>(() => e.Jacobian(new LinearMap3(), new double[6]));
        Assert.Equal("LinearMap3 reads 9 parameters, but 0 were given. (Parameter 'parameters')", noParameters.Message);
        var few = await Assert.ThrowsAsync<ArgumentException>(() => e.SweepAsync(DerivativeKind.Jacobian, new LinearMap3(),
            new Streaming.ArrayPointSource(new double[6], 3), new NullSink(), parameters: [1.0, 2.0, 3.0]));
        Assert.Contains("reads 9 parameters, but 3 were given", few.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.ComputeInto((DerivativeKind)42, new SeedTwoByTwo(), x, new double[4]));
    }

    [Fact]
    public void PointSourcesCheckTheirArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Streaming.ArrayPointSource(new double[4], 0));
        Assert.Contains("not a multiple of 3 inputs", Assert.Throws<ArgumentException>(() => new Streaming.ArrayPointSource(new double[4], 3)).Message);
        Assert.Throws<ArgumentNullException>(() => new Streaming.ArrayPointSource(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Streaming.RandomPointSource(-1, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Streaming.RandomPointSource(10, 0, 1));
        Assert.Contains("must be finite", Assert.Throws<ArgumentException>(() => new Streaming.RandomPointSource(10, 2, 1, double.NegativeInfinity, 1)).Message);
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => new Streaming.RandomPointSource(10, 2, 1, 1, 1)).Message);
        Assert.Throws<FileNotFoundException>(() => new Streaming.BinaryFilePointSource(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}")));
        Assert.Throws<DirectoryNotFoundException>(() => new Streaming.BinaryFileResultSink(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "out.bin")));
    }

    private sealed class NullSink : Streaming.IResultSink
    {
        public ValueTask WriteAsync(ReadOnlyMemory<double> block, long firstPoint, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask AbortAsync() => ValueTask.CompletedTask;
    }
}
