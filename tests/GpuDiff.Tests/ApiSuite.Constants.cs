using GpuDiff.Backends;
using GpuDiff.Engine;

namespace GpuDiff.Tests;

/// <summary>Constants in any shape give the host's bits on every backend.</summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public async Task ConstantsInAnyShapeGiveTheHostsBitsOnEveryApi()
    {
        var x = Uniform(2 * 256, -2, 2);
        var v = Uniform(x.Length, -1, 1);
        var model = new ConstantChains();
        foreach (var kind in new[] { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Hessian, DerivativeKind.Jvp, DerivativeKind.Hvp })
        {
            var directions = kind is DerivativeKind.Jvp or DerivativeKind.Hvp ? v : null;
            var want = await host.Value.ComputeAsync(kind, model, x, directions);
            var got = await Engine.ComputeAsync(kind, model, x, directions);
            AssertBitIdentical(want.Data, got.Data, $"{kind} of ConstantChains");
        }
    }
}
