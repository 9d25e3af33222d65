using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace GpuDiff.Backends;

/// <summary>A backend and device as found on this machine.</summary>
/// <param name="Backend">The backend.</param>
/// <param name="Device">The device in words.</param>
/// <param name="MemoryBytes">Device memory, or 0 where it does not apply.</param>
/// <param name="Usable">Whether GpuDiff can run on it.</param>
/// <param name="Reason">Why not, where it is not usable; a note where it is.</param>
/// <param name="AutoCandidate">Whether the Auto backend may pick it: not an OpenCL device that is a CPU, where the host backend starts without compiling kernels first.</param>
public readonly record struct DeviceInfo(BackendKind Backend, string Device, long MemoryBytes, bool Usable, string Reason, bool AutoCandidate = true);

/// <summary>Finds devices and opens backends.</summary>
public static class BackendFactory
{
    /// <summary>Every backend and device found, usable or not, with the reason where not.</summary>
    public static IReadOnlyList<DeviceInfo> ListDevices()
    {
        lock (DriverGate) return ListDevicesLocked();
    }

    // Driver enumeration and accelerator creation, one thread at a time: engines opened on several
    // threads at once made PoCL's first enumeration report no device to one of them (seen with a
    // cold kernel cache, four threads).
    private static readonly Lock DriverGate = new();

    private static List<DeviceInfo> ListDevicesLocked()
    {
        var list = new List<DeviceInfo>();
        try
        {
            using var context = Context.Create(b => PoclCompatibility.OpenClDevicesWithFp64(b.Cuda()));
            var cuda = context.GetDevices<CudaDevice>();
            if (cuda.Count == 0) list.Add(new(BackendKind.Cuda, "none", 0, false, "no CUDA device or driver found"));
            foreach (var d in cuda) list.Add(new(BackendKind.Cuda, d.Name, d.MemorySize, true, StagedStores.DescribeCuda(d.NumMultiprocessors)));
            var cl = context.GetDevices<CLDevice>();
            if (cl.Count == 0) list.Add(new(BackendKind.OpenCL, "none", 0, false, "no OpenCL device with OpenCL C 2.0 or later and fp64 found"));
            foreach (var d in cl)
            {
                bool cpu = d.DeviceType.HasFlag(CLDeviceType.CL_DEVICE_TYPE_CPU);
                var notes = new List<string>();
                if (!d.Capabilities.GenericAddressSpace) notes.Add("no generic address space: kernels use global pointers");
                if (cpu) notes.Add($"a CPU: auto starts each call on the host backend, which needs no kernel compile, and compiles a kernel here in the background once it has cost the host over {CpuRouter.DefaultSwitchSeconds:0.#} s (a second-order one {CpuRouter.DefaultSecondOrderSwitchSeconds:0.#} s; one long call or many), and moves it here if this device then runs it faster (same bits), unless its OpenCL C is over {CpuRouter.DefaultMaxPoclSourceBytes >> 20} MiB (a large model: minutes and gigabytes of compile); --backend opencl uses it for everything");
                if (cpu && KernelPlan.HessianBlockWidth(BackendKind.OpenCL, 64, cpuDevice: true) is int w and > 0)
                    notes.Add($"dense Hessians of up to {KernelPlan.HessianBlockWidth(BackendKind.OpenCL, 8, cpuDevice: true)} inputs by one upper triangle a point, of more by blocks of {w}, which measured faster than rows on PoCL");
                list.Add(new(BackendKind.OpenCL, d.Name, d.MemorySize, true, string.Join("; ", notes), !cpu));
            }
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            list.Add(new(BackendKind.Cuda, "none", 0, false, "GPU runtimes could not be loaded: " + e.Message));
        }
        list.Add(new(BackendKind.Host, HostBackend.Description, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, true, ""));
        list.Add(new(BackendKind.CpuAccelerator, "ILGPU CPU accelerator", 0, true, ""));
        return list;
    }

    /// <summary>
    /// The backend kind Auto resolves to: GPUDIFF_BACKEND if set, else CUDA, OpenCL, host in that
    /// order, passing over OpenCL devices that are CPUs (the host backend starts without a kernel compile).
    /// </summary>
    public static BackendKind Resolve(BackendKind requested)
    {
        if (requested != BackendKind.Auto) return requested;
        string? env = Environment.GetEnvironmentVariable(BackendNames.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            var kind = BackendNames.Parse(env, $"{BackendNames.EnvironmentVariable} value");
            if (kind != BackendKind.Auto) return kind;
        }
        foreach (var d in ListDevices())
            if (d.Usable && d.AutoCandidate) return d.Backend;
        return BackendKind.Host;
    }

