using System.Globalization;
using GpuDiff.ModelLanguage;
using GpuDiff.Streaming;

namespace GpuDiff.Cli;

/// <summary>
/// Where a model command's points come from: <c>--at</c> (one point each, repeatable),
/// <c>--grid x=lo:hi:n,...</c> (the Cartesian product, the last input varying fastest), or
/// <c>--random N --box x=lo:hi,...</c> with <c>--seed</c> (the library's SplitMix64 stream). Every
/// mistake names the option and what it expected.
/// </summary>
internal static class PointsSpecification
{
    /// <summary>The most points a command computes in memory (a sweep to a file streams any number).</summary>
    public const long MaxPoints = 10_000_000;

    public static double[] Points(TextModel model, string[] at, string? file, string? grid, long? random, string? box, ulong seed)
    {
        int given = (at.Length > 0 ? 1 : 0) + (file is null ? 0 : 1) + (grid is null ? 0 : 1) + (random is null ? 0 : 1);
        ExitCodes.Require(given == 1, given == 0
            ? $"give points with --at {string.Join(",", model.InputNames.Select(_ => "1"))}, --points FILE, --grid, or --random N --box"
            : "give points one way: --at, --points, --grid or --random, not several");
        if (file is not null) return PointFiles.Read(file, model);
        if (at.Length > 0) return at.SelectMany(a => Vector(a, model.Inputs, "--at", model)).ToArray();
        if (grid is not null) return Grid(model, grid);
        ExitCodes.Require(random is >= 1 and <= MaxPoints, $"--random must be between 1 and {MaxPoints:N0}, not {random}.");
        ExitCodes.Require(box is not null, $"--random needs --box {string.Join(",", model.InputNames.Select(n => n + "=lo:hi"))}");
        var ranges = Ranges(model, box!, "--box", 2);
        var points = new double[random!.Value * model.Inputs];
        Source(ranges, random.Value, seed).ReadAsync(points, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return points;
    }

    /// <summary>The random points of --random/--box as a stream, for sweeps of any size.</summary>
    public static RandomPointSource RandomSource(TextModel model, long count, string box, ulong seed) =>
        Source(Ranges(model, box, "--box", 2), count, seed);

    private static RandomPointSource Source(double[][] ranges, long count, ulong seed) =>
        new(count, seed, ranges.Select(r => r[0]).ToArray(), ranges.Select(r => r[1]).ToArray());

    /// <summary>A comma-separated vector of exactly <paramref name="count"/> finite numbers.</summary>
    public static double[] Vector(string text, int count, string option, TextModel model) => Vector(text, new PointFiles.ColumnSet(model.InputNames, "inputs"), option);

    /// <summary>One comma-separated value per named column (a model's inputs, or its outputs).</summary>
    public static double[] Vector(string text, PointFiles.ColumnSet columns, string option)
    {
        var parts = text.Split(',');
        int count = columns.Names.Count;
        string what = count == 1 ? columns.What.TrimEnd('s') : columns.What;
        ExitCodes.Require(parts.Length == count,
            $"{option} {text}: the model has {count} {what} ({string.Join(", ", columns.Names)}), found {parts.Length} value{(parts.Length == 1 ? "" : "s")}");
        return parts.Select((p, i) => Number(p, $"{option} {text}, value {i + 1}")).ToArray();
    }

    private static double Number(string text, string where)
    {
        bool ok = double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
        ExitCodes.Require(ok && double.IsFinite(v), $"{where}: '{text}' is not a finite number");
        return v;
    }

    /// <summary>Each input's (lo, hi, count) of a --grid.</summary>
    public static double[][] GridAxes(TextModel model, string grid) => Ranges(model, grid, "--grid", 3);

    private static double[] Grid(TextModel model, string grid)
    {
        var axes = GridAxes(model, grid);
        long total = 1;
        foreach (var axis in axes)
        {
            ExitCodes.Require(axis[2] >= 1 && axis[2] == Math.Floor(axis[2]), $"--grid: the count of steps must be a whole number >= 1, not {axis[2]}");
            total = checked(total * (long)axis[2]);
            ExitCodes.Require(total <= MaxPoints, $"--grid gives more than {MaxPoints:N0} points; use gpudiff sweep for more");
        }
        int n = model.Inputs;
        var points = new double[total * n];
        for (long p = 0; p < total; p++) GridPoint(axes, p, points.AsSpan((int)(p * n), n));
        return points;
    }

    /// <summary>Grid point <paramref name="p"/> (the last input varying fastest) into <paramref name="point"/>; the one formula of every grid.</summary>
    public static void GridPoint(double[][] axes, long p, Span<double> point)
    {
        long rest = p;
        for (int i = axes.Length - 1; i >= 0; i--)
        {
            long count = (long)axes[i][2], index = rest % count;
            rest /= count;
            double lo = axes[i][0], hi = axes[i][1];
            // The ends are exact: lo and hi themselves, not lo + (n-1) * step.
            point[i] = count == 1 ? lo : index == count - 1 ? hi : lo + (hi - lo) * index / (count - 1);
        }
    }

    /// <summary>The points of a --grid as a stream, for sweeps of any size; the same bits as the in-memory grid.</summary>
    public static GridPointSource GridSource(TextModel model, string grid)
    {
        var axes = GridAxes(model, grid);
        long total = 1;
        foreach (var axis in axes)
        {
            ExitCodes.Require(axis[2] >= 1 && axis[2] == Math.Floor(axis[2]), $"--grid: the count of steps must be a whole number >= 1, not {axis[2]}");
            total = checked(total * (long)axis[2]);
        }
        return new GridPointSource(axes, total);
    }

    /// <summary>name=a:b[:c] for every input, in any order; a fixed input may be given as name=v.</summary>
    private static double[][] Ranges(TextModel model, string text, string option, int fields)
    {
        var ranges = new double[model.Inputs][];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            ExitCodes.Require(eq > 0, $"{option}: '{part}' is not name=lo:hi{(fields == 3 ? ":n" : "")}");
            string name = part[..eq].Trim();
            int i = model.InputNames.ToList().IndexOf(name);
            ExitCodes.Require(i >= 0, $"{option}: the model has no input '{name}'; its inputs are {string.Join(", ", model.InputNames)}");
            ExitCodes.Require(ranges[i] is null, $"{option}: input '{name}' is given twice");
            var values = part[(eq + 1)..].Split(':');
            if (values.Length == 1)
            {
                double v = Number(values[0], $"{option} {name}");
                ranges[i] = fields == 3 ? [v, v, 1] : [v, v];
                continue;
            }
            ExitCodes.Require(values.Length == fields, $"{option}: '{part}' is not name=lo:hi{(fields == 3 ? ":n" : "")}");
            ranges[i] = values.Select((v, k) => Number(v, $"{option} {name}")).ToArray();
            ExitCodes.Require(ranges[i][0] <= ranges[i][1], $"{option} {name}: lo {ranges[i][0]} is above hi {ranges[i][1]}");
        }
        var missing = model.InputNames.Where((_, i) => ranges[i] is null).ToArray();
        ExitCodes.Require(missing.Length == 0, $"{option} names no range for {string.Join(", ", missing)}; give every input a range, or a fixed value as name=v");
        return ranges;
    }
}
