namespace GpuDiff.Tests;

/// <summary>gpudiff sweep --shard i/N in separate processes, then gpudiff merge: the bytes of one run.</summary>
public sealed class ShardedSweepTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("gpudiff-shards-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    private void Ok(params string[] arguments)
    {
        var (code, stdout, stderr) = GpudiffProcess.Run(arguments);
        Assert.True(code == 0, $"gpudiff {string.Join(' ', arguments)}: {stdout}{stderr}");
    }

    [Theory]
    [InlineData(null, 4)]
    [InlineData("hessian", 3)]
    public void ShardsRunAsProcessesMergeToTheBytesOfOneRun(string? kind, int shards)
    {
        string[] sweep = kind is null
            ? ["sweep", "--points", "20011", "--seed", "7", "--backend", "host"]
            : ["sweep", WriteModel(), "--kind", kind, "--points", "20011", "--seed", "7", "--box", "q1=-3:3,q2=-3:3", "--param", "l=1.5", "--backend", "host"];
        var processes = Enumerable.Range(0, shards)
            .Select(i => GpudiffProcess.Start([.. sweep, "--shard", $"{i}/{shards}", "--out", PathOf($"part{i}.bin"), "--batch-points", "1000"]))
            .ToList();
        foreach (var p in processes)
        {
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        Ok(["merge", PathOf("merged.bin"), .. Enumerable.Range(0, shards).Reverse().Select(i => PathOf($"part{i}.bin"))]);
        Ok([.. sweep, "--out", PathOf("single.bin")]);
        Assert.Equal(File.ReadAllBytes(PathOf("single.bin")), File.ReadAllBytes(PathOf("merged.bin")));
    }

    private string WriteModel()
    {
        string path = PathOf("arm2.gd");
        File.WriteAllText(path, "input q1, q2\nparam l = 1\noutput x = cos(q1) + l * cos(q1 + q2)\noutput y = sin(q1) + l * sin(q1 + q2)\n");
        return path;
    }

    [Fact]
    public void AMergeRefusesMissingDuplicatedOrForeignShards()
    {
        for (int i = 0; i < 2; i++) Ok("sweep", "--points", "500", "--seed", "1", "--backend", "host", "--shard", $"{i}/2", "--out", PathOf($"a{i}.bin"));
        Ok("sweep", "--points", "500", "--seed", "2", "--backend", "host", "--shard", "1/2", "--out", PathOf("b1.bin"));
        Ok("sweep", "--points", "500", "--seed", "1", "--backend", "host", "--out", PathOf("plain.bin"));
        (string[] Args, string Message)[] cases =
        [
            (["merge", PathOf("m.bin"), PathOf("a0.bin")], "shard 1/2 missing; a merge needs all 2"),
            (["merge", PathOf("m.bin"), PathOf("a0.bin"), PathOf("a0.bin")], "shard 0/2 given more than once"),
            (["merge", PathOf("m.bin"), PathOf("a0.bin"), PathOf("b1.bin")], "b1.bin is shard 1/2 of \"arm seed=2\""),
            (["merge", PathOf("m.bin"), PathOf("plain.bin")], "plain.bin has no plain.bin.shard.json beside it"),
            (["sweep", "--points", "10", "--shard", "2/2", "--out", PathOf("x.bin")], "--shard 2/2: write i/N with 0 <= i < N"),
            (["sweep", "--points", "10", "--shard", "0/2"], "--shard writes one part of a sweep to --out"),
        ];
        foreach (var (args, message) in cases)
        {
            var (code, _, stderr) = GpudiffProcess.Run(args);
            Assert.True(code == 2 && stderr.Contains(message, StringComparison.Ordinal), $"{string.Join(' ', args)}: exit {code}, {stderr}");
        }
        Assert.False(File.Exists(PathOf("m.bin")));
    }
}
