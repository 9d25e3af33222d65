using GpuDiff.Backends;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.ModelLanguage;
using ILGPU;
using ILGPU.Runtime.CPU;

namespace GpuDiff.Tests;

/// <summary>
/// The kernel cache is only as safe as its keys: everything that shapes a kernel's code must change
/// the key, and what cannot be pinned down (types made at run time) must not be cached at all.
/// </summary>
public sealed class KernelCacheKeyTests
{
    private static System.Reflection.MethodInfo Run<TModel, TKind, P>() where TModel : struct, IModel where TKind : struct, IKernelKind where P : struct, IPartials<P> =>
        typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!.MakeGenericMethod(typeof(TModel), typeof(TKind), typeof(P));

    [SkippableFact]
    public void EverythingThatShapesTheCodeChangesTheKey()
    {
        Skip.If(KernelCache.Directory is null, "the kernel cache is off here (GPUDIFF_KERNEL_CACHE=0)");
        using var context = Context.Create(b => b.CPU());
        using var accelerator = context.CreateCPUAccelerator(0);
        var backend = KernelLoader.CodeGeneratorOf(accelerator);
        string? Key(System.Reflection.MethodInfo method, bool explicitlyGrouped = false, string rewrite = "rounded") =>
            KernelCache.Key(accelerator, backend, method, explicitlyGrouped, rewrite);

        var armJacobian = Run<PlanarArm6, JacobianKind, Pair<One>>();
        string? key = Key(armJacobian);
        Assert.NotNull(key);
        Assert.Equal(key, Key(armJacobian)); // the same kernel, the same key
        var others = new[]
        {
            Key(Run<PlanarArm6, JacobianKind, One>()), // another chunk
            Key(Run<PlanarArm6, HessianKind, Pair<One>>()), // another kind
            Key(Run<Rosenbrock, JacobianKind, Pair<One>>()), // another model
            Key(armJacobian, explicitlyGrouped: true), // another grouping
            Key(armJacobian, rewrite: "rounded, generic to global"), // another rewrite of the code
        };
        Assert.All(others, other => Assert.NotNull(other));
        Assert.Equal(others.Length + 1, others.Append(key).Distinct().Count());
    }

    [SkippableFact]
    public void ModelsMadeAtRunTimeAreNotCached()
    {
        Skip.If(KernelCache.Directory is null, "the kernel cache is off here (GPUDIFF_KERNEL_CACHE=0)");
        using var context = Context.Create(b => b.CPU());
        using var accelerator = context.CreateCPUAccelerator(0);
        var backend = KernelLoader.CodeGeneratorOf(accelerator);
        var textModel = ModelText.Parse("input x\noutput f = x * x").ModelType;
        var method = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!.MakeGenericMethod(textModel, typeof(JacobianKind), typeof(One));
        Assert.True(textModel.Assembly.IsCollectible);
        Assert.Null(KernelCache.Key(accelerator, backend, method, false, "rounded"));
    }
}
