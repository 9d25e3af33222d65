using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>
/// The launch shapes CUDA picks, on this suite's accelerator whatever its defaults: the staged
/// kernels (each group's results gathered in shared memory, then written out coalesced) give the
/// host's bits, with groups cut short at the end of a batch, of a slice and of a resident range,
/// and report a model's mistake as the host does; calls too small to fill a GPU, run in narrower
/// chunks, give the same bits as well.
/// </summary>
public abstract partial class ApiSuite
{
    private DerivativeEngine StagingEngine(out IlgpuBackend backend)
    {
        Skip.If(Unavailable is not null, Unavailable);
        var e = new DerivativeEngine(new EngineOptions { Backend = Kind });
        if (e.ComputeBackend is not IlgpuBackend ilgpu || !ilgpu.CanStage)
        {
            e.Dispose();
            Skip.If(true, "the host backend has no staged kernels; PoCL lacks the generic pointers they use");
            throw new InvalidOperationException();
        }
        backend = ilgpu;
        backend.Staging = true;
        return e;
    }

    [SkippableFact]
    public void StagedKernelsGiveTheHostsBits()
    {
        using var e = StagingEngine(out var backend);
        backend.SliceCeiling = 300; // 1,001 points: four slices, every one ending in a short group
        const int count = 1001;
        var arm = new PlanarArm6();
        var x = Uniform(6 * count, -3, 3);
        var v = Uniform(6 * count, -1, 1);
        long before = backend.StagedLaunches;
        AssertBitIdentical(host.Value.Jacobian(arm, x).Data, e.Jacobian(arm, x).Data, "staged Jacobian");
        AssertBitIdentical(host.Value.Value(arm, x).Data, e.Value(arm, x).Data, "staged values");
        AssertBitIdentical(host.Value.Jvp(arm, x, v).Data, e.Jvp(arm, x, v).Data, "staged J v");
        var both = e.ValueAndJacobian(arm, x);
        var wantBoth = host.Value.ValueAndJacobian(arm, x);
        AssertBitIdentical(wantBoth.Values.Data, both.Values.Data, "staged values with J");
        AssertBitIdentical(wantBoth.Jacobian.Data, both.Jacobian.Data, "staged J with values");
        var seed = new SeedTwoByTwo();
        var x2 = Uniform(2 * count, -3, 3);
        AssertBitIdentical(host.Value.Jacobian(seed, x2).Data, e.Jacobian(seed, x2).Data, "staged 2 x 2 Jacobian");
        Assert.True(backend.StagedLaunches - before >= 5 * 4, $"only {backend.StagedLaunches - before} staged launches {Seed}");
        // Every function of the model library, special values included, through the staged stores
        // where its window fits this device's groups, and through the plain kernels where not.
        var special = MathCoveragePoints.Draw(random, 200);
        AssertBitIdentical(host.Value.Value(new MathCoverage(), special).Data, e.Value(new MathCoverage(), special).Data, "MathCoverage values");
        AssertBitIdentical(host.Value.Jacobian(new MathCoverage(), special).Data, e.Jacobian(new MathCoverage(), special).Data, "MathCoverage Jacobian");
    }

    [SkippableFact]
    public void StagedResidentRangesStartAnywhere()
    {
        using var e = StagingEngine(out var backend);
        const int count = 517;
        var arm = new PlanarArm6();
        var x = Uniform(6 * count, -3, 3);
        using var points = e.Upload(x);
        long before = backend.StagedLaunches;
        using var jacobians = e.Compute(DerivativeKind.Jacobian, arm, points);
        Assert.True(backend.StagedLaunches > before, $"the resident Jacobian did not stage {Seed}");
        AssertBitIdentical(host.Value.Jacobian(arm, x).Data, jacobians.ToArray(), "staged resident Jacobian");
    }

    [SkippableFact]
    public void StagedKernelsReportAModelsMistakeAsTheHostDoes()
    {
        using var e = StagingEngine(out var backend);
        var points = PointsWithOneTrigger(29);
        long before = backend.StagedLaunches;
        foreach (var kind in new[] { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Jvp })
        {
            var directions = kind == DerivativeKind.Jvp ? Uniform(points.Length, -1, 1) : null;
            void Reported<TModel>(TModel model, string message) where TModel : struct, IModel
            {
                var destination = new double[40 * DerivativeResult.PointStrideOf(kind, model.Inputs, model.Outputs)];
                var ex = Assert.Throws<ModelFaultException>(() => e.ComputeInto(kind, model, points, destination, directions));
                Assert.Equal(message + " (at point 29).", ex.Message);
            }
            Reported(new WritesOutOfRange(5), "WritesOutOfRange wrote output 5, but has 2 outputs");
            // An output left unwritten leaves its window cells as the window was cleared, and is reported.
            Reported(new ForgetsAnOutput(), "ForgetsAnOutput never wrote output 1 of its 2; each output must be written exactly once");
            Reported(new WritesAnOutputTwice(), "WritesAnOutputTwice wrote output 0 twice in one evaluation; each output must be written exactly once");
            Reported(new ReadsOutOfRange(7), "ReadsOutOfRange read input 7, but has 2 inputs");
        }
        Assert.True(backend.StagedLaunches > before, $"the mistakes were not made in staged kernels {Seed}");
    }

    [SkippableFact]
    public void SmallCallsInNarrowerChunksGiveTheHostsBits()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind });
        Skip.If(e.ComputeBackend is not IlgpuBackend, "the host backend keeps its widths");
        var backend = (IlgpuBackend)e.ComputeBackend;
        backend.FillTasks = 1 << 20; // every call here is "small"
        var brown = new BrownAlmostLinear(12); // automatic width 16 (12 where exact), one chunk; narrowed to 4, three
        var x = Uniform(12 * 37, -1, 1);
        var v = Uniform(12 * 37, -1, 1);
        var u = Uniform(12 * 37, -1, 1);
        AssertBitIdentical(host.Value.Jacobian(brown, x).Data, e.Jacobian(brown, x).Data, "narrowed Jacobian");
        Assert.Equal(4, backend.LastWidth);
        AssertBitIdentical(host.Value.Hessian(brown, x).Data, e.Hessian(brown, x).Data, "narrowed Hessian");
        Assert.Equal(4, backend.LastWidth);
        AssertBitIdentical(host.Value.Hvp(brown, x, v).Data, e.Hvp(brown, x, v).Data, "narrowed Hvp");
        AssertBitIdentical(host.Value.Vjp(brown, x, u).Data, e.Vjp(brown, x, u).Data, "narrowed Vjp");
        var both = e.ValueAndJacobian(brown, x);
        Assert.Equal(4, backend.LastWidth);
        AssertBitIdentical(host.Value.ValueAndJacobian(brown, x).Jacobian.Data, both.Jacobian.Data, "narrowed J with values");
        using var points = e.Upload(x);
        using var resident = e.Compute(DerivativeKind.Jacobian, brown, points);
        Assert.Equal(4, backend.LastWidth);
        AssertBitIdentical(host.Value.Jacobian(brown, x).Data, resident.ToArray(), "narrowed resident Jacobian");
        backend.FillTasks = 0;
        AssertBitIdentical(host.Value.Jacobian(brown, x).Data, e.Jacobian(brown, x).Data, "Jacobian at the automatic width");
        Assert.Equal(backend.ExactFirstOrderWidths ? 12 : 16, backend.LastWidth);
    }
}
