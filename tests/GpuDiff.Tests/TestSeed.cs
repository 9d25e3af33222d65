namespace GpuDiff.Tests;

/// <summary>
/// The seed of a test's random draws: fresh each run (the clock), or <c>GPUDIFF_TEST_SEED</c>'s
/// value, so a failure's printed seed can be replayed.
/// </summary>
public static class TestSeed
{
    /// <summary>The environment variable that fixes every test's seed.</summary>
    public const string EnvironmentVariable = "GPUDIFF_TEST_SEED";

    /// <summary>A seed for one test or test class.</summary>
    public static int Fresh() =>
        int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out int fixedSeed) ? fixedSeed : Environment.TickCount;
}
