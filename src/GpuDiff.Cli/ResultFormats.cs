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

    private static string Csv(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture)
        : double.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";

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
                if (extension is ".json" or ".csv")
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                    if (extension == ".json") WriteJson(writer, model, points, values, derivative, analyses);
                    else WriteCsv(writer, model, points, values, derivative, analyses);
                }
                else if (extension == ".npy")
                    Npy.WriteRecords(stream, Columns(model, derivative?.Kind, analyses), values.Points, Rows(model, points, values, derivative, analyses));
                else
                    WriteParquet(stream, model, points, values, derivative, analyses).GetAwaiter().GetResult();
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void WriteJson(TextWriter w, TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses)
    {
        static string Names(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(n => "\"" + n + "\"")) + "]";
        int n = model.Inputs, m = model.Outputs;
        w.Write($"{{\"inputs\": {Names(model.InputNames)}, \"outputs\": {Names(model.OutputNames)}, \"points\": [");
        for (long p = 0; p < values.Points; p++)
        {
            w.Write(p == 0 ? "\n  " : ",\n  ");
            w.Write("{\"x\": ");
            w.Write(Array(points.AsSpan((int)(p * n), n)));
            w.Write(", \"value\": ");
            w.Write(Array(values.ForPoint(p)));
            if (derivative is not null)
            {
                w.Write($", \"{Key(derivative.Kind)}\": ");
                var d = derivative.ForPoint(p).ToArray();
                w.Write(derivative.Kind switch
                {
                    DerivativeKind.Jacobian or DerivativeKind.Hvp => Nested(d, m, n),
                    DerivativeKind.Hessian => "[" + string.Join(", ", Enumerable.Range(0, m).Select(o => Nested(d.AsSpan(o * n * n, n * n), n, n))) + "]",
                    _ => Array(d),
                });
            }
            if (analyses is not null)
                for (int c = 0; c < analyses.Names.Count; c++) w.Write($", \"{analyses.Names[c]}\": {Json(analyses.Rows[p][c])}");
            w.Write('}');
        }
        w.Write("\n]}\n");
    }

    private static string Array(ReadOnlySpan<double> values)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < values.Length; i++) text.Append(i == 0 ? "" : ", ").Append(Json(values[i]));
        return text.Append(']').ToString();
    }

    private static string Nested(ReadOnlySpan<double> values, int rows, int columns)
    {
        var text = new StringBuilder("[");
        for (int r = 0; r < rows; r++) text.Append(r == 0 ? "" : ", ").Append(Array(values.Slice(r * columns, columns)));
        return text.Append(']').ToString();
    }

    /// <summary>Column names: inputs, outputs, then the kind's entries (df/dx, d2f/dxdy, jvp f, hvp f/x).</summary>
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

    /// <summary>One double column per CSV column, same names, one row group.</summary>
    private static async Task WriteParquet(Stream stream, TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses)
    {
        var names = Columns(model, derivative?.Kind, analyses);
        var fields = names.Select(n => new Parquet.Schema.DataField<double>(n, false)).ToArray();
        var columns = names.Select(_ => new double[values.Points]).ToArray();
        long p = 0;
        foreach (var row in Rows(model, points, values, derivative, analyses))
        {
            for (int c = 0; c < row.Length; c++) columns[c][p] = row[c];
            p++;
        }
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < fields.Length; c++)
            await group.WriteAsync<double>(fields[c], columns[c], null, null, CancellationToken.None);
    }

    private static void WriteCsv(TextWriter w, TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses)
    {
        // Names are identifiers and the derivative marks '/', ' ', so no field needs quoting.
        w.WriteLine(string.Join(",", Columns(model, derivative?.Kind, analyses)));
        foreach (var row in Rows(model, points, values, derivative, analyses)) w.WriteLine(string.Join(",", row.Select(Csv)));
    }
}
