using System.Globalization;
using GpuDiff.ModelLanguage;
using nietras.SeparatedValues;
using Parquet;

namespace GpuDiff.Cli;

/// <summary>
/// --points FILE (and --directions, --cotangents): CSV with a header naming the columns (other
/// columns are ignored), NPY float64 [points, columns] (or a structured array with the columns'
/// names), Parquet with one double column per name. The columns are the model's inputs, or for
/// cotangents its outputs. Errors name the file, and the row or point and the column.
/// </summary>
internal static class PointFiles
{
    /// <summary>The columns a file must hold: their names, and what they are ("inputs", "outputs").</summary>
    public sealed record ColumnSet(IReadOnlyList<string> Names, string What);

    public static double[] Read(string path, TextModel model, string option = "--points") => Read(path, new ColumnSet(model.InputNames, "inputs"), option);

    public static double[] Read(string path, ColumnSet model, string option)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{option} {path}: no such file");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => Csv(path, model),
            ".npy" => NpyPoints(path, model),
            ".parquet" => Parquet(path, model).GetAwaiter().GetResult(),
            var e => throw new ArgumentException($"{option} {path}: the format comes from the extension; use .csv, .npy or .parquet, not '{e}'"),
        };
    }

    private static int[] Columns(string path, IReadOnlyList<string> header, ColumnSet model) => model.Names.Select(name =>
    {
        int i = header.ToList().IndexOf(name);
        return i >= 0 ? i : throw new InvalidDataException($"{path}: no column '{name}' (the model's {model.What} are {string.Join(", ", model.Names)}; the file has {string.Join(", ", header)})");
    }).ToArray();

    private static double[] Csv(string path, ColumnSet model)
    {
        using var reader = Sep.New(',').Reader().FromFile(path);
        var columns = Columns(path, reader.Header.ColNames, model);
        var points = new List<double>();
        foreach (var row in reader)
            foreach (var (c, name) in columns.Zip(model.Names))
            {
                var text = row[c].Span;
                // .NET's parser rounds correctly: the file's text means the same double everywhere.
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new InvalidDataException($"{path}: line {row.LineNumberFrom}, column '{name}': '{text}' is not a finite number");
                points.Add(v);
            }
        if (points.Count == 0) throw new InvalidDataException($"{path}: no points (only a header)");
        return points.ToArray();
    }

    private static double[] NpyPoints(string path, ColumnSet model)
    {
        var (rows, columns, names, data) = Npy.Read(path);
        int n = model.Names.Count;
        double[] points;
        if (names is not null)
        {
            var index = Columns(path, names, model);
            points = new double[rows * n];
            for (long p = 0; p < rows; p++)
                for (int i = 0; i < n; i++) points[p * n + i] = data[p * columns + index[i]];
        }
        else
        {
            if (columns != n) throw new InvalidDataException($"{path}: {columns} column{(columns == 1 ? "" : "s")}, but the model has {n} {model.What} ({string.Join(", ", model.Names)})");
            points = data;
        }
        CheckFinite(path, points, n, model);
        return points;
    }

    private static async Task<double[]> Parquet(string path, ColumnSet model)
    {
        using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var index = Columns(path, fields.Select(f => f.Name).ToList(), model);
        int n = model.Names.Count;
        var points = new List<double>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var columns = new double[n][];
            for (int i = 0; i < n; i++)
            {
                var field = fields[index[i]];
                if (field.ClrType != typeof(double) || field.IsNullable)
                    throw new InvalidDataException($"{path}: column '{field.Name}' is {(field.IsNullable ? "nullable " : "")}{field.ClrType.Name}; a non-nullable double column is needed");
                columns[i] = new double[group.RowCount];
                await group.ReadAsync<double>(field, columns[i], null, CancellationToken.None);
            }
            for (long r = 0; r < group.RowCount; r++)
                for (int i = 0; i < n; i++) points.Add(columns[i][r]);
        }
        var result = points.ToArray();
        CheckFinite(path, result, n, model);
        return result;
    }

    private static void CheckFinite(string path, double[] points, int n, ColumnSet model)
    {
        if (points.Length == 0) throw new InvalidDataException($"{path}: no points");
        for (long k = 0; k < points.LongLength; k++)
            if (!double.IsFinite(points[k]))
                throw new InvalidDataException($"{path}: point {k / n} (0-based), {model.What.TrimEnd('s')} '{model.Names[(int)(k % n)]}': {points[k]} is not finite");
    }
}
