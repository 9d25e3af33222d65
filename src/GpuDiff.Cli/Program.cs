using System.CommandLine;
using System.CommandLine.Help;
using GpuDiff.Cli;

// gpudiff: the command line. Exit codes are part of its interface (README, --help):
// 0 success, 1 verify found a difference, 2 bad usage or bad input, 3 a runtime failure, 130 interrupted.
// A named root, not RootCommand: the usage line says gpudiff whatever the binary is called
// (dotnet run starts GpuDiff.Cli; the bundle and the .NET tool start gpudiff).
var root = new Command("gpudiff",
    "gpudiff: batched Jacobians and Hessians, bit-identical on every device.\n" +
    "Exit codes: 0 success, 1 verify found a difference, 2 bad usage or bad input, 3 runtime failure (device, I/O), 130 interrupted (Ctrl-C).")
{
    new HelpOption(), new VersionOption(),
};
var sweep = SweepCommand.Create();
root.Subcommands.Add(sweep);
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
foreach (var command in ModelCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(MergeCommand.Create());
// The arm sweep is also what `gpudiff` alone runs, with the same options.
foreach (var option in sweep.Options.Where(o => o.Name is not ("--kind" or "--box" or "--param"))) root.Options.Add(option);
root.SetAction((r, token) => ExitCodes.Guarded(() => SweepCommand.Run(r, token)));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line naming the problem, not the whole help.
    Console.Error.WriteLine($"gpudiff: {Plain(parsed.Errors[0].Message)} (see gpudiff --help)");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

// The parser names .NET types ("as expected type 'System.Int64'"); users know numbers.
static string Plain(string message) => System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '([^']+)'", m =>
    m.Groups[1].Value switch
    {
        var t when t.Contains("Int64") || t.Contains("Int32") => "as a whole number",
        var t when t.Contains("Double") => "as a number",
        var t when t.Contains("Boolean") => "as true or false",
        _ => "as a value of the right kind",
    });
