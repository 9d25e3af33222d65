using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.Streaming;

namespace GpuDiff.Tests;

/// <summary>Model mistakes, on every backend of the suite: reported, never written to memory, same message everywhere.</summary>
public abstract partial class ApiSuite
{
    private static readonly DerivativeKind[] AllKinds =
        [DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp];

    /// <summary>40 points in [-1, 1) with the one at <paramref name="bad"/> moved to the trigger.</summary>
    private double[] PointsWithOneTrigger(int bad)
    {
        var points = Uniform(2 * 40, -1, 1);
        points[2 * bad] = WritesOutOfRange.Trigger + 1;
        return points;
    }

    private ModelFaultException AssertFault<TModel>(TModel model, DerivativeKind kind, double[] points, int bad, ModelFault fault,
        int index, string message, double[]? parameters = null) where TModel : struct, IModel
    {
        var directions = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? Uniform(points.Length, -1, 1) : null;
        var destination = new double[points.Length / model.Inputs * DerivativeResult.PointStrideOf(kind, model.Inputs, model.Outputs)];
        var ex = Assert.Throws<ModelFaultException>(() => Engine.ComputeInto(kind, model, points, destination, directions, parameters));
        Assert.True(ex.Fault == fault && ex.Index == index && ex.Point == bad,
            $"{kind}: got {ex.Fault} index {ex.Index} point {ex.Point}, want {fault} {index} at {bad}: {ex.Message} {Seed}");
        Assert.Equal(typeof(TModel), ex.ModelType);
        Assert.Equal(message + $" (at point {bad}).", ex.Message);
        return ex;
    }

    [SkippableFact]
    public void OutputOutOfRangeIsReportedOnEveryKind()
    {
        var points = PointsWithOneTrigger(17);
        foreach (var kind in AllKinds)
        {
            AssertFault(new WritesOutOfRange(5), kind, points, 17, ModelFault.OutputOutOfRange, 5, "WritesOutOfRange wrote output 5, but has 2 outputs");
            AssertFault(new WritesOutOfRange(-1), kind, points, 17, ModelFault.OutputOutOfRange, -1, "WritesOutOfRange wrote output -1, but has 2 outputs");
        }
    }

    [SkippableFact]
    public void InputAndParameterOutOfRangeAreReportedOnEveryKind()
    {
        var points = PointsWithOneTrigger(3);
        foreach (var kind in AllKinds)
        {
            AssertFault(new ReadsOutOfRange(7), kind, points, 3, ModelFault.InputOutOfRange, 7, "ReadsOutOfRange read input 7, but has 2 inputs");
            AssertFault(new ReadsOutOfRange(int.MinValue), kind, points, 3, ModelFault.InputOutOfRange, int.MinValue,
                $"ReadsOutOfRange read input {int.MinValue}, but has 2 inputs");
            // Parameters beyond the declared two are refused even when the caller passed more.
            AssertFault(new ReadsParameterOutOfRange(2), kind, points, 3, ModelFault.ParameterOutOfRange, 2,
                "ReadsParameterOutOfRange read parameter 2, but declares 2 parameters (set its Parameters property to the count it reads)",
                [1.0, 2.0, 3.0, 4.0]);
        }
    }

    [SkippableFact]
    public void OutputsNotWrittenExactlyOnceAreReportedOnEveryKind()
    {
        var points = PointsWithOneTrigger(39);
        foreach (var kind in AllKinds)
        {
            AssertFault(new ForgetsAnOutput(), kind, points, 39, ModelFault.OutputNotWritten, 1,
                "ForgetsAnOutput never wrote output 1 of its 2; each output must be written exactly once");
            AssertFault(new WritesAnOutputTwice(), kind, points, 39, ModelFault.OutputWrittenTwice, 0,
                "WritesAnOutputTwice wrote output 0 twice in one evaluation; each output must be written exactly once");
        }
        AssertFault(new ForgetsAHighOutput(), DerivativeKind.Jacobian, points, 39, ModelFault.OutputNotWritten, 64,
            "ForgetsAHighOutput did not write each of its outputs 64..69 exactly once");
    }

    [SkippableFact]
    public void AFaultIsRaisedByEveryEntryPointAndTheEngineStaysUsable()
    {
        var points = PointsWithOneTrigger(11);
        var model = new WritesOutOfRange(2);
        Assert.Throws<ModelFaultException>(() => Engine.Jacobian(model, points));
        Assert.Throws<ModelFaultException>(() => Engine.Hessian(model, points));
        var ex = Assert.ThrowsAsync<ModelFaultException>(() => Engine.ComputeAsync(DerivativeKind.Value, model, points)).Result;
        Assert.Equal(11, ex.Point);
        // The same model at points without the trigger is fine, and matches the host bit for bit.
        var clean = Uniform(2 * 40, -1, 1);
        AssertBitIdentical(host.Value.Jacobian(model, clean).Data, Engine.Jacobian(model, clean).Data, "Jacobian after a fault");
    }

    [SkippableFact]
    public async Task AFaultInAStreamedSweepNamesTheSweepsPointAndAbortsTheSink()
    {
        Skip.If(Unavailable is not null, Unavailable);
        using var e = new DerivativeEngine(new EngineOptions { Backend = Kind, MaxBatchPoints = 8 });
        var points = Uniform(2 * 50, -1, 1);
        points[2 * 45] = WritesOutOfRange.Trigger;
        var sink = new MemorySink();
        var ex = await Assert.ThrowsAsync<ModelFaultException>(() =>
            e.SweepAsync(DerivativeKind.Jacobian, new WritesOutOfRange(9), new ArrayPointSource(points, 2), sink));
        Assert.Equal(45, ex.Point);
        Assert.True(sink.Aborted && !sink.Completed);
    }

    [SkippableFact]
    public void AModelTypeIlgpuCannotSeeIsReportedBeforeAnythingRuns()
    {
        var points = Uniform(2 * 4, -1, 1);
        if (Engine.Backend == BackendKind.Host)
        {
            // The host runs it (Auto too, where it resolves to the host); only ILGPU's generated
            // assembly cannot reach a private type.
            Assert.Equal(4, Engine.Value(new HiddenModel(), points).Points);
            return;
        }
        var ex = Assert.Throws<ArgumentException>(() => Engine.Value(new HiddenModel(), points));
        Assert.Contains("GpuDiff.Tests.ApiSuite+HiddenModel", ex.Message);
        Assert.Contains("Make it public", ex.Message);
        Assert.Contains("InternalsVisibleTo(\"ILGPURuntime\")", ex.Message);
    }

    private readonly struct HiddenModel : IModel
    {
        public int Inputs => 2;

        public int Outputs => 1;

        public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T> =>
            io.Output(0, io.Input(0) * io.Input(1));
    }
}
