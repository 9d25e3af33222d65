using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>
/// Dense Hessians by blocks on this suite's backend: the bits of the host's Hessians by rows, with
/// several blocks a point (off-diagonal blocks mirrored) and with one, which runs as its upper
/// triangle, at chunk widths ILGPU runs.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void HessianBlocksGiveTheHostsBits()
    {
        Skip.If(Unavailable is not null, Unavailable);
        var brown = new BrownAlmostLinear(7);
        var rosenbrock = new Rosenbrock(9);
        var xBrown = Uniform(7 * 300, -2, 2);
        var xRosenbrock = Uniform(9 * 300, -2, 2);
        var special = MathCoveragePoints.Draw(random, 100);
        // Four kernels (PoCL compiles each for seconds): blocks of 4 over 7 inputs (a diagonal
        // block, one off it and a short last one), blocks of 2 over 9, one triangle of 8 over 7
        // (the chunk's last column past the inputs), and every function through a triangle of 4 over
        // 3 inputs (its diagonal's own quotient, and the rows of 2 between its halves, the blocks'
        // code); ILGPU's CPU accelerator runs the host's .NET code, whose blocks and triangles
        // HessianBlockTests checks at every width.
        using (var e = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = 4, HessianBlocks = true }))
        {
            AssertBitIdentical(host.Value.Hessian(brown, xBrown).Data, e.Hessian(brown, xBrown).Data, "Brown n = 7 Hessian, blocks of 4");
            if (Kind != BackendKind.CpuAccelerator)
                AssertBitIdentical(host.Value.Hessian(new MathCoverage(), special).Data, e.Hessian(new MathCoverage(), special).Data, "MathCoverage Hessian, a triangle of 4");
        }
        using (var e = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = 8, HessianBlocks = true }))
            AssertBitIdentical(host.Value.Hessian(brown, xBrown).Data, e.Hessian(brown, xBrown).Data, "Brown n = 7 Hessian, a triangle of 8");
        using (var e = new DerivativeEngine(new EngineOptions { Backend = Kind, ChunkWidth = 2, HessianBlocks = true }))
            AssertBitIdentical(host.Value.Hessian(rosenbrock, xRosenbrock).Data, e.Hessian(rosenbrock, xRosenbrock).Data, "Rosenbrock n = 9 Hessian, blocks of 2");
    }
}
