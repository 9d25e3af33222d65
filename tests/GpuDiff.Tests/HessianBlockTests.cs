using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>
/// Dense Hessians by blocks (an outer chunk of rows over an inner chunk of columns per evaluation)
/// give the bits of Hessians by rows at every width the host runs, with and without vector lanes'
/// widths, on every function of the model library, the built-in models and random expressions,
/// at random points drawn fresh (the seed is printed). The rows are the reference the API suite
/// checks against analytic derivatives, so this carries that check over to the blocks.
/// </summary>
public sealed class HessianBlockTests : ISecondOrderCheck
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;

    public HessianBlockTests() => random = new Random(seed);

    [Fact]
    public void BlocksGiveTheRowsBitsAtEveryWidth() => SecondOrderModels.CheckAll(this, random, 24, 12);

    void ISecondOrderCheck.Check<TModel>(TModel model, double[] points, string name)
    {
        using var rows = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, HessianBlocks = false });
        var want = rows.Hessian(model, points).Data;
        var wantAll = rows.ValueGradientHessian(model, points);
        foreach (int width in ChunkWidths.Supported)
        {
            using var blocks = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, ChunkWidth = width, HessianBlocks = true });
            Same(want, blocks.Hessian(model, points).Data, $"{name}, blocks of {width}");
            // With the values and gradients: by one triangle where a chunk covers every input, by rows otherwise.
            var all = blocks.ValueGradientHessian(model, points);
            Same(wantAll.Values.Data, all.Values.Data, $"{name} values with the Hessian, width {width}");
            Same(wantAll.Jacobian.Data, all.Jacobian.Data, $"{name} gradients with the Hessian, width {width}");
            Same(want, all.Hessian!.Data, $"{name} Hessians with the values, width {width}");
        }
    }

    private void Same(double[] want, double[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            if (BitConverter.DoubleToInt64Bits(want[i]) != BitConverter.DoubleToInt64Bits(got[i]))
                Assert.Fail($"{what}, entry {i}: {got[i]:R} where rows give {want[i]:R} (seed {seed})");
    }
}
