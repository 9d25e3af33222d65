using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Tests;

/// <summary>
/// The launch shapes chosen for CUDA: which plans the staged kernels take (one task a point, a kind
/// that stores its whole block, a window that fits), group sizes for small launches, and narrower
/// chunks for calls too small to fill the device.
/// </summary>
public sealed class LaunchShapeTests
{
    [Fact]
    public void OnlyWholeBlocksThatFitAGroupsWindowAreStaged()
    {
        var jacobian = KernelPlan.Dense(DerivativeKind.Jacobian, 6, 3, 8); // one task a point, 18 results
        Assert.Equal(128, StagedStores.GroupFor(jacobian, 128, 48 * 1024));
        Assert.Equal(32, StagedStores.GroupFor(jacobian, 32, 48 * 1024));
        Assert.Null(StagedStores.GroupFor(jacobian, 128, 16 * 1024)); // 18 KB over a device's 16 KB
        Assert.Null(StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Jacobian, 6, 3, 4), 128, 48 * 1024)); // two tasks a point
        Assert.Equal(128, StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Jacobian, 8, 6, 8), 128, 1 << 20)); // 48 doubles: 48 KB exactly
        Assert.Null(StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Jacobian, 7, 7, 8), 128, 1 << 20)); // 49 doubles: over 48 KB
        Assert.Null(StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Hessian, 2, 2, 2), 128, 48 * 1024)); // stores mirrored entries
        Assert.Null(StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Hvp, 2, 2, 2), 128, 48 * 1024)); // not declared whole-block
        Assert.Null(StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Vjp, 2, 2, 2), 128, 48 * 1024)); // adds into its results
        Assert.Equal(128, StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Value, 2, 2, 1), 128, 48 * 1024));
        Assert.Equal(128, StagedStores.GroupFor(KernelPlan.Dense(DerivativeKind.Jvp, 2, 2, 1), 128, 48 * 1024));
        Assert.Equal(128, StagedStores.GroupFor(KernelPlan.ValueJacobian(2, 2, 2), 128, 48 * 1024));
    }

    [Fact]
    public void SmallLaunchesGetSmallerGroups()
    {
        Assert.Equal(32, GroupSize.Spread(128, 20_000, 132, 32));   // 625 groups, 4.7 a multiprocessor
        Assert.Equal(64, GroupSize.Spread(128, 40_000, 132, 32));
        Assert.Equal(128, GroupSize.Spread(128, 80_000, 132, 32));
        Assert.Equal(128, GroupSize.Spread(128, 1L << 30, 132, 32));
        Assert.Equal(32, GroupSize.Spread(128, 1, 132, 32));        // never under a warp
        Assert.Equal(96, GroupSize.Spread(96, 1, 132, 32));         // halving would leave part of a warp
    }

    [Fact]
    public void SmallCallsRunInNarrowerChunks()
    {
        const long fill = 132 * 1024;
        var brown = KernelPlan.Dense(DerivativeKind.Jacobian, 32, 32, 16);
        Assert.Equal(4, brown.NarrowedToFill(10_000, fill).Width);      // 20,000 threads -> 80,000
        Assert.Equal(8, brown.NarrowedToFill(5_000, 20_000).Width);     // 10,000 threads -> 20,000 reaches the fill
        Assert.Equal(16, brown.NarrowedToFill(1_000_000, fill).Width);
        Assert.Equal(16, brown.NarrowedToFill(10_000, 0).Width);
        Assert.Equal(2, KernelPlan.Dense(DerivativeKind.Jacobian, 2, 2, 2).NarrowedToFill(10, fill).Width); // never under 4
        Assert.Equal(4, KernelPlan.Dense(DerivativeKind.Jacobian, 12, 12, 12).NarrowedToFill(10, fill).Width); // an exact width halves to 6, then stops at 4
        var hessian = KernelPlan.Dense(DerivativeKind.Hessian, 8, 1, 8);
        var narrowed = hessian.NarrowedToFill(100, fill);
        Assert.Equal(4, narrowed.Width);
        Assert.Equal(DerivativeKernels.HessianTasksPerPoint(8, 4), narrowed.TasksPerPoint);
        Assert.Equal(hessian.ResultStride, narrowed.ResultStride);
        var sparse = new KernelPlan<CompressedJacobianKind>(8, 8, 8, _ => 1, 20, 0, [1.0, 2.0]); // a table: built for its width
        Assert.Equal(8, sparse.NarrowedToFill(10, fill).Width);
    }

    [SkippableFact]
    public void DevicesDescribesACudaDevicesLaunchShapes()
    {
        Skip.If(Environment.GetEnvironmentVariable(GroupSize.EnvironmentVariable) is not null
            || Environment.GetEnvironmentVariable(StagedStores.EnvironmentVariable) is not null, "an override is set");
        string line = StagedStores.DescribeCuda(132);
        Assert.Contains("groups of 128 threads", line);
        Assert.Contains("under 135,168 threads", line);
        Assert.Contains("shared memory", line);
        if (!KernelPlan.HessianSettingGiven) Assert.Contains("Hessians by blocks of 2 x 2 up to 8 inputs, of 4 x 4 above", line);
    }

    [SkippableFact]
    public void HessiansRunByBlocksWhereTheyMeasuredFaster()
    {
        Skip.If(KernelPlan.HessianSettingGiven, "GPUDIFF_HESSIAN is set");
        Assert.Equal(2, KernelPlan.HessianBlockWidth(BackendKind.Cuda, 8));
        Assert.Equal(4, KernelPlan.HessianBlockWidth(BackendKind.Cuda, 9));
        Assert.Equal(4, KernelPlan.HessianBlockWidth(BackendKind.Cuda, 64));
        Assert.Equal(8, KernelPlan.HessianBlockWidth(BackendKind.OpenCL, 8, cpuDevice: true));
        Assert.Equal(4, KernelPlan.HessianBlockWidth(BackendKind.OpenCL, 9, cpuDevice: true));
        Assert.Equal(4, KernelPlan.HessianBlockWidth(BackendKind.OpenCL, 64, cpuDevice: true));
        foreach (var other in new[] { BackendKind.Host, BackendKind.OpenCL, BackendKind.CpuAccelerator })
            Assert.Equal(0, KernelPlan.HessianBlockWidth(other, 64));
        // Second-order kernels are tried on PoCL sooner (CpuRouter.SecondOrderSwitchSeconds).
        Assert.True(KernelPlan.Dense(DerivativeKind.Hessian, 8, 1, 8).SecondOrder);
        Assert.True(KernelPlan.Dense(DerivativeKind.Hessian, 8, 1, 4, hessianBlocks: true).SecondOrder);
        Assert.True(KernelPlan.Dense(DerivativeKind.Hessian, 8, 1, 8, hessianBlocks: true).SecondOrder);
        Assert.True(KernelPlan.Dense(DerivativeKind.Hvp, 8, 1, 8).SecondOrder);
        Assert.True(KernelPlan.ValueGradientHessian(8, 1, 8).SecondOrder);
        foreach (var first in new[] { DerivativeKind.Value, DerivativeKind.Jacobian, DerivativeKind.Gradient, DerivativeKind.Jvp, DerivativeKind.Vjp })
            Assert.False(KernelPlan.Dense(first, 8, 2, 8).SecondOrder, first.ToString());
        // Auto's route to PoCL: the host's rows of 8 inputs run there as one triangle of 8, of 12 inputs
        // as blocks of 4, first-order jobs at their own width, second-order ones rounded up.
        var job = new KernelJob(KernelPlan.Dense(DerivativeKind.Hessian, 8, 1, 8), [], null, [], [], 0, 0, [0, 0, 0]);
        var routed = CpuRouter.ForPocl(job).Plan;
        Assert.IsType<HessianTrianglePlan>(routed);
        Assert.Equal((8, 1L), (routed.Width, routed.TasksPerPoint));
        routed = CpuRouter.ForPocl(job with { Plan = KernelPlan.Dense(DerivativeKind.Hessian, 12, 1, 12) }).Plan;
        Assert.IsType<HessianBlockPlan>(routed);
        Assert.Equal((4, 6L), (routed.Width, routed.TasksPerPoint));
        // With the values and gradients: one triangle up to 8 inputs (the same layout), rows above.
        routed = CpuRouter.ForPocl(job with { Plan = KernelPlan.ValueGradientHessian(6, 2, 8) }).Plan;
        Assert.Equal((typeof(ValueGradientHessianTriangleKind<,>), 8, 1L), (routed.KernelKind, routed.Width, routed.TasksPerPoint));
        Assert.Equal(KernelPlan.ValueGradientHessian(6, 2, 8).ResultStride, routed.ResultStride);
        Assert.True(routed.SecondOrder);
        routed = CpuRouter.ForPocl(job with { Plan = KernelPlan.ValueGradientHessian(12, 1, 12) }).Plan;
        Assert.Equal((typeof(ValueGradientHessianKind), 16), (routed.KernelKind, routed.Width));
        // A first-order kernel keeps the host's exact width, a second-order one rounds up.
        var jacobian = CpuRouter.ForPocl(job with { Plan = KernelPlan.Dense(DerivativeKind.Jacobian, 6, 3, 6) }).Plan;
        Assert.Equal((typeof(JacobianKind), 6), (jacobian.KernelKind, jacobian.Width));
        var hvp = CpuRouter.ForPocl(job with { Plan = KernelPlan.Dense(DerivativeKind.Hvp, 6, 3, 6) }).Plan;
        Assert.Equal((typeof(HvpKind), 8), (hvp.KernelKind, hvp.Width));
        // The host's engine: rows at its own width, blocks when asked for, at the width it would use.
        using var rows = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host });
        Assert.IsNotType<HessianBlockPlan>(rows.DensePlan(DerivativeKind.Hessian, 8, 1));
        using var blocks = new DerivativeEngine(new EngineOptions { Backend = BackendKind.Host, HessianBlocks = true });
        var plan = blocks.DensePlan(DerivativeKind.Hessian, 12, 1);
        Assert.IsType<HessianBlockPlan>(plan);
        Assert.Equal(rows.DensePlan(DerivativeKind.Hessian, 12, 1).Width, plan.Width);
        // A block that covers every input is its upper triangle; narrower, blocks again.
        var triangle = blocks.DensePlan(DerivativeKind.Hessian, 8, 1);
        Assert.IsType<HessianTrianglePlan>(triangle);
        Assert.IsType<HessianBlockPlan>(triangle.WithWidth(4));
        Assert.IsType<HessianTrianglePlan>(triangle.WithWidth(4).WithWidth(8));
    }
}
