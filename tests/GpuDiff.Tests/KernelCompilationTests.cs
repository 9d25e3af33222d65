using GpuDiff.ModelLanguage;
using GpuDiff.Tests.ModelLanguage;
using System.Reflection;
using System.Text.RegularExpressions;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;
using GpuDiff.Kernels.Resident;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuDiff.Tests;

/// <summary>Every kernel instantiation compiles for PTX (sm_70, sm_90) and OpenCL C, with no GPU present.</summary>
public sealed class KernelCompilationTests
{
    public static readonly Type[] Models =
    [
        typeof(SeedTwoByTwo), typeof(SeedQuadratic), typeof(LinearMap3), typeof(QuadraticForm),
        typeof(Rosenbrock), typeof(PlanarArm6), typeof(BrownAlmostLinear), typeof(AllFunctions), typeof(MathCoverage), typeof(Matrix3Model), typeof(ConstantChains),
        typeof(RosenbrockElements), typeof(Bratu1D),
    ];

    public static readonly Type[] Chunks =
    [
        typeof(One), typeof(Pair<One>), typeof(Pair<Pair<One>>), typeof(Pair<Pair<Pair<One>>>),
        typeof(Pair<Pair<Pair<Pair<One>>>>),
    ];

    /// <summary>Every kernel kind in the kernels assembly, so a new kind is compiled here without being listed.</summary>
    public static readonly Type[] KernelKinds = typeof(IKernelKind).Assembly.GetTypes()
        .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && typeof(IKernelKind).IsAssignableFrom(t)).OrderBy(t => t.Name).ToArray();

    /// <summary>The Hessian-by-blocks kind for a chunk: as many rows, built by doubling, as the chunk has columns.</summary>
    public static Type HessianBlockKindFor(Type chunk)
    {
        int width = 1 << Array.IndexOf(Chunks, chunk);
        var rows = typeof(RowOne<>).MakeGenericType(chunk);
        for (int count = 1; count < width; count *= 2) rows = typeof(RowPair<,>).MakeGenericType(rows, chunk);
        return typeof(HessianBlockKind<,>).MakeGenericType(chunk, rows);
    }

    /// <summary>The kinds compiled for every model and chunk; the others (the table-driven sparse kinds, Vjp) run the same model code with other seeding and stores around it.</summary>
    private static readonly Type[] DenseKinds = [typeof(ValueKind), typeof(JacobianKind), typeof(JvpKind), typeof(HessianKind), typeof(HvpKind)];

    /// <summary>
    /// Those other kinds are compiled for every model at width 4 (every width for the sparse
    /// models), which keeps this test within the suite's time.
    /// </summary>
    private static readonly Type[] SparseModels = [typeof(RosenbrockElements), typeof(Bratu1D)];

    /// <summary>The models whose Hessian-by-blocks and triangle kernels are compiled (each with every other kind in one context).</summary>
    private static readonly Type[] BlockModels = [typeof(SeedTwoByTwo), typeof(Rosenbrock), typeof(PlanarArm6), typeof(BrownAlmostLinear), typeof(AllFunctions)];

    public static IEnumerable<MethodInfo> Instantiations(Type model)
    {
        var entry = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!;
        foreach (var kind in KernelKinds)
        {
            bool dense = DenseKinds.Contains(kind);
            if (SparseModels.Contains(model) && dense && kind != typeof(ValueKind)) continue;
            if (model == typeof(MathCoverage) && !dense) continue; // the other kinds' code is every model's; its math is in the dense ones
            // Value and Jvp read no chunk: the host runs them with One only. MathCoverage's code (every
            // function, by far the longest: 2.5 min at every width and kind) does not depend on the
            // width or the kind's seeding, which every other model covers, so it compiles its dense
            // kinds at width 4 only (36 s).
            var chunks = kind == typeof(ValueKind) || kind == typeof(JvpKind) ? Chunks[..1]
                : (dense && model != typeof(MathCoverage)) || SparseModels.Contains(model) ? Chunks : [Chunks[2]];
            foreach (var chunk in chunks) yield return entry.MakeGenericMethod(model, kind, chunk);
        }
        // Hessians by blocks, at the widths the ILGPU backends run them (DerivativeEngine.DensePlan;
        // a block of 8 is 81 doubles a number and takes minutes to compile), for the models of
        // BlockModels: their math is the hyper-dual's, which the other kinds compile with every
        // function, and what needs checking is their layout among every other kind of the context.
        // Every function through a triangle (its diagonal's quotient is its own code), at width 4.
        if (model == typeof(MathCoverage))
        {
            var (kind, chunk) = HessianTriangleTypes.Kind(typeof(HessianTriangleKind<,>), 4);
            yield return entry.MakeGenericMethod(model, kind, chunk);
        }
        if (!BlockModels.Contains(model)) yield break;
        foreach (var chunk in Chunks[1..3])
            yield return entry.MakeGenericMethod(model, HessianBlockKindFor(chunk), chunk);
        // And one block a point, which runs as its triangle: of 2 (CUDA's blocks up to 2 inputs), 4,
        // and 8 (PoCL's default up to 8 inputs), alone and with the values and gradients;
        // AllFunctions' math is MathCoverage's (28 s more for four of them).
        if (model == typeof(AllFunctions)) yield break;
        foreach (int width in new[] { 2, 4, 8 })
            foreach (var definition in new[] { typeof(HessianTriangleKind<,>), typeof(ValueGradientHessianTriangleKind<,>) })
            {
                var (kind, chunk) = HessianTriangleTypes.Kind(definition, width);
                yield return entry.MakeGenericMethod(model, kind, chunk);
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
    public void EveryKernelCompilesForPtxAndOpenCL(string modelName) => CompileEveryKernel(Models.Single(t => t.Name == modelName));

    public static TheoryData<string> TextModelNames() => new(nameof(TextModelTexts.PlanarArm6), nameof(TextModelTexts.OtherFunctions));

    /// <summary>Models compiled from text at run time go through the same device compilers.</summary>
    [Theory]
    [MemberData(nameof(TextModelNames))]
    public void EveryKernelOfATextModelCompilesForPtxAndOpenCL(string name)
    {
        string text = (string)typeof(TextModelTexts).GetField(name)!.GetValue(null)!;
        CompileEveryKernel(ModelText.Parse(text, name).ModelType);
    }

    /// <summary>Every device operation in the kernels assembly (point generation, analyses, reduction steps), found rather than listed.</summary>
    public static TheoryData<string> OperationNames()
    {
        var data = new TheoryData<string>();
        foreach (var t in typeof(IDeviceOperation).Assembly.GetTypes().Where(t => t.IsValueType && typeof(IDeviceOperation).IsAssignableFrom(t)))
            data.Add(t.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(OperationNames))]
    public void EveryDeviceOperationCompilesForPtxAndOpenCL(string name)
    {
        var operation = typeof(IDeviceOperation).Assembly.GetTypes().Single(t => t.Name == name && typeof(IDeviceOperation).IsAssignableFrom(t));
        Compile([typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Operate))!.MakeGenericMethod(operation)]);
    }

    private static void CompileEveryKernel(Type model) => Compile(Instantiations(model));

    /// <summary>
    /// The staged entry point (results gathered in shared memory, explicitly grouped) for every kind
    /// that can stage; it wraps the same kind code as <c>Run</c>, so three models cover it.
    /// </summary>
    [Theory]
    [InlineData(typeof(SeedTwoByTwo))]
    [InlineData(typeof(PlanarArm6))]
    [InlineData(typeof(BrownAlmostLinear))]
    public void EveryStagedKernelCompilesForPtxAndOpenCL(Type model)
    {
        var entry = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.RunStaged))!;
        var kinds = KernelKinds.Where(k => typeof(IStoresOwnBlock).IsAssignableFrom(k)).ToArray();
        Assert.Equal(4, kinds.Length);
        Compile(kinds.Select(kind => entry.MakeGenericMethod(model, kind, kind == typeof(ValueKind) || kind == typeof(JvpKind) ? Chunks[0] : Chunks[2])),
            explicitlyGrouped: true);
    }

    private static void Compile(IEnumerable<MethodInfo> methods, bool explicitlyGrouped = false)
    {
        // No device enumeration: this test needs none, and probing OpenCL here, before GpuDiff maps
        // the library name, would leave ILGPU's OpenCL API unloaded for the whole test process.
        using var context = Context.Create(builder => builder.CPU());
        var backends = new (string Name, ILGPU.Backends.Backend Backend)[]
        {
            ("PTX sm_70", new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, null)),
            ("PTX sm_90", new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null)),
            ("OpenCL", new CLBackend(context, OpenClCapabilities(), CLDeviceVendor.Other, CLCVersion.CL20)),
        };
        foreach (var method in methods)
        {
            foreach (var (name, backend) in backends)
            {
                var compiled = backend.Compile(explicitlyGrouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method)
                    : EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
                string text = compiled switch
                {
                    PTXCompiledKernel ptx => PtxRounding.ForbidContraction(ptx.PTXAssembly),
                    CLCompiledKernel cl => cl.Source,
                    _ => throw new InvalidOperationException(name),
                };
                if (compiled is PTXCompiledKernel)
                {
                    var left = PtxRounding.Violations(text);
                    Assert.True(left.Count == 0, $"{name}: {method} keeps bit-changing PTX after the rewrite: {string.Join("; ", left.Distinct().Take(5))}");
                }
                Assert.False(string.IsNullOrWhiteSpace(text), $"{name}: empty output for {method}");
                foreach (string banned in new[] { "XMath", "Cordic", "sin.approx", "cos.approx", "lg2.approx", "ex2.approx", "rcp.approx", "rsqrt.approx" })
                    Assert.False(text.Contains(banned, StringComparison.OrdinalIgnoreCase), $"{name}: {method} uses {banned}");
            }
        }
        foreach (var (_, backend) in backends) backend.Dispose();
    }

    [Fact]
    public void PtxRewriteRoundsEveryFloatOperationAndReportsWhatCouldChangeBits()
    {
        const string ptx = "mul.f64 %fd3, %fd1, %fd2;\n add.f32 %f1, %f2, %f3;\n sub.f64 %fd4, %fd3, %fd1;\n add.s64 %rd1, %rd2, %rd3;\n div.rn.f64 %fd5, %fd4, %fd3;";
        string rewritten = PtxRounding.ForbidContraction(ptx);
        Assert.Contains("mul.rn.f64 %fd3", rewritten);
        Assert.Contains("add.rn.f32 %f1", rewritten);
        Assert.Contains("sub.rn.f64 %fd4", rewritten);
        Assert.Contains("add.s64 %rd1", rewritten); // integers untouched
        Assert.Empty(PtxRounding.Violations(rewritten));
        Assert.Equal(3, PtxRounding.Violations(ptx).Count);
        foreach (string bad in new[] { "fma.rn.f64 %fd1, %fd2, %fd3, %fd4;", "div.approx.ftz.f32 %f1, %f2, %f3;", "sqrt.f64 %fd1, %fd2;", "add.rn.ftz.f32 %f1, %f2, %f3;" })
            Assert.NotEmpty(PtxRounding.Violations(bad));
    }

    /// <summary>
    /// Chunks that join two widths (3 = 2 + 1, 6 = 4 + 2, 7, 12), and the Hessian blocks and
    /// triangles built of them, compile for PTX and OpenCL in one context among the powers of two:
    /// before <see cref="Join{A, B}"/> had a shape of its own, the first join compiled made every
    /// later kernel of the context fail inside ILGPU (1 of 72 compiled).
    /// </summary>
    [Fact]
    public void JoinedChunksCompileAmongThePowersOfTwoInOneContext()
    {
        var entry = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!;
        var methods = new List<MethodInfo>();
        void Add(Type model, KernelPlan plan)
        {
            var found = new KindsFound();
            plan.Visit(ref found);
            methods.Add(entry.MakeGenericMethod(model, found.Kind!, found.Chunk!));
        }
        foreach (int width in new[] { 3, 4, 6, 8, 7, 12 })
        {
            Add(typeof(BrownAlmostLinear), KernelPlan.Dense(DerivativeKind.Jacobian, 12, 12, width));
            Add(typeof(PlanarArm6), KernelPlan.Dense(DerivativeKind.Jacobian, 6, 3, width));
        }
        foreach (int width in new[] { 3, 6, 7 })
        {
            Add(typeof(BrownAlmostLinear), KernelPlan.Dense(DerivativeKind.Hessian, 12, 12, width));
            Add(typeof(Rosenbrock), KernelPlan.Dense(DerivativeKind.Hessian, 12, 1, width, hessianBlocks: true));
            Add(typeof(Rosenbrock), KernelPlan.Dense(DerivativeKind.Hessian, width, 1, width, hessianBlocks: true));
            Add(typeof(BrownAlmostLinear), KernelPlan.Dense(DerivativeKind.Hvp, 12, 12, width));
        }
        Compile(methods);
    }

    private struct KindsFound : IKernelVisitor
    {
        public Type? Kind, Chunk;

        public void Visit<TKind, P>() where TKind : struct, IKernelKind where P : struct, IPartials<P> => (Kind, Chunk) = (typeof(TKind), typeof(P));
    }

    /// <summary>The register limit lands on the kernel's entry, between its parameters and its body, and touches nothing else.</summary>
    [Fact]
    public void RegisterLimitGoesOnTheKernelEntryAndNowhereElse()
    {
        var method = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!.MakeGenericMethod(typeof(PlanarArm6), typeof(JacobianKind), Chunks[2]);
        using var context = Context.Create(builder => builder.CPU());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        string ptx = PtxRounding.ForbidContraction(((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty)).PTXAssembly);
        string limited = PtxRegisterLimit.Apply(ptx, 72);
        Assert.Single(Regex.Matches(limited, @"\.maxnreg 72"));
        Assert.Matches(@"\.entry Kernel_Run\((?:[^)]*)\)\n\.maxnreg 72\n\{", limited);
        // Helper functions (.func) keep their bodies as they were.
        Assert.Equal(Regex.Replace(ptx, @"\s+", " "), Regex.Replace(limited.Replace(".maxnreg 72", ""), @"\s+", " "));
        Assert.Throws<InvalidOperationException>(() => PtxRegisterLimit.Apply(".func (.reg .b32 r) helper()\n{\n ret;\n}", 72));
    }

    /// <summary>
    /// Every kernel kind is named first- or second-order, so a new kind cannot take the first-order
    /// register limit by being forgotten; first-order kernels and device operations take it, second-order
    /// ones (a Hessian by blocks of 4 ran at 0.39x under it) do not, and a setting from the environment applies to all.
    /// </summary>
    [Fact]
    public void FirstOrderKernelsTakeTheRegisterLimitAndSecondOrderOnesDoNot()
    {
        Type[] firstOrder = [typeof(ValueKind), typeof(JacobianKind), typeof(JvpKind), typeof(VjpKind), typeof(ValueJacobianKind), typeof(CompressedJacobianKind)];
        var kinds = typeof(IKernelKind).Assembly.GetTypes().Where(t => t.IsValueType && typeof(IKernelKind).IsAssignableFrom(t)).ToArray();
        Assert.True(kinds.Length >= 14, $"{kinds.Length} kinds found");
        foreach (var kind in kinds)
            Assert.True(KernelPlan.IsSecondOrderKind(kind) ^ firstOrder.Contains(kind), $"{kind.Name} must be named either first- or second-order, once");

        var run = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Run))!;
        var staged = typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.RunStaged))!;
        var block = HessianBlockKindFor(Chunks[1]);
        Assert.Equal(PtxRegisterLimit.FirstOrder, PtxRegisterLimit.For(staged.MakeGenericMethod(typeof(PlanarArm6), typeof(JacobianKind), Chunks[3]), null));
        Assert.Equal(PtxRegisterLimit.FirstOrder, PtxRegisterLimit.For(run.MakeGenericMethod(typeof(Bratu1D), typeof(CompressedJacobianKind), Chunks[2]), null));
        Assert.Equal(PtxRegisterLimit.FirstOrder, PtxRegisterLimit.For(typeof(DeviceEntryPoints).GetMethod(nameof(DeviceEntryPoints.Operate))!.MakeGenericMethod(typeof(ManipulabilityOperation)), null));
        Assert.Null(PtxRegisterLimit.For(run.MakeGenericMethod(typeof(Rosenbrock), typeof(HessianKind), Chunks[3]), null));
        Assert.Null(PtxRegisterLimit.For(run.MakeGenericMethod(typeof(Rosenbrock), block, Chunks[1]), null));
        Assert.Null(PtxRegisterLimit.For(run.MakeGenericMethod(typeof(PlanarArm6), typeof(JacobianKind), Chunks[3]), new PtxRegisterLimit.Setting(null)));
        Assert.Equal(64, PtxRegisterLimit.For(run.MakeGenericMethod(typeof(Rosenbrock), typeof(HessianKind), Chunks[3]), new PtxRegisterLimit.Setting(64)));
    }

    /// <summary>An OpenCL device with every capability, fp64 included.</summary>
    private static CLCapabilityContext OpenClCapabilities()
    {
        var ctor = typeof(CLCapabilityContext).GetConstructors().Single(c => c.GetParameters().All(p => p.ParameterType == typeof(bool)));
        return (CLCapabilityContext)ctor.Invoke(ctor.GetParameters().Select(_ => (object)true).ToArray());
    }
}
