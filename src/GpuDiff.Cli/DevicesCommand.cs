using System.CommandLine;
using GpuDiff.Backends;
using Spectre.Console;

namespace GpuDiff.Cli;

/// <summary>Lists what GpuDiff can run on here.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "Every backend and device found, with memory, and why a device is unusable. Example: gpudiff devices");
        command.SetAction(_ => ExitCodes.Guarded(Run));
        return command;
    }

    public static int Run()
    {
        var table = new Table().AddColumn("backend").AddColumn("device").AddColumn("memory").AddColumn("usable");
        foreach (var d in BackendFactory.ListDevices())
            table.AddRow(BackendNames.Name(d.Backend), Markup.Escape(d.Device),
                d.MemoryBytes > 0 ? $"{d.MemoryBytes / (1 << 20):N0} MiB" : "-",
                Markup.Escape(d.Usable ? (d.Reason.Length == 0 ? "yes" : "yes (" + d.Reason + ")") : "no: " + d.Reason));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"auto picks: [bold]{Markup.Escape(BackendFactory.DescribeAuto())}[/]");
        AnsiConsole.MarkupLine($"kernel cache: {Markup.Escape(BackendFactory.DescribeKernelCache())}");
        return 0;
    }
}
