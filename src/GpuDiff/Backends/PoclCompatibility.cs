using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ILGPU;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;

namespace GpuDiff.Backends;

/// <summary>
/// Everything it takes to run GpuDiff's OpenCL kernels on OpenCL 3.0 devices without the generic
/// address space, such as PoCL on a CPU (Debian's pocl-opencl-icd, which CI uses), in one place.
/// </summary>
/// <remarks>
/// ILGPU 1.5.3 refuses such devices: its OpenCL C declares every pointer <c>__generic</c>. GpuDiff's
/// kernels only ever point into global buffers (array views; models, dual numbers and partials are
/// values), so on these devices the generated <c>__generic</c> becomes <c>__global</c>, which the
/// OpenCL compiler type-checks: a pointer into any other address space would fail to build, not
/// compute something wrong. Devices that do have the generic address space are left exactly as
/// ILGPU makes them. Second, ILGPU asks the loader for a library named "OpenCL", while Debian's
/// ocl-icd-libopencl1 ships only libOpenCL.so.1; a fallback resolver maps the one to the other.
/// </remarks>
internal static partial class PoclCompatibility
{
    private static readonly ConcurrentDictionary<IntPtr, bool> PatchedDevices = new();
    private static int resolverInstalled;

    /// <summary>
    /// Maps ILGPU's "OpenCL" to libOpenCL.so.1. ILGPU loads its OpenCL API once per process, so this
    /// runs when GpuDiff's assembly is first touched; a process that used ILGPU's OpenCL before that
    /// needs a libOpenCL.so on the library path (Debian: ocl-icd-opencl-dev).
    /// </summary>
#pragma warning disable CA2255 // a library module initializer, on purpose: see the summary
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void InstallLibraryResolver()
    {
        if (Interlocked.Exchange(ref resolverInstalled, 1) == 0)
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveOpenClLibrary;
    }

    /// <summary>Adds every OpenCL device with fp64 that ILGPU's code generator can target (OpenCL C 2.0 or later).</summary>
    public static Context.Builder OpenClDevicesWithFp64(Context.Builder builder) =>
        builder.OpenCL(d => d.CLStdVersion >= CLBackend.MinimumVersion && d.Capabilities.Float64);

    /// <summary>
    /// Marks a device without the generic address space as having it, so ILGPU creates an
    /// accelerator for it; <see cref="GenericToGlobal"/> then makes its kernels valid for it.
    /// </summary>
    public static void PrepareDevice(CLDevice device)
    {
        if (device.Capabilities.GenericAddressSpace) return;
        GenericAddressSpaceSetter.Invoke(device.Capabilities, [true]);
        PatchedDevices[device.DeviceId] = true;
    }

    /// <summary>Whether kernels for this accelerator need <see cref="GenericToGlobal"/>.</summary>
    public static bool IsPatched(Accelerator accelerator) =>
        accelerator is CLAccelerator cl && PatchedDevices.ContainsKey(cl.DeviceId);

    /// <summary>
    /// The work-group size GpuDiff's kernels use on OpenCL CPU devices, or null for other devices
    /// (which keep ILGPU's automatic choice).
    /// </summary>
    /// <remarks>
    /// PoCL runs a whole work-group on one worker thread and keeps each work-item's private values
    /// in arrays sized by the group, on that thread's stack (8 MiB with the usual stack limit). At
    /// the 4,096 work-items ILGPU asks for by default, a Hessian of a model with a few 3x3 matrices
    /// of T as locals needs 8-16 MiB and died with signal 11, depending on the batch's size;
    /// with 128 work-items a group, a work-item may keep 64 KiB of private values on an 8 MiB stack,
    /// 16 to 32 times that model. Measured on the 2-core machine: W1, W3 and W4 within the noise
    /// of the default group size (perf/RESULTS.md).
    /// </remarks>
    public static int? WorkGroupLimit(Accelerator accelerator) =>
        accelerator is CLAccelerator cl && (cl.DeviceType & CLDeviceType.CL_DEVICE_TYPE_CPU) != 0
            ? Math.Min(CpuWorkGroupSize, accelerator.MaxNumThreadsPerGroup)
            : null;

    /// <summary>See <see cref="WorkGroupLimit"/>.</summary>
    public const int CpuWorkGroupSize = 128;

    /// <summary>
    /// The OpenCL C source with its generic pointers declared global. The casts ILGPU writes for
    /// atomics, <c>(atomic_long*)</c>, name no address space, which means private on such a device;
    /// the fault cells are global memory, so they become <c>(__global atomic_long*)</c> too.
    /// </summary>
    public static string GenericToGlobal(string source) =>
        AtomicCast().Replace(source.Replace("__generic", "__global", StringComparison.Ordinal), "(__global $1*)");

    /// <summary>
    /// The source with clang's warnings off: PoCL's compiler prints "N warnings generated." on the
    /// process's standard error for ILGPU's generated code (unused labels and variables), which
    /// said nothing to a user of `gpudiff verify` or `bench`. Warnings only: the code is the same.
    /// </summary>
    public static string Quiet(string source) => "#pragma clang diagnostic ignored \"-Weverything\"\n" + source;

    [System.Text.RegularExpressions.GeneratedRegex(@"\((atomic_[a-z]+)\s*\*\)")]
    private static partial System.Text.RegularExpressions.Regex AtomicCast();

    private static readonly MethodInfo GenericAddressSpaceSetter =
        typeof(CLCapabilityContext).GetProperty(nameof(CLCapabilityContext.GenericAddressSpace))?.GetSetMethod(nonPublic: true)
        ?? throw new MissingMethodException("ILGPU changed: CLCapabilityContext.GenericAddressSpace has no setter.");

    private static IntPtr ResolveOpenClLibrary(Assembly assembly, string name)
    {
        if (name != "OpenCL" || assembly != typeof(CLAccelerator).Assembly) return IntPtr.Zero;
        return NativeLibrary.TryLoad("libOpenCL.so.1", out var handle) ? handle : IntPtr.Zero;
    }
}
