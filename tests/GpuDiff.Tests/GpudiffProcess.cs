using System.Diagnostics;

namespace GpuDiff.Tests;

/// <summary>Runs the built gpudiff command line as a child process, as a user or a script does.</summary>
internal static class GpudiffProcess
{
    /// <summary>GpuDiff.Cli.dll of the same configuration as this test assembly (dotnet test builds the whole solution).</summary>
    public static string Dll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/GpuDiff.Tests/bin/<config>/<tfm>/
            string tfm = here.Name, config = here.Parent!.Name;
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "GpuDiff.sln"))) root = root.Parent;
            Assert.True(root is not null, $"no GpuDiff.sln above {AppContext.BaseDirectory}");
            string dll = Path.Combine(root!.FullName, "src", "GpuDiff.Cli", "bin", config, tfm, "GpuDiff.Cli.dll");
            Assert.True(File.Exists(dll), $"{dll} is not built");
            return dll;
        }
    }

    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["GPUDIFF_BACKEND"] = null;
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Runs to the end (at most two minutes): exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"gpudiff {string.Join(' ', args)} did not finish in two minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
