using System.Reflection;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuDiff.Tests;

/// <summary>Every kernel instantiation compiles for PTX (sm_70, sm_90) and OpenCL C, with no GPU present.</summary>
public sealed class KernelCompilationTests
{
    public static readonly Type[] Models =
    [
        typeof(SeedTwoByTwo), typeof(SeedQuadratic), typeof(LinearMap3), typeof(QuadraticForm),
        typeof(Rosenbrock), typeof(PlanarArm6), typeof(BrownAlmostLinear), typeof(AllFunctions),
    ];

    public static readonly Type[] Chunks =
    [
        typeof(One), typeof(Pair<One>), typeof(Pair<Pair<One>>), typeof(Pair<Pair<Pair<One>>>),
        typeof(Pair<Pair<Pair<Pair<One>>>>),
    ];

    public static IEnumerable<MethodInfo> Instantiations(Type model)
    {
        var entries = typeof(DeviceEntryPoints).GetMethods(BindingFlags.Public | BindingFlags.Static);
        foreach (var m in entries)
        {
            if (m.GetGenericArguments().Length == 1) yield return m.MakeGenericMethod(model);
            else foreach (var chunk in Chunks) yield return m.MakeGenericMethod(model, chunk);
        }
    }

    public static TheoryData<string> ModelNames()
    {
        var data = new TheoryData<string>();
        foreach (var m in Models) data.Add(m.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void EveryKernelCompilesForPtxAndOpenCL(string modelName)
    {
        var model = Models.Single(t => t.Name == modelName);
        using var context = Context.Create(builder => builder.Default());
        var backends = new (string Name, ILGPU.Backends.Backend Backend)[]
        {
            ("PTX sm_70", new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, null)),
            ("PTX sm_90", new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null)),
            ("OpenCL", new CLBackend(context, OpenClCapabilities(), CLDeviceVendor.Other, CLCVersion.CL20)),
        };
        foreach (var method in Instantiations(model))
        {
            foreach (var (name, backend) in backends)
            {
                var compiled = backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
                string text = compiled switch
                {
                    PTXCompiledKernel ptx => ptx.PTXAssembly,
                    CLCompiledKernel cl => cl.Source,
                    _ => throw new InvalidOperationException(name),
                };
                Assert.False(string.IsNullOrWhiteSpace(text), $"{name}: empty output for {method}");
                foreach (string banned in new[] { "XMath", "Cordic", "sin.approx", "cos.approx", "lg2.approx", "ex2.approx", "rcp.approx", "rsqrt.approx" })
                    Assert.False(text.Contains(banned, StringComparison.OrdinalIgnoreCase), $"{name}: {method} uses {banned}");
            }
        }
        foreach (var (_, backend) in backends) backend.Dispose();
    }

    /// <summary>An OpenCL device with every capability, fp64 included.</summary>
    private static CLCapabilityContext OpenClCapabilities()
    {
        var ctor = typeof(CLCapabilityContext).GetConstructors().Single(c => c.GetParameters().All(p => p.ParameterType == typeof(bool)));
        return (CLCapabilityContext)ctor.Invoke(ctor.GetParameters().Select(_ => (object)true).ToArray());
    }
}
