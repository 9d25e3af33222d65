namespace GpuDiff.Backends;

/// <summary>Where derivatives are computed.</summary>
public enum BackendKind
{
    /// <summary>The first usable of CUDA, OpenCL, host; or GPUDIFF_BACKEND when set.</summary>
    Auto,

    /// <summary>An NVIDIA GPU through ILGPU's CUDA accelerator.</summary>
    Cuda,

    /// <summary>An OpenCL device through ILGPU's OpenCL accelerator.</summary>
    OpenCL,

    /// <summary>The kernel bodies as multi-threaded .NET code: the fast CPU path.</summary>
    Host,

    /// <summary>ILGPU's CPU accelerator running the real kernels: the reference for kernel behaviour, slow.</summary>
    CpuAccelerator,
}

/// <summary>Parsing backend names, as GPUDIFF_BACKEND and the command line spell them.</summary>
public static class BackendNames
{
    /// <summary>The environment variable that overrides <see cref="BackendKind.Auto"/>.</summary>
    public const string EnvironmentVariable = "GPUDIFF_BACKEND";

    /// <summary>The accepted names.</summary>
    public static readonly IReadOnlyList<string> Valid = ["cuda", "opencl", "host", "cpu-accelerator"];

    /// <summary>The backend a name stands for; an ArgumentException naming the valid ones otherwise.</summary>
    public static BackendKind Parse(string name, string source = "backend") => name.Trim().ToLowerInvariant() switch
    {
        "cuda" => BackendKind.Cuda,
        "opencl" => BackendKind.OpenCL,
        "host" => BackendKind.Host,
        "cpu-accelerator" => BackendKind.CpuAccelerator,
        "auto" or "" => BackendKind.Auto,
        _ => throw new ArgumentException($"Unknown {source} '{name}'. Valid names: {string.Join(", ", Valid)}, auto."),
    };

    /// <summary>The name of a backend kind.</summary>
    public static string Name(BackendKind kind) => kind switch
    {
        BackendKind.Cuda => "cuda",
        BackendKind.OpenCL => "opencl",
        BackendKind.Host => "host",
        BackendKind.CpuAccelerator => "cpu-accelerator",
        _ => "auto",
    };
}
