using System.CommandLine;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Perf;

namespace GpuDiff.Cli;

/// <summary>gpudiff bench: the perf runner's throughput table (W1-W4) for every usable backend.</summary>
internal static class BenchCommand
{
    private static readonly Option<string> Backend = new("--backend") { Description = "all (every usable backend but the CPU accelerator), or one of cuda, opencl, host, cpu-accelerator", DefaultValueFactory = _ => "all" };

    public static Command Create()
    {
        var command = new Command("bench", "Throughput table W1-W4 against hand-written analytic derivatives, with the memory floor, per backend." +
            " Example: gpudiff bench --backend host") { Backend };
        command.SetAction(r => ExitCodes.Guarded(() => Run(r.GetValue(Backend) ?? "all")));
        return command;
    }

    public static int Run(string backend)
    {
        // The CPU accelerator is the slow reference path; it runs only when named.
        var kinds = backend == "all"
            ? BackendFactory.ListDevices().Where(d => d.Usable && d.Backend != BackendKind.CpuAccelerator).Select(d => d.Backend).Distinct().ToList()
            : [BackendNames.Parse(backend, "--backend")];
        foreach (var kind in kinds)
        {
            using var engine = new DerivativeEngine(new EngineOptions { Backend = kind });
            ThroughputTable.Print(engine, Console.Out);
            Console.WriteLine();
        }
        return 0;
    }
}
