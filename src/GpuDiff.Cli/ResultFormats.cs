using System.Globalization;
using System.Text;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Cli;

/// <summary>
/// A model command's results: JSON and CSV files (written to a temporary file, then renamed, so a
/// reader never sees half a file), and the table printed when there is no --out.
/// </summary>
internal static class ResultFormats
{
    /// <summary>The shortest text that parses back to the same double; NaN and infinities as JSON strings.</summary>
    public static string Json(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture)
        : double.IsNaN(x) ? "\"NaN\"" : x > 0 ? "\"Infinity\"" : "\"-Infinity\"";

    /// <summary>The key of the derivative in JSON, and the kind's name in messages.</summary>
    public static string Key(DerivativeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Writes <paramref name="path"/> in the format its extension names.</summary>
    public static void Write(string path, TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses = null)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        ExitCodes.Require(extension is ".json" or ".csv" or ".npy" or ".parquet", $"--out {path}: the format comes from the extension; use .json, .csv, .npy or .parquet");
        string full = Path.GetFullPath(path);
        string temporary = full + ".partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var writer = ResultFileWriter.Create(extension, stream, model, derivative?.Kind, analyses?.Names ?? [], values.Points, continuing: false);
                int n = model.Inputs;
                for (long p = 0; p < values.Points; p++)
                    writer.Write(p, points.AsSpan((int)(p * n), n), values.ForPoint(p), derivative is null ? default : derivative.ForPoint(p),
                        analyses is null ? default : analyses.Rows[p]);
                writer.Finish();
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Column names: inputs, outputs, then the kind's entries (df/dx, d2f/dxdy, jvp f, hvp f/x, vjp/x).</summary>
    public static List<string> Columns(TextModel model, DerivativeKind? kind, AnalysisColumns? analyses = null)
    {
        var columns = new List<string>(model.InputNames);
        columns.AddRange(model.OutputNames);
        var x = model.InputNames;
        foreach (var f in model.OutputNames)
            switch (kind)
            {
                case DerivativeKind.Jacobian or DerivativeKind.Gradient:
                    columns.AddRange(x.Select(v => $"d{f}/d{v}"));
                    break;
                case DerivativeKind.Hessian:
                    columns.AddRange(x.SelectMany(a => x.Select(b => $"d2{f}/d{a}d{b}")));
                    break;
                case DerivativeKind.Jvp:
                    columns.Add($"jvp {f}");
                    break;
                case DerivativeKind.Hvp:
                    columns.AddRange(x.Select(v => $"hvp {f}/{v}"));
                    break;
            }
        if (kind == DerivativeKind.Vjp) columns.AddRange(x.Select(v => $"vjp/{v}"));
        if (analyses is not null) columns.AddRange(analyses.Names);
        return columns;
    }

    /// <summary>One row per point, in <see cref="Columns"/> order.</summary>
    public static IEnumerable<double[]> Rows(TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses = null)
    {
        int n = model.Inputs;
        for (long p = 0; p < values.Points; p++)
        {
            var row = new List<double>(points.AsSpan((int)(p * n), n).ToArray());
            row.AddRange(values.ForPoint(p).ToArray());
            if (derivative is not null) row.AddRange(derivative.ForPoint(p).ToArray());
            if (analyses is not null) row.AddRange(analyses.Rows[p]);
            yield return row.ToArray();
        }
    }
}
