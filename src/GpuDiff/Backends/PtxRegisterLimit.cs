using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Backends;

/// <summary>
/// The registers a thread of a CUDA kernel may take (PTX's <c>.maxnreg</c>): at most
/// <see cref="FirstOrder"/> for first-order derivative kernels and device operations, no limit for
/// second-order kernels; <c>GPUDIFF_PTX_MAXNREG</c> sets one limit for every kernel, or <c>none</c>.
/// </summary>
/// <remarks>
/// The arm's Jacobian kernel took 89 registers a thread on the H100, which leaves 31 % occupancy
/// (five groups of 128 a multiprocessor), with its multiprocessors 57 % busy: bound by the latency
/// of its software sines, not by the FP64 units. At 80 the compiler found room without a spill
/// (Nsight Compute: none), six groups fit, and the arm's Jacobians ran 5-9 % faster, the sweep's
/// four stages 11 %; at 72 and 64 spills ate the gain. A Hessian by blocks of 4 ran at 0.39x under
/// a limit of 80, so second-order kernels keep the compiler's choice (perf/RESULTS.md, fourteenth
/// session). The directive changes where values live, never an operation, so the bits stay the
/// host's (`gpudiff verify --backend cuda` under every limit tried).
/// </remarks>
internal static partial class PtxRegisterLimit
{
    /// <summary>The environment variable that sets one limit for every CUDA kernel.</summary>
    public const string EnvironmentVariable = "GPUDIFF_PTX_MAXNREG";

    /// <summary>The limit on first-order kernels and device operations: six groups of 128 threads a multiprocessor.</summary>
    public const int FirstOrder = 80;

    /// <summary>The fewest and most registers the variable may name: PTX's range for <c>.maxnreg</c> that still leaves a kernel room to run.</summary>
    public const int Fewest = 24, Most = 255;

    /// <summary>What the environment asks for every kernel: null when unset (the defaults); else its limit, null inside for none.</summary>
    public static Setting? Asked()
    {
        string? set = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(set)) return null;
        if (set.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return new Setting(null);
        if (int.TryParse(set.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit is >= Fewest and <= Most) return new Setting(limit);
        throw new ArgumentException($"{EnvironmentVariable}={set}: give a whole number of registers from {Fewest} to {Most}, or none for the compiler's choice everywhere; unset, first-order kernels take at most {FirstOrder}.");
    }

    /// <summary>The limit for one kernel: <paramref name="asked"/>'s where the environment set one, else the default for its kind.</summary>
    public static int? For(MethodInfo kernel, Setting? asked) =>
        asked is { } setting ? setting.Limit
        : kernel.GetGenericArguments().Any(t => typeof(IKernelKind).IsAssignableFrom(t) && KernelPlan.IsSecondOrderKind(t)) ? null
        : FirstOrder;

    /// <summary>The PTX text with <c>.maxnreg <paramref name="limit"/></c> on every kernel entry, between its parameters and its body.</summary>
    public static string Apply(string ptx, int limit)
    {
        int entries = 0;
        string limited = EntryHead().Replace(ptx, m =>
        {
            entries++;
            return m.Groups["head"].Value + "\n.maxnreg " + limit.ToString(CultureInfo.InvariantCulture) + "\n{";
        });
        // A kernel left without the limit would be measured as if it had it.
        if (entries == 0) throw new InvalidOperationException("The PTX has no kernel entry for a register limit: ILGPU's output changed shape.");
        return limited;
    }

    /// <summary>A limit the environment set for every kernel (null: none).</summary>
    public readonly record struct Setting(int? Limit);

    [GeneratedRegex(@"(?<head>\.entry\s+[A-Za-z_$][\w$]*\s*\([^)]*\))\s*\{")]
    private static partial Regex EntryHead();
}
