using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.IR.Types;
using ILGPU.Runtime;

namespace GpuDiff.Backends;

/// <summary>
/// Device code kept on disk between processes: the PTX or OpenCL C of a kernel after GpuDiff's
/// rewrites, so a later process loads it without running ILGPU's compiler (most of a command's
/// first call). An entry is keyed by everything that shapes the code: the kernel method with its
/// generic arguments, the version ids of every assembly those come from (each build of GpuDiff, of
/// ILGPU or of a model's assembly gets new ones), the grouping, ILGPU's optimization level, and the
/// device's code generator.
/// Kernels whose types come from assemblies made at run time (models as text, collectible) are not
/// cached: their names are new every compile. A missing, unreadable or malformed entry is
/// compiled as if never cached. <c>GPUDIFF_KERNEL_CACHE</c> = a directory, or <c>0</c> to turn the cache off; the
/// default is <c>$XDG_CACHE_HOME/gpudiff/kernels</c> (<c>~/.cache/gpudiff/kernels</c>).
/// </summary>
internal static class KernelCache
{
    private const string Format = "gpudiff-kernel-cache 1";

    /// <summary>Entries kept; the oldest go first when a write passes it.</summary>
    private const int MaxEntries = 2000;

    /// <summary>Where entries live, or null when the cache is off. Tests point it elsewhere.</summary>
    internal static string? Directory { get; set; } = DefaultDirectory();

    private static long hits, writes;

    /// <summary>Kernels loaded from the cache in this process.</summary>
    internal static long Hits => Interlocked.Read(ref hits);

    /// <summary>Entries written by this process.</summary>
    internal static long Writes => Interlocked.Read(ref writes);

