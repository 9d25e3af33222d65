using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Tests;

/// <summary>
/// Device code kept on disk (<see cref="KernelCache"/>): a later engine loads it instead of
/// compiling and gets the host's bits; an entry that is not what the cache wrote is compiled over.
/// Other suites running meanwhile may use the same directory, which changes nothing for them: the
/// entries are keyed by everything that shapes the code.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void CachedKernelsGiveTheHostsBits()
    {
        Skip.If(Unavailable is not null, Unavailable);
        Skip.If(Kind is not (BackendKind.OpenCL or BackendKind.Cuda), "only PTX and OpenCL C are kept on disk");
        string directory = Path.Combine(Path.GetTempPath(), "gpudiff-kernel-cache-test-" + Guid.NewGuid().ToString("N"));
        string? before = KernelCache.Directory;
        KernelCache.Directory = directory;
        try
        {
            var brown = new BrownAlmostLinear(5);
            var arm = new PlanarArm6(); // staged on CUDA: an explicitly grouped kernel with dynamic shared memory
            var xBrown = Uniform(5 * 257, -2, 2);
            var xArm = Uniform(6 * 257, -3, 3);
            var wantBrown = host.Value.Hessian(brown, xBrown).Data;
            var wantArm = host.Value.Jacobian(arm, xArm).Data;
            long writes = KernelCache.Writes;
            using (var first = new DerivativeEngine(new EngineOptions { Backend = Kind }))
            {
                AssertBitIdentical(wantBrown, first.Hessian(brown, xBrown).Data, "Brown Hessian, compiled");
                AssertBitIdentical(wantArm, first.Jacobian(arm, xArm).Data, "arm Jacobian, compiled");
            }
            Assert.True(KernelCache.Writes - writes >= 2, $"{KernelCache.Writes - writes} entries written {Seed}");
            Assert.NotEmpty(Directory.GetFiles(directory));

            long hits = KernelCache.Hits;
            using (var second = new DerivativeEngine(new EngineOptions { Backend = Kind }))
            {
                AssertBitIdentical(wantBrown, second.Hessian(brown, xBrown).Data, "Brown Hessian, from the cache");
                AssertBitIdentical(wantArm, second.Jacobian(arm, xArm).Data, "arm Jacobian, from the cache");
            }
            Assert.True(KernelCache.Hits - hits >= 2, $"{KernelCache.Hits - hits} kernels read from the cache {Seed}");

            // Entries that are not what the cache wrote: cut short, another format, code that does not match its hash.
            var files = Directory.GetFiles(directory);
            for (int i = 0; i < files.Length; i++)
            {
                string entry = File.ReadAllText(files[i]);
                File.WriteAllText(files[i], (i % 3) switch
                {
                    0 => entry[..(entry.Length / 2)],
                    1 => "something else" + entry[entry.IndexOf('\n')..],
                    _ => entry.Replace("double", "float").Replace(".f64", ".f32"),
                });
            }
            using (var third = new DerivativeEngine(new EngineOptions { Backend = Kind }))
            {
                AssertBitIdentical(wantBrown, third.Hessian(brown, xBrown).Data, "Brown Hessian, over a damaged entry");
                AssertBitIdentical(wantArm, third.Jacobian(arm, xArm).Data, "arm Jacobian, over a damaged entry");
            }
            Assert.All(Directory.GetFiles(directory), f => Assert.StartsWith("gpudiff-kernel-cache 1\n", File.ReadAllText(f)));
        }
        finally
        {
            KernelCache.Directory = before;
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