    /// <summary>
    /// The backend an engine gets: <see cref="Open"/> of the resolved kind, except that Auto (with
    /// GPUDIFF_BACKEND unset) on a machine whose OpenCL devices are all CPUs gives the host backend
    /// with long calls timed against PoCL (<see cref="CpuRouter"/>).
    /// </summary>
    internal static IComputeBackend OpenForEngine(BackendKind requested)
    {
        var (kind, pocl) = AutoChoice(requested);
        return pocl is null ? Open(kind) : new CpuRouter(new HostBackend(), () => Open(BackendKind.OpenCL), pocl);
    }

    /// <summary>Where the CUDA and OpenCL backends keep compiled kernels between processes, in words (GPUDIFF_KERNEL_CACHE).</summary>
    public static string DescribeKernelCache()
    {
        if (KernelCache.Directory is not string directory) return "off (GPUDIFF_KERNEL_CACHE=0)";
        int entries = Directory.Exists(directory) ? Directory.GetFiles(directory).Length : 0;
        return $"{directory} ({entries:N0} entries)";
    }

    /// <summary>What Auto gives here, in words: the backend, and whether long-running kernels move to PoCL.</summary>
    public static string DescribeAuto()
    {
        var (kind, pocl) = AutoChoice(BackendKind.Auto);
        return BackendNames.Name(kind) + (pocl is null ? "" : $", moving a kernel to PoCL ({pocl}) once it has cost the host over {CpuRouter.DefaultSwitchSeconds:0.#} s ({CpuRouter.DefaultSecondOrderSwitchSeconds:0.#} s for second-order kernels) and PoCL runs it faster");
    }

    /// <summary>The backend a request resolves to, and the PoCL device the host's long-running kernels may move to (Auto only).</summary>
    private static (BackendKind Kind, string? Pocl) AutoChoice(BackendKind requested)
    {
        if (requested != BackendKind.Auto || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(BackendNames.EnvironmentVariable)))
            return (Resolve(requested), null);
        var devices = ListDevices();
        var chosen = devices.Where(d => d.Usable && d.AutoCandidate).Select(d => d.Backend).DefaultIfEmpty(BackendKind.Host).First();
        string? pocl = devices.Where(d => d.Backend == BackendKind.OpenCL && d.Usable && !d.AutoCandidate).Select(d => d.Device).FirstOrDefault();
        return (chosen, chosen == BackendKind.Host ? pocl : null);
    }

    private static IlgpuBackend OpenGpu<TDevice>(BackendKind kind, Action<Context.Builder> enable, string missing) where TDevice : Device
    {
        lock (DriverGate) return OpenGpuLocked<TDevice>(kind, enable, missing);
    }

    private static IlgpuBackend OpenGpuLocked<TDevice>(BackendKind kind, Action<Context.Builder> enable, string missing) where TDevice : Device
    {
        var context = Context.Create(b => enable(b.Optimize(IlgpuOptimization.Level())));
        var devices = context.GetDevices<TDevice>();
        if (devices.Count > 0 && devices[0] is CLDevice cl) PoclCompatibility.PrepareDevice(cl);
        if (devices.Count == 0)
        {
            context.Dispose();
            throw new InvalidOperationException($"Backend '{BackendNames.Name(kind)}' was requested but {missing}.");
        }
        return new IlgpuBackend(kind, context, devices[0].CreateAccelerator(context));
    }

    internal static IComputeBackend Open(BackendKind kind)
    {
        switch (kind)
        {
            case BackendKind.Host:
                return new HostBackend();
            case BackendKind.CpuAccelerator:
            {
                // Two threads per warp on one processor ran the kernels fastest (DESIGN.md, facts).
                var context = Context.Create(b => b.CPU(new CPUDevice(2, 1, 1)));
                return new IlgpuBackend(kind, context, context.GetCPUDevice(0).CreateAccelerator(context));
            }
            case BackendKind.Cuda:
                return OpenGpu<CudaDevice>(kind, b => b.Cuda(), "no CUDA device or driver was found");
            case BackendKind.OpenCL:
                return OpenGpu<CLDevice>(kind, b => PoclCompatibility.OpenClDevicesWithFp64(b), "no OpenCL device with OpenCL C 2.0 or later and fp64 was found");
            default:
                return Open(Resolve(kind));
        }
    }
}