    private static string? DefaultDirectory()
    {
        string? setting = Environment.GetEnvironmentVariable("GPUDIFF_KERNEL_CACHE");
        if (setting is "0" or "off") return null;
        if (!string.IsNullOrEmpty(setting)) return setting;
        string? root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home)) return null;
            root = Path.Combine(home, ".cache");
        }
        return Path.Combine(root, "gpudiff", "kernels");
    }

    /// <summary>The entry's key for a kernel on an accelerator, or null when it cannot be cached.</summary>
    public static string? Key(Accelerator accelerator, Backend backend, MethodInfo method, bool explicitlyGrouped, string rewrite)
    {
        if (Directory is null) return null;
        var text = new StringBuilder(Format).Append('\n');
        var assemblies = new SortedSet<string>(StringComparer.Ordinal);
        if (!Describe(method.DeclaringType!, text, assemblies)) return null;
        text.Append(method.Name).Append('[');
        foreach (var argument in method.GetGenericArguments())
            if (!Describe(argument, text.Append(','), assemblies)) return null;
        text.Append("]\n");
        foreach (var assembly in new[] { typeof(Context).Assembly, typeof(KernelCache).Assembly })
            assemblies.Add(assembly.FullName + " " + assembly.ManifestModule.ModuleVersionId);
        foreach (var a in assemblies) text.Append(a).Append('\n');
        text.Append(explicitlyGrouped ? "explicit\n" : "implicit\n");
        text.Append(accelerator.Context.Properties.OptimizationLevel).Append('\n');
        text.Append(accelerator.AcceleratorType).Append(' ').Append(accelerator.Name).Append(' ').Append(backend.GetType().Name).Append('\n');
        if (backend is PTXBackend ptx) text.Append(ptx.Architecture).Append(' ').Append(ptx.InstructionSet).Append('\n');
        text.Append(rewrite);
        return Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool Describe(Type type, StringBuilder text, SortedSet<string> assemblies)
    {
        // Models as text live in collectible assemblies named afresh each compile: never a false
        // hit, but never a hit either, so they are not written.
        if (type.Assembly.IsDynamic || type.Assembly.IsCollectible) return false;
        assemblies.Add(type.Assembly.FullName + " " + type.Assembly.ManifestModule.ModuleVersionId);
        text.Append(type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName);
        if (!type.IsGenericType) return true;
        text.Append('<');
        foreach (var argument in type.GetGenericArguments())
            if (!Describe(argument, text.Append(','), assemblies)) return false;
        text.Append('>');
        return true;
    }

    /// <summary>The cached kernel for <paramref name="key"/>, or null.</summary>
    public static CompiledKernel? Read(string key, Accelerator accelerator, Backend backend, EntryPointDescription description)
    {
        string? directory = Directory;
        if (directory is null) return null;
        try
        {
            string path = Path.Combine(directory, key);
            if (!File.Exists(path)) return null;
            string[] parts = File.ReadAllText(path).Split('\n', 3);
            // Header: format, then "static-shared-bytes dynamic-shared C-version code-hash"; then the code.
            if (parts.Length != 3 || parts[0] != Format) return null;
            string[] header = parts[1].Split(' ');
            if (header.Length != 4 || !int.TryParse(header[0], out int staticShared) || staticShared < 0 || !bool.TryParse(header[1], out bool dynamicShared)
                || header[3] != Hash(parts[2]))
                return null;
            var shared = new SharedMemorySpecification(staticShared, dynamicShared);
            var kernel = backend switch
            {
                PTXBackend => PtxKernel?.Invoke([accelerator.Context, new EntryPoint(description, shared, KernelSpecialization.Empty), null, parts[2]]) as PTXCompiledKernel,
                CLBackend when CLCVersion.TryParse(header[2], out var version) && TypeContext?.GetValue(accelerator.Context) is TypeInformationManager types =>
                    new CLCompiledKernel(accelerator.Context, new SeparateViewEntryPoint(description, shared, KernelSpecialization.Empty, types, ViewFields),
                        null, parts[2], version),
                _ => (CompiledKernel?)null,
            };
            if (kernel is not null)
            {
                Interlocked.Increment(ref hits);
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // recently used entries are the last to go
            }
            return kernel;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Stores a compiled (and rewritten) kernel under <paramref name="key"/>; a failure to write only costs the next process a compile.</summary>
    public static void Write(string key, CompiledKernel kernel)
    {
        string? directory = Directory;
        if (directory is null) return;
        var (code, version) = kernel switch
        {
            PTXCompiledKernel ptx => (ptx.PTXAssembly, "-"),
            CLCompiledKernel cl => (cl.Source, cl.CVersion.ToString()),
            _ => (null, ""),
        };
        if (code is null) return;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            if (EntryPointOf?.GetValue(kernel) is not EntryPoint entry) return;
            var shared = entry.SharedMemory;
            string path = Path.Combine(directory, key), temporary = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
            File.WriteAllText(temporary, $"{Format}\n{shared.StaticSize} {shared.HasDynamicMemory} {version} {Hash(code)}\n{code}");
            File.Move(temporary, path, overwrite: true); // whole entries only, whoever reads at the same time
            Interlocked.Increment(ref writes);
            Prune(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void Prune(string directory)
    {
        var entries = new DirectoryInfo(directory).GetFiles();
        if (entries.Length <= MaxEntries) return;
        foreach (var old in entries.OrderBy(f => f.LastWriteTimeUtc).Take(entries.Length - MaxEntries)) old.Delete();
    }

    // ILGPU 1.5.3 keeps the PTX kernel's constructor, a compiled kernel's entry point and the
    // context's type information internal; the package version is pinned, and a change here turns
    // the cache off (every kernel compiled) rather than loading code it cannot describe.
    private static readonly ConstructorInfo? PtxKernel = typeof(PTXCompiledKernel).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic,
        [typeof(Context), typeof(EntryPoint), typeof(CompiledKernel.KernelInfo), typeof(string)]);

    private static readonly PropertyInfo? EntryPointOf = typeof(CompiledKernel).GetProperty("EntryPoint", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly PropertyInfo? TypeContext = typeof(Context).GetProperty("TypeContext", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Implementation fields a view, as ILGPU's OpenCL code generator lays them out.</summary>
    private const int ViewFields = 2;
}
