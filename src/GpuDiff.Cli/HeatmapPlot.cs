using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Cli;

/// <summary>
/// --plot FILE.png: a heatmap of one column (--plot-of: a value, a derivative entry or an analysis;
/// the first output by default) over a --grid in which exactly two inputs vary, drawn with
/// ScottPlot, the first varying input across and the second up.
/// </summary>
internal static class HeatmapPlot
{
    public static void Draw(string path, string? of, TextModel model, string? grid, double[] points, List<string> columns, IEnumerable<double[]> rows)
    {
        ExitCodes.Require(Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase), $"--plot {path}: the plot is a PNG; name it .png");
        ExitCodes.Require(grid is not null, "--plot draws over a --grid; give one in which two inputs vary (e.g. --grid x=0:1:101,y=0:1:101)");
        var axes = PointsSpecification.GridAxes(model, grid!);
        var varying = Enumerable.Range(0, model.Inputs).Where(i => axes[i][2] > 1).ToArray();
        ExitCodes.Require(varying.Length == 2, $"--plot needs a --grid in which exactly two inputs vary; {varying.Length} vary in '{grid}'");
        string column = of ?? model.OutputNames[0];
        int c = columns.IndexOf(column);
        ExitCodes.Require(c >= 0, $"--plot-of '{column}' is not a column; the columns are {string.Join(", ", columns)}");
        int a = varying[0], b = varying[1];
        int na = (int)axes[a][2], nb = (int)axes[b][2];
        // Grid order: the last input varies fastest, so point p = ia * nb + ib when a < b (other inputs are fixed).
        var data = new double[nb, na];
        long p = 0;
        foreach (var row in rows)
        {
            long ia = p / nb, ib = p % nb;
            data[nb - 1 - ib, ia] = row[c]; // row 0 is drawn at the top
            p++;
        }
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(data);
        double da = na > 1 ? (axes[a][1] - axes[a][0]) / (na - 1) / 2 : 0.5, db = nb > 1 ? (axes[b][1] - axes[b][0]) / (nb - 1) / 2 : 0.5;
        heatmap.Extent = new ScottPlot.CoordinateRect(axes[a][0] - da, axes[a][1] + da, axes[b][0] - db, axes[b][1] + db);
        plot.Add.ColorBar(heatmap);
        plot.Title($"{column} of {model.Name}");
        plot.XLabel(model.InputNames[a]);
        plot.YLabel(model.InputNames[b]);
        string full = Path.GetFullPath(path), temporary = full + ".partial.png";
        plot.SavePng(temporary, 800, 600);
        File.Move(temporary, full, overwrite: true);
    }
}
