using System.Globalization;
using System.Text;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Cli;

/// <summary>
/// Writes result files point by point in the format an extension names, so a file of any length is
/// written in batches (a sweep) as well as at once (a model command): JSON, CSV, NPY (the row count
/// is fixed in the header, so it is given up front) and Parquet (a row group per batch).
/// </summary>
internal abstract class ResultFileWriter
{
    protected ResultFileWriter(TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses)
    {
        Model = model;
        Kind = kind;
        Analyses = analyses;
        Columns = ResultFormats.Columns(model, kind);
        Columns.AddRange(analyses);
    }

    protected TextModel Model { get; }

    protected DerivativeKind? Kind { get; }

    protected IReadOnlyList<string> Analyses { get; }

    protected List<string> Columns { get; }

    private double[]? row;

    /// <summary>One point's flat row in <see cref="Columns"/> order, in a buffer reused by the next call.</summary>
    protected double[] Row(ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses)
    {
        row ??= new double[Columns.Count];
        x.CopyTo(row);
        value.CopyTo(row.AsSpan(x.Length));
        derivative.CopyTo(row.AsSpan(x.Length + value.Length));
        analyses.CopyTo(row.AsSpan(x.Length + value.Length + derivative.Length));
        return row;
    }

    public static readonly string[] Extensions = [".json", ".csv", ".npy", ".parquet"];

    /// <summary>
    /// A writer for <paramref name="extension"/> on <paramref name="stream"/>; with
    /// <paramref name="continuing"/> the stream already holds the head and earlier points.
    /// </summary>
    public static ResultFileWriter Create(string extension, Stream stream, TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses, long rows, bool continuing) =>
        extension switch
        {
            ".json" => new JsonWriter(stream, model, kind, analyses, continuing),
            ".csv" => new CsvWriter(stream, model, kind, analyses, continuing),
            ".npy" => new NpyWriter(stream, model, kind, analyses, rows, continuing),
            ".parquet" => continuing ? throw new InvalidOperationException("A Parquet file cannot be continued.") : new ParquetFileWriter(stream, model, kind, analyses),
            _ => throw new ArgumentException($"the format comes from the extension; use {string.Join(", ", Extensions)}"),
        };

    /// <summary>Point <paramref name="index"/> of the file (0 for the first): its inputs, values, the kind's block and the analyses.</summary>
    public abstract void Write(long index, ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses);

    /// <summary>After a batch: everything so far is in the stream (a Parquet row group is closed).</summary>
    public abstract void Flush();

    /// <summary>After the last point: the tail of the format.</summary>
    public abstract void Finish();

    protected static string Csv(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture)
        : double.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";

    private sealed class JsonWriter : ResultFileWriter
    {
        private readonly StreamWriter w;

        public JsonWriter(Stream stream, TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses, bool continuing) : base(model, kind, analyses)
        {
            w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            static string Names(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(n => "\"" + n + "\"")) + "]";
            if (!continuing) w.Write($"{{\"inputs\": {Names(model.InputNames)}, \"outputs\": {Names(model.OutputNames)}, \"points\": [");
        }

        public override void Write(long index, ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses)
        {
            int n = Model.Inputs, m = Model.Outputs;
            w.Write(index == 0 ? "\n  " : ",\n  ");
            w.Write("{\"x\": ");
            w.Write(Array(x));
            w.Write(", \"value\": ");
            w.Write(Array(value));
            if (Kind is DerivativeKind kind)
            {
                w.Write($", \"{ResultFormats.Key(kind)}\": ");
                w.Write(kind switch
                {
                    DerivativeKind.Jacobian or DerivativeKind.Hvp => Nested(derivative, m, n),
                    DerivativeKind.Hessian => Hessians(derivative, m, n),
                    _ => Array(derivative),
                });
            }
            for (int c = 0; c < analyses.Length; c++) w.Write($", \"{Analyses[c]}\": {ResultFormats.Json(analyses[c])}");
            w.Write('}');
        }

        public override void Flush() => w.Flush();

        public override void Finish()
        {
            w.Write("\n]}\n");
            w.Flush();
        }

        private static string Hessians(ReadOnlySpan<double> d, int m, int n)
        {
            var text = new StringBuilder("[");
            for (int o = 0; o < m; o++) text.Append(o == 0 ? "" : ", ").Append(Nested(d.Slice(o * n * n, n * n), n, n));
            return text.Append(']').ToString();
        }

        private static string Array(ReadOnlySpan<double> values)
        {
            var text = new StringBuilder("[");
            for (int i = 0; i < values.Length; i++) text.Append(i == 0 ? "" : ", ").Append(ResultFormats.Json(values[i]));
            return text.Append(']').ToString();
        }

        private static string Nested(ReadOnlySpan<double> values, int rows, int columns)
        {
            var text = new StringBuilder("[");
            for (int r = 0; r < rows; r++) text.Append(r == 0 ? "" : ", ").Append(Array(values.Slice(r * columns, columns)));
            return text.Append(']').ToString();
        }
    }

    private sealed class CsvWriter : ResultFileWriter
    {
        private readonly StreamWriter w;

        public CsvWriter(Stream stream, TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses, bool continuing) : base(model, kind, analyses)
        {
            w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            // Names are identifiers and the derivative marks '/', ' ', so no field needs quoting.
            if (!continuing) w.WriteLine(string.Join(",", Columns));
        }

        public override void Write(long index, ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses) =>
            w.WriteLine(string.Join(",", Row(x, value, derivative, analyses).Select(Csv)));

        public override void Flush() => w.Flush();

        public override void Finish() => w.Flush();
    }

    private sealed class NpyWriter : ResultFileWriter
    {
        private readonly Stream stream;
        private readonly byte[] scratch;

        public NpyWriter(Stream stream, TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses, long rows, bool continuing) : base(model, kind, analyses)
        {
            this.stream = stream;
            scratch = new byte[8 * Columns.Count];
            if (!continuing) Npy.WriteRecordsHeader(stream, Columns, rows);
        }

        public override void Write(long index, ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses) =>
            Npy.WriteRecord(stream, Row(x, value, derivative, analyses), scratch);

        public override void Flush() => stream.Flush();

        public override void Finish() => stream.Flush();
    }

    /// <summary>One double column per CSV column, same names, a row group per batch.</summary>
    private sealed class ParquetFileWriter : ResultFileWriter
    {
        private readonly Parquet.ParquetWriter writer;
        private readonly Parquet.Schema.DataField<double>[] fields;
        private readonly List<double>[] columns;

        public ParquetFileWriter(Stream stream, TextModel model, DerivativeKind? kind, IReadOnlyList<string> analyses) : base(model, kind, analyses)
        {
            fields = Columns.Select(n => new Parquet.Schema.DataField<double>(n, false)).ToArray();
            columns = Columns.Select(_ => new List<double>()).ToArray();
            writer = Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), stream).GetAwaiter().GetResult();
        }

        public override void Write(long index, ReadOnlySpan<double> x, ReadOnlySpan<double> value, ReadOnlySpan<double> derivative, ReadOnlySpan<double> analyses)
        {
            var row = Row(x, value, derivative, analyses);
            for (int c = 0; c < row.Length; c++) columns[c].Add(row[c]);
        }

        public override void Flush()
        {
            if (columns[0].Count == 0) return;
            using (var group = writer.CreateRowGroup())
                for (int c = 0; c < fields.Length; c++)
                    group.WriteAsync<double>(fields[c], columns[c].ToArray(), null, null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var column in columns) column.Clear();
        }

        public override void Finish()
        {
            Flush();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
