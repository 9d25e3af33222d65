using System.CommandLine;
using System.Text.Json;

namespace GpuDiff.Cli;

/// <summary>
/// gpudiff merge OUT SHARD...: joins the --out files of gpudiff sweep --shard i/N into exactly the
/// file one run over all points writes, after checking from each FILE.shard.json that the parts
/// belong to one sweep and cover it once, completely.
/// </summary>
internal static class MergeCommand
{
    private static readonly Argument<FileInfo> Output = new("OUT") { Description = "The merged file" };
    private static readonly Argument<FileInfo[]> Shards = new("SHARD") { Description = "The shards' --out files, in any order", Arity = ArgumentArity.OneOrMore };

    public static Command Create()
    {
        var command = new Command("merge", "Joins the files of a sweep run as shards (gpudiff sweep --shard i/N --out part-i.bin) into the file one run writes." +
            " Example: gpudiff merge h.bin part-0.bin part-1.bin part-2.bin") { Output, Shards };
        command.SetAction(r => ExitCodes.Guarded(() => Run(r.GetValue(Output)!, r.GetValue(Shards)!)));
        return command;
    }

    private static int Run(FileInfo output, FileInfo[] shards)
    {
        var parts = shards.Select(Read).OrderBy(p => p.Record.Index).ToList();
        var first = parts[0].Record;
        foreach (var (file, record) in parts)
        {
            ExitCodes.Require(record.Of == first.Of && record.TotalPoints == first.TotalPoints && record.DoublesPerPoint == first.DoublesPerPoint && record.Sweep == first.Sweep,
                $"{file.Name} is shard {record.Index}/{record.Of} of \"{record.Sweep}\" ({record.TotalPoints:N0} points), but {parts[0].File.Name} is of \"{first.Sweep}\" ({first.TotalPoints:N0} points, {first.Of} shards)");
            long expected = checked(record.Points * record.DoublesPerPoint * 8);
            if (file.Length != expected)
                throw new InvalidDataException($"{file.Name} holds {file.Length:N0} bytes, but shard {record.Index}/{record.Of} of {record.Points:N0} points needs {expected:N0}");
        }
        var indices = parts.Select(p => p.Record.Index).ToList();
        var duplicated = indices.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        ExitCodes.Require(duplicated.Count == 0, $"shard {string.Join(", ", duplicated.Select(d => $"{d}/{first.Of}"))} given more than once");
        var missing = Enumerable.Range(0, first.Of).Except(indices).ToList();
        ExitCodes.Require(missing.Count == 0, $"shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(m => $"{m}/{first.Of}"))} missing; a merge needs all {first.Of}");

        string full = output.FullName, temporary = full + ".partial";
        try
        {
            using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                foreach (var (file, _) in parts)
                {
                    using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                    source.CopyTo(target);
                }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        Console.WriteLine($"merged {first.Of} shard{(first.Of == 1 ? "" : "s")}, {first.TotalPoints:N0} points of \"{first.Sweep}\", into {full}");
        return ExitCodes.Success;
    }

    private static (FileInfo File, ShardRecord Record) Read(FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"{file.FullName}: no such file");
        string path = ShardRecord.PathFor(file.FullName);
        if (!File.Exists(path)) throw new InvalidDataException($"{file.Name} has no {Path.GetFileName(path)} beside it: was it written by gpudiff sweep --shard i/N --out?");
        try
        {
            var record = JsonSerializer.Deserialize<ShardRecord>(File.ReadAllText(path), ShardRecord.Json);
            return (file, record ?? throw new InvalidDataException($"{path} is empty"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a shard record: {e.Message}");
        }
    }
}
