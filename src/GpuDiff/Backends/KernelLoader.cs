using System.Reflection;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

/// <summary>
/// Compiles a kernel for one accelerator, passes the device code through GpuDiff's rewrites
/// (<see cref="PtxRounding"/> and <see cref="PtxRegisterLimit"/> for CUDA, <see cref="PoclCompatibility"/> for OpenCL devices without
/// the generic address space) and loads it. ILGPU's own loaders give no chance to touch the code
/// between compiling and loading, hence this one path for every accelerator.
/// </summary>
internal sealed class KernelLoader(Accelerator accelerator) : IDisposable
{
    private readonly List<Kernel> loaded = [];

    // Read once a backend, so a kernel compiled later in the process runs under the setting its siblings had.
    private readonly PtxRegisterLimit.Setting? registerSetting = accelerator.AcceleratorType == AcceleratorType.Cuda ? PtxRegisterLimit.Asked() : null;

    /// <summary>
    /// OpenCL C longer than this is not loaded (an <see cref="InvalidOperationException"/> naming
    /// both sizes), or null for no limit: PoCL's LLVM time and memory grow faster than the source
    /// (<see cref="CpuRouter.MaxPoclSourceBytes"/>).
    /// </summary>
    public long? MaxSourceBytes { get; set; }

    /// <summary>
    /// Loads an implicitly grouped kernel with <paramref name="groupSize"/> threads a group (null:
    /// ILGPU's occupancy-based choice); the delegate takes the stream first, then the launch extent.
    /// </summary>
    public TDelegate Load<TDelegate>(MethodInfo method, int? groupSize) where TDelegate : Delegate
    {
        var compiled = CompiledOrCached(EntryPointDescription.FromImplicitlyGroupedKernel(method), method, explicitlyGrouped: false);
        var kernel = groupSize is int size
            ? accelerator.LoadImplicitlyGroupedKernel(compiled, size)
            : accelerator.LoadAutoGroupedKernel(compiled);
        loaded.Add(kernel);
        return kernel.CreateLauncherDelegate<TDelegate>();
    }

    /// <summary>Loads an explicitly grouped kernel; the delegate takes the stream first, then the launch's <see cref="ILGPU.KernelConfig"/>.</summary>
    public TDelegate LoadExplicitlyGrouped<TDelegate>(MethodInfo method) where TDelegate : Delegate
    {
        var kernel = accelerator.LoadKernel(CompiledOrCached(EntryPointDescription.FromExplicitlyGroupedKernel(method), method, explicitlyGrouped: true));
        loaded.Add(kernel);
        return kernel.CreateLauncherDelegate<TDelegate>();
    }

    /// <summary>The rewritten device code of a kernel: from <see cref="KernelCache"/> when an earlier process left it there, else compiled (and left there).</summary>
    private CompiledKernel CompiledOrCached(EntryPointDescription description, MethodInfo method, bool explicitlyGrouped)
    {
        var backend = CodeGenerator;
        string rewrite = PoclCompatibility.IsPatched(accelerator) ? "rounded, generic to global, quiet" : "rounded";
        int? registerLimit = accelerator.AcceleratorType == AcceleratorType.Cuda ? PtxRegisterLimit.For(method, registerSetting) : null;
        if (registerLimit is int limit) rewrite += ", maxnreg " + limit;
        string? key = KernelCache.Key(accelerator, backend, method, explicitlyGrouped, rewrite);
        if (key is not null && KernelCache.Read(key, accelerator, backend, description) is { } cached) return WithinLimit(cached, method);
        var compiled = WithinLimit(Rewrite(backend.Compile(description, KernelSpecialization.Empty), registerLimit), method);
        if (key is not null) KernelCache.Write(key, compiled);
        return compiled;
    }

    private CompiledKernel WithinLimit(CompiledKernel compiled, MethodInfo method)
    {
        if (compiled is CLCompiledKernel cl && MaxSourceBytes is long limit && cl.Source.Length > limit)
            throw new InvalidOperationException(
                $"The OpenCL C of {method.Name}<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}> is {cl.Source.Length:N0} characters, over this device's limit of {limit:N0}: compiling it would take the device's compiler minutes and gigabytes.");
        return compiled;
    }

    private Backend CodeGenerator => CodeGeneratorOf(accelerator);

    /// <summary>An accelerator's code generator (ILGPU keeps it internal).</summary>
    internal static Backend CodeGeneratorOf(Accelerator accelerator) => (Backend)(AcceleratorBackend.GetValue(accelerator)
        ?? throw new InvalidOperationException($"{accelerator.Name} has no code generator."));

    private CompiledKernel Rewrite(CompiledKernel compiled, int? registerLimit)
    {
        switch (compiled)
        {
            case PTXCompiledKernel ptx:
                string rounded = PtxRounding.ForbidContraction(ptx.PTXAssembly);
                ReplaceText(ptx, nameof(PTXCompiledKernel.PTXAssembly), registerLimit is int limit ? PtxRegisterLimit.Apply(rounded, limit) : rounded);
                break;
            case CLCompiledKernel cl:
                string source = OpenClRounding.ForbidContraction(cl.Source);
                ReplaceText(cl, nameof(CLCompiledKernel.Source), PoclCompatibility.IsPatched(accelerator) ? PoclCompatibility.Quiet(PoclCompatibility.GenericToGlobal(source)) : source);
                break;
        }
        return compiled;
    }

    // ILGPU 1.5.3 keeps both the accelerator's code generator and the compiled kernels' constructors
    // internal, so the two hooks below go through reflection; the package version is pinned and a
    // change fails loudly here rather than loading unrewritten code.
    private static readonly PropertyInfo AcceleratorBackend =
        typeof(Accelerator).GetProperty("Backend", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMemberException("ILGPU changed: Accelerator.Backend is gone; device code cannot be rewritten.");

    private static void ReplaceText(CompiledKernel kernel, string property, string text)
    {
        var field = kernel.GetType().GetField($"<{property}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new MissingFieldException($"ILGPU changed: {kernel.GetType().Name}.{property} has no backing field; device code cannot be rewritten.");
        field.SetValue(kernel, text);
    }

    public void Dispose()
    {
        foreach (var kernel in loaded) kernel.Dispose();
        loaded.Clear();
    }
}
