namespace GpuDiff.Engine;

/// <summary>Finds the points whose result blocks hold a NaN or an infinity, in parallel.</summary>
internal static class NonFiniteScan
{
    /// <summary>Indices (from 0) of the points among the first <paramref name="points"/> blocks of <paramref name="stride"/> doubles, in order.</summary>
    public static List<long> Points(double[] data, long points, int stride)
    {
        const long pointsPerPart = 1 << 14;
        long parts = (points + pointsPerPart - 1) / pointsPerPart;
        var found = new List<long>[parts];
        Parallel.For(0L, parts, part =>
        {
            var mine = new List<long>();
            long end = Math.Min(points, (part + 1) * pointsPerPart);
            for (long p = part * pointsPerPart; p < end; p++)
            {
                // x - x is 0 for finite x and NaN for NaN and the infinities.
                double probe = 0;
                var block = data.AsSpan((int)(p * stride), stride);
                foreach (double d in block) probe += d - d;
                if (double.IsNaN(probe)) mine.Add(p);
            }
            found[part] = mine;
        });
        return found.SelectMany(list => list).ToList();
    }
}
