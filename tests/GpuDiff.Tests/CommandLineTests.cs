using System.Diagnostics;

namespace GpuDiff.Tests;

/// <summary>The gpudiff command line as scripts use it: exit codes, one-line errors, interrupted and resumed sweeps.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--points 0", "--points must be at least 1, not 0.")]
    [InlineData("sweep --singular-below NaN", "--singular-below must be a finite number >= 0, not NaN.")]
    [InlineData("verify --points 2000000000", "--points must be between 1 and 1,000,000, not 2000000000.")]
    [InlineData("--bogus", "Unrecognized command or argument '--bogus'. (see gpudiff --help)")]
    [InlineData("sweep --points many", "Cannot parse argument 'many' for option '--points' as a whole number. (see gpudiff --help)")]
    [InlineData("--backend gpu", "Unknown --backend value 'gpu'. Valid names: cuda, opencl, host, cpu-accelerator, auto.")]
    [InlineData("--resume", "--resume continues a sweep written with --out; give the same --out.")]
    [InlineData("--batch-points -3", "--batch-points must be at least 1, not -3.")]
    public void BadUsageIsOneLineAndExitCode2(string arguments, string message)
    {
        var (code, stdout, stderr) = GpudiffProcess.Run(arguments.Split(' '));
        Assert.Equal(2, code);
        Assert.Equal($"gpudiff: {message}", stderr.Trim());
        Assert.DoesNotContain("System.", stderr + stdout);
        Assert.DoesNotContain("Usage:", stderr + stdout); // a pointer to --help, not the help itself
    }

    [Fact]
    public void HelpNamesTheToolAndItsExitCodes()
    {
        var (code, stdout, _) = GpudiffProcess.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("gpudiff [command] [options]", stdout);
        Assert.Contains("2 bad usage or bad input", stdout);
        foreach (string command in new[] { "sweep", "verify", "bench", "devices", "check", "value", "jacobian", "gradient", "hessian", "jvp", "hvp", "vjp", "merge" })
            Assert.Contains("Example: gpudiff " + command, GpudiffProcess.Run(command, "--help").Out);
    }

    [Fact]
    public void VerifyExitsZeroWhenTheBitsAgree()
    {
        var (code, stdout, stderr) = GpudiffProcess.Run("verify", "--backend", "cpu-accelerator", "--points", "16", "--seed", "5");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("all identical to the host backend", stdout);
        Assert.DoesNotContain("DIFFERS", stdout);
    }

    [Fact]
    public void ASweepKilledMidwayResumesToTheSameBytes()
    {
        string dir = Directory.CreateTempSubdirectory("gpudiff-resume-").FullName;
        try
        {
            string[] common = ["sweep", "--points", "600000", "--batch-points", "20000", "--seed", "9", "--backend", "host"];
            string whole = Path.Combine(dir, "whole.bin"), resumed = Path.Combine(dir, "resumed.bin");
            var (code, stdout, stderr) = GpudiffProcess.Run([.. common, "--out", whole]);
            Assert.True(code == 0, stdout + stderr);

            // SIGKILL once the record counts a few batches: no chance to clean up or finish a write.
            using (var child = GpudiffProcess.Start([.. common, "--out", resumed]))
            {
                long recorded = WaitForRecord(resumed + ".partial.progress", 60_000, child);
                child.Kill();
                child.WaitForExit();
                Assert.True(recorded < 600_000, "the sweep finished before it could be killed");
            }
            Assert.False(File.Exists(resumed), "a killed sweep left a complete-looking file");
            Assert.True(File.Exists(resumed + ".partial"));

            (code, stdout, stderr) = GpudiffProcess.Run([.. common, "--out", resumed, "--resume"]);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("resumed at", stdout);
            Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
            Assert.False(File.Exists(resumed + ".partial.progress"));
            // The statistics cover the whole sweep, to the last digit printed.
            // The run without --out keeps everything on the device and reduces there, with the same bits.
            string resident = GpudiffProcess.Run([.. common]).Out;
            Assert.Equal(Line(resident, "manipulability sqrt"), Line(stdout, "manipulability sqrt"));
            Assert.Equal(Line(resident, "most singular"), Line(stdout, "most singular"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheSweepsHistogramCountsEveryPointTheSameOnTheDeviceAndFromTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("gpudiff-histogram-").FullName;
        try
        {
            string[] common = ["sweep", "--points", "50000", "--seed", "4", "--backend", "host", "--histogram", "6"];
            var (code, resident, stderr) = GpudiffProcess.Run(common);
            Assert.True(code == 0, resident + stderr);
            (code, var fromFile, stderr) = GpudiffProcess.Run([.. common, "--out", Path.Combine(dir, "arm.bin"), "--batch-points", "7000"]);
            Assert.True(code == 0, fromFile + stderr);
            static string[] Bars(string text) => text.Split('\n').Where(l => l.Contains(") ", StringComparison.Ordinal) && l.TrimStart().StartsWith('[')).Select(l => l.Trim()).ToArray();
            var bars = Bars(resident);
            Assert.Equal(6, bars.Length);
            Assert.Equal(bars, Bars(fromFile));
            long total = bars.Sum(b => long.Parse(b.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(50_000, total); // no manipulability of this arm reaches 12
            (code, _, stderr) = GpudiffProcess.Run("sweep", "--points", "10", "--histogram", "65");
            Assert.Equal(2, code);
            Assert.Contains("--histogram takes 1 to 64 bins, not 65.", stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task CtrlCStopsAtABatchBoundaryWithExitCode130AndSaysHowToResume()
    {
        string dir = Directory.CreateTempSubdirectory("gpudiff-sigint-").FullName;
        try
        {
            string[] common = ["sweep", "--points", "2000000", "--batch-points", "20000", "--seed", "3", "--backend", "host"];
            string file = Path.Combine(dir, "arm.bin");
            using var child = GpudiffProcess.Start([.. common, "--out", file]);
            var stderr = child.StandardError.ReadToEndAsync();
            _ = child.StandardOutput.ReadToEndAsync();
            WaitForRecord(file + ".partial.progress", 60_000, child);
            using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(child.WaitForExit(TimeSpan.FromMinutes(1)), "gpudiff did not stop after SIGINT");
            Assert.Equal(130, child.ExitCode);
            Assert.Contains("Run the same command with --resume to continue.", await stderr);
            long recorded = ReadRecord(file + ".partial.progress");
            Assert.Equal(recorded * 18 * 8, new FileInfo(file + ".partial").Length);
            var (code, stdout, err) = GpudiffProcess.Run([.. common, "--out", file, "--resume"]);
            Assert.True(code == 0, stdout + err);
            Assert.Equal(2_000_000L * 18 * 8, new FileInfo(file).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BenchWritesItsRowsAsJson()
    {
        string file = Path.Combine(Path.GetTempPath(), $"gpudiff-bench-{Guid.NewGuid():N}.json");
        try
        {
            // One row keeps it short; the keys are what dashboards read.
            var (code, stdout, stderr) = GpudiffProcess.Run(new Dictionary<string, string?> { ["GPUDIFF_BENCH_ONLY"] = "W1 " },
                "bench", "--backend", "host", "--json", file);
            Assert.True(code == 0, stdout + stderr);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            var row = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("host", row.GetProperty("backend").GetString());
            Assert.Equal("W1", row.GetProperty("workload").GetString());
            Assert.Equal(1_000_000, row.GetProperty("points").GetInt32());
            foreach (string key in new[] { "gpudiff_pps", "analytic_pps", "floor_pps", "dense_dual_pps", "resident_pps" })
                Assert.True(row.GetProperty(key).GetDouble() > 0, key);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static long WaitForRecord(string record, int timeoutMs, Process child)
    {
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < timeoutMs)
        {
            if (child.HasExited) Assert.Fail($"gpudiff exited ({child.ExitCode}) before recording a batch");
            try
            {
                long points = ReadRecord(record);
                if (points >= 60_000) return points;
            }
            catch (IOException) { } // not written yet, or being renamed
            Thread.Sleep(20);
        }
        Assert.Fail($"no progress record at {record} after {timeoutMs} ms");
        return 0;
    }

    private static long ReadRecord(string record)
    {
        foreach (string line in File.ReadAllLines(record))
            if (line.StartsWith("points=", StringComparison.Ordinal)) return long.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
        throw new IOException("no points line yet");
    }

    private static string Line(string text, string containing) => text.Split('\n').Single(l => l.Contains(containing, StringComparison.Ordinal));
}

/// <summary>verify's verdict (exit code 1 on any difference) rests on this comparison; it must see one ulp and the sign of zero.</summary>
public sealed class VerifyComparisonTests
{
    [Fact]
    public void FirstDifferenceSeesOneUlpAndTheSignOfZero()
    {
        var want = new Engine.DerivativeResult(Engine.DerivativeKind.Value, 3, 1, 2, [1.0, 0.0, 2.0, 3.0, 4.0, 5.0]);
        Assert.Null(Cli.VerifyCommand.FirstDifference(want, new Engine.DerivativeResult(Engine.DerivativeKind.Value, 3, 1, 2, [1.0, 0.0, 2.0, 3.0, 4.0, 5.0]), 1));
        string? signed = Cli.VerifyCommand.FirstDifference(want, new Engine.DerivativeResult(Engine.DerivativeKind.Value, 3, 1, 2, [1.0, -0.0, 2.0, 3.0, 4.0, 5.0]), 1);
        Assert.Equal("DIFFERS at point 0, index 1: host 0, device -0 (1 ulp)", signed);
        string? ulp = Cli.VerifyCommand.FirstDifference(want, new Engine.DerivativeResult(Engine.DerivativeKind.Value, 3, 1, 2, [1.0, 0.0, 2.0, 3.0, Math.BitIncrement(4.0), 5.0]), 1);
        Assert.Equal($"DIFFERS at point 2, index 0: host 4, device {Math.BitIncrement(4.0):R} (1 ulp)", ulp);
    }
}
