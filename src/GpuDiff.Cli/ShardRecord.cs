using System.Text.Json;

namespace GpuDiff.Cli;

/// <summary>
/// What a shard's --out holds, written beside it as FILE.shard.json: shard Index of Of, its first
/// point and count, the whole sweep's points, doubles per point, and a description of the sweep
/// (model, kind, seed, box, parameters) that every shard of one sweep shares.
/// </summary>
internal sealed record ShardRecord(int Index, int Of, long FirstPoint, long Points, long TotalPoints, long DoublesPerPoint, string Sweep)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static string PathFor(string output) => output + ".shard.json";
}
