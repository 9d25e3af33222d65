using System.CommandLine;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Perf;

namespace GpuDiff.Cli;

/// <summary>gpudiff bench: the perf runner's throughput table (W1-W4) for every usable backend.</summary>
internal static class BenchCommand
{
    private static readonly Option<string> Backend = new("--backend") { Description = "all (every usable backend but the CPU accelerator), auto (what an engine picks by default: on a CPU-only machine with PoCL, the host with long-running kernels moved to PoCL), or one of cuda, opencl, host, cpu-accelerator", DefaultValueFactory = _ => "all" };
    private static readonly Option<long?> Batch = new("--batch-points") { Description = "At most this many points per batch (every call, the ones on device arrays too); to see what the batch size costs" };
    private static readonly Option<int?> Width = new("--chunk-width") { Description = "Columns a thread for every row (1 to 16) instead of the automatic choice; to see what the width costs" };
    private static readonly Option<FileInfo?> Json = new("--json") { Description = "Also write the rows to this file: a JSON array of {backend, workload, points, gpudiff_pps, analytic_pps, floor_pps}" };

    public static Command Create()
    {
        var command = new Command("bench", "Throughput table W1-W4 against hand-written analytic derivatives, with the memory floor, per backend." +
            " Example: gpudiff bench --backend host --json bench.json") { Backend, Batch, Width, Json };
        command.SetAction(r => ExitCodes.Guarded(() => Run(r.GetValue(Backend) ?? "all", r.GetValue(Batch), r.GetValue(Width), r.GetValue(Json))));
        return command;
    }

    public static int Run(string backend, long? batch, int? width, FileInfo? json)
    {
        // The CPU accelerator is the slow reference path; it runs only when named.
        var kinds = backend == "all"
            ? BackendFactory.ListDevices().Where(d => d.Usable && d.Backend != BackendKind.CpuAccelerator).Select(d => d.Backend).Distinct().ToList()
            : [BackendNames.Parse(backend, "--backend")];
        var rows = new List<ThroughputTable.Measurement>();
        foreach (var kind in kinds)
        {
            using var engine = new DerivativeEngine(new EngineOptions { Backend = kind, MaxBatchPoints = batch, ChunkWidth = width });
            rows.AddRange(ThroughputTable.Print(engine, Console.Out));
            Console.WriteLine();
        }
        if (json is not null) WriteJson(json.FullName, rows);
        return 0;
    }

    /// <summary>Writes the rows to a temporary file beside <paramref name="path"/>, then renames it: a reader never sees half a file.</summary>
    private static void WriteJson(string path, List<ThroughputTable.Measurement> rows)
    {
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, System.Text.Json.JsonSerializer.Serialize(rows, options));
        File.Move(temporary, path, overwrite: true);
        Console.WriteLine($"rows written to {path}");
    }
}
