namespace GpuDiff.Streaming;

/// <summary>
/// A result sink that can survive an interrupted sweep: it records, at batch boundaries, how many
/// complete points it holds, and a later sweep with the same <see cref="SweepFingerprint"/> and
/// <c>resume: true</c> continues after them.
/// </summary>
public interface IResumableResultSink : IResultSink
{
    /// <summary>
    /// Called once before the first block. With <paramref name="resume"/>, returns how many complete
    /// points a previous, interrupted sweep with the same fingerprint left (0 when there is none);
    /// the sweep then starts at that point. A record from a different sweep is an
    /// <see cref="InvalidDataException"/> naming both. Without it, starts afresh and returns 0.
    /// </summary>
    ValueTask<long> BeginAsync(SweepFingerprint fingerprint, bool resume, CancellationToken cancellationToken);
}

/// <summary>What identifies a sweep for resuming: the same fingerprint means the same results, point by point.</summary>
/// <param name="Kind">What is computed.</param>
/// <param name="Model">The model type's full name.</param>
/// <param name="Inputs">n.</param>
/// <param name="Outputs">m.</param>
/// <param name="PointStride">Result doubles per point.</param>
/// <param name="ParametersHash">A hash of the parameters' bits (FNV-1a, 64 bits).</param>
/// <param name="SourceCount">How many points the source says it has, when it knows.</param>
/// <param name="FirstPoint">Where a <see cref="PointSourceSlice"/> starts in its whole sweep (a shard); 0 otherwise.</param>
public sealed record SweepFingerprint(string Kind, string Model, int Inputs, int Outputs, long PointStride, ulong ParametersHash, long? SourceCount, long FirstPoint = 0)
{
    /// <summary>One line of text: what a progress record stores and compares.</summary>
    public override string ToString() =>
        $"kind={Kind} model={Model} inputs={Inputs} outputs={Outputs} stride={PointStride} parameters={ParametersHash:x16} count={(SourceCount is long c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")}" +
        // Only shards say where they start, so records written before shards existed still match.
        (FirstPoint == 0 ? "" : FormattableString.Invariant($" first={FirstPoint}"));

    /// <summary>FNV-1a over the parameters' bits.</summary>
    public static ulong Hash(ReadOnlySpan<double> parameters)
    {
        ulong h = 14695981039346656037UL;
        foreach (double p in parameters)
        {
            ulong bits = (ulong)BitConverter.DoubleToInt64Bits(p);
            for (int b = 0; b < 8; b++)
            {
                h ^= (bits >> (8 * b)) & 0xFF;
                h *= 1099511628211UL;
            }
        }
        return h;
    }
}
