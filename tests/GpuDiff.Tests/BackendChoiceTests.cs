using GpuDiff.Backends;

namespace GpuDiff.Tests;

/// <summary>Tests that set GPUDIFF_BACKEND, which is process-wide: they run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class BackendChoiceTests
{
    /// <summary>Runs <paramref name="body"/>, then puts the process-wide variable back as it was.</summary>
    private static void WithVariable(string variable, Action body)
    {
        string? saved = Environment.GetEnvironmentVariable(variable);
        try
        {
            body();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    /// <summary>ILGPU's default O1 on OpenCL (O0 fails on Debug-built models there), GPUDIFF_ILGPU_OPTIMIZATION sets the level.</summary>
    [SkippableFact]
    public void OpenClKernelsCompileAtO1AndTheVariableSetsTheLevel()
    {
        string? reason = OpenCLApiTests.DeviceReason(BackendKind.OpenCL);
        Skip.If(reason is not null, reason);
        WithVariable(IlgpuOptimization.EnvironmentVariable, () =>
        {
            Environment.SetEnvironmentVariable(IlgpuOptimization.EnvironmentVariable, null);
            using (var opened = (IlgpuBackend)BackendFactory.Open(BackendKind.OpenCL))
                Assert.Equal(ILGPU.OptimizationLevel.O1, opened.Optimization);
            Environment.SetEnvironmentVariable(IlgpuOptimization.EnvironmentVariable, " 2 ");
            using (var opened = (IlgpuBackend)BackendFactory.Open(BackendKind.OpenCL))
                Assert.Equal(ILGPU.OptimizationLevel.O2, opened.Optimization);
            Environment.SetEnvironmentVariable(IlgpuOptimization.EnvironmentVariable, "fast");
            var ex = Assert.Throws<ArgumentException>(() => BackendFactory.Open(BackendKind.OpenCL));
            Assert.Contains("GPUDIFF_ILGPU_OPTIMIZATION=fast", ex.Message);
            Assert.Contains("0, 1 or 2", ex.Message);
        });
    }

    /// <summary>GPUDIFF_PTX_MAXNREG: unset is the defaults, none is no limit anywhere, a number in range is every kernel's limit, anything else an error naming the range.</summary>
    [Fact]
    public void TheRegisterLimitVariableIsReadOrRefusedWithTheRange()
    {
        WithVariable(PtxRegisterLimit.EnvironmentVariable, () =>
        {
            Environment.SetEnvironmentVariable(PtxRegisterLimit.EnvironmentVariable, null);
            Assert.Null(PtxRegisterLimit.Asked());
            Environment.SetEnvironmentVariable(PtxRegisterLimit.EnvironmentVariable, " 64 ");
            Assert.Equal(new PtxRegisterLimit.Setting(64), PtxRegisterLimit.Asked());
            Environment.SetEnvironmentVariable(PtxRegisterLimit.EnvironmentVariable, "None");
            Assert.Equal(new PtxRegisterLimit.Setting(null), PtxRegisterLimit.Asked());
            foreach (string bad in new[] { "8", "256", "-64", "64.0", "many" })
            {
                Environment.SetEnvironmentVariable(PtxRegisterLimit.EnvironmentVariable, bad);
                var ex = Assert.Throws<ArgumentException>(() => PtxRegisterLimit.Asked());
                Assert.Contains($"GPUDIFF_PTX_MAXNREG={bad}", ex.Message);
                Assert.Contains("from 24 to 255", ex.Message);
            }
        });
    }

    [Fact]
    public void TheEnvironmentVariableChoosesAutosBackend()
    {
        WithVariable(BackendNames.EnvironmentVariable, () =>
        {
            Environment.SetEnvironmentVariable(BackendNames.EnvironmentVariable, "host");
            Assert.Equal(BackendKind.Host, BackendFactory.Resolve(BackendKind.Auto));
            Environment.SetEnvironmentVariable(BackendNames.EnvironmentVariable, " CPU-Accelerator ");
            Assert.Equal(BackendKind.CpuAccelerator, BackendFactory.Resolve(BackendKind.Auto));
            // An explicit choice wins over the variable.
            Assert.Equal(BackendKind.Host, BackendFactory.Resolve(BackendKind.Host));
            Environment.SetEnvironmentVariable(BackendNames.EnvironmentVariable, "gpu");
            var ex = Assert.Throws<ArgumentException>(() => BackendFactory.Resolve(BackendKind.Auto));
            Assert.Contains("'gpu'", ex.Message);
            Assert.Contains("cuda, opencl, host, cpu-accelerator", ex.Message);
        });
    }

    [Fact]
    public void AutoTakesTheFirstUsableGpuAndPassesOverOpenClOnTheCpu()
    {
        WithVariable(BackendNames.EnvironmentVariable, () =>
        {
            Environment.SetEnvironmentVariable(BackendNames.EnvironmentVariable, null);
            var devices = BackendFactory.ListDevices();
            var want = devices.Where(d => d.Usable && d.AutoCandidate).Select(d => d.Backend).DefaultIfEmpty(BackendKind.Host).First();
            Assert.Equal(want, BackendFactory.Resolve(BackendKind.Auto));
            foreach (var d in devices.Where(d => d.Backend == BackendKind.OpenCL && d.Usable && !d.AutoCandidate))
                Assert.Contains("a CPU", d.Reason);
            // On a machine with no CUDA device, PoCL (a CPU) is passed over for the host, which moves
            // its long-running kernels there; the description says so.
            if (devices.All(d => d.Backend != BackendKind.Cuda || !d.Usable) && devices.Where(d => d.Backend == BackendKind.OpenCL && d.Usable).All(d => !d.AutoCandidate))
            {
                Assert.Equal(BackendKind.Host, BackendFactory.Resolve(BackendKind.Auto));
                bool pocl = devices.Any(d => d.Backend == BackendKind.OpenCL && d.Usable);
                Assert.Equal(pocl, BackendFactory.DescribeAuto().Contains("moving a kernel to PoCL"));
                Assert.StartsWith("host", BackendFactory.DescribeAuto());
            }
            Environment.SetEnvironmentVariable(BackendNames.EnvironmentVariable, "host");
            Assert.Equal("host", BackendFactory.DescribeAuto());
        });
    }

    [Fact]
    public void TheGroupSizeVariableTakesAutoOrWholeWarpsWithinTheDeviceLimit()
    {
        Assert.Null(GroupSize.Parse("auto", 1024, 32));
        Assert.Null(GroupSize.Parse("AUTO", 1024, 32));
        Assert.Equal(32, GroupSize.Parse("32", 1024, 32));
        Assert.Equal(1024, GroupSize.Parse("1024", 1024, 32));
        foreach (string bad in new[] { "0", "-64", "100", "2048", "16", "many" })
        {
            var ex = Assert.Throws<ArgumentException>(() => GroupSize.Parse(bad, 1024, 32));
            Assert.Contains($"GPUDIFF_GROUP_SIZE={bad}", ex.Message);
            Assert.Contains("multiple of the warp size (32) from 32 to 1024", ex.Message);
        }
    }
}
