using System.Diagnostics;

namespace GpuDiff.Backends;

/// <summary>Times a transfer a few times and keeps the fastest, as bytes per second.</summary>
internal static class BandwidthProbe
{
    public static double Best(double bytes, Action transfer)
    {
        transfer(); // first touch of the pages, driver warm-up
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            transfer();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return bytes / best;
    }
}
