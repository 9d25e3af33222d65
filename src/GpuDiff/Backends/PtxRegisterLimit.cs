using System.Globalization;
using System.Text.RegularExpressions;

namespace GpuDiff.Backends;

/// <summary>
/// A limit on the registers a thread of each CUDA kernel may take (PTX's <c>.maxnreg</c>), set by
/// <c>GPUDIFF_PTX_MAXNREG</c> to compare on a card; none by default.
/// </summary>
/// <remarks>
/// The arm's Jacobian kernel took 89 registers a thread on the H100 (Nsight Compute), which leaves
/// 28 % occupancy, and its multiprocessors were 57 % busy: a kernel bound by the latency of its
/// software sines rather than by the FP64 units. A lower limit buys occupancy with spills to local
/// memory; whether that pays is a measurement, so the limit is a setting before it is a default.
/// The directive changes where values live, never an operation, so the bits stay the host's.
/// </remarks>
internal static partial class PtxRegisterLimit
{
    /// <summary>The environment variable that sets the limit for every CUDA kernel.</summary>
    public const string EnvironmentVariable = "GPUDIFF_PTX_MAXNREG";

    /// <summary>The fewest and most registers the limit may name: PTX's range for <c>.maxnreg</c> that still leaves a kernel room to run.</summary>
    public const int Fewest = 24, Most = 255;

    /// <summary>The limit the environment asks for, or null; an ArgumentException naming the valid range otherwise.</summary>
    public static int? Asked()
    {
        string? set = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(set)) return null;
        if (int.TryParse(set.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit is >= Fewest and <= Most) return limit;
        throw new ArgumentException($"{EnvironmentVariable}={set}: give a whole number of registers from {Fewest} to {Most}, or leave it unset for the compiler's choice.");
    }

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

    [GeneratedRegex(@"(?<head>\.entry\s+[A-Za-z_$][\w$]*\s*\([^)]*\))\s*\{")]
    private static partial Regex EntryHead();
}
