using System.CommandLine;
using System.Globalization;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;
using GpuDiff.Sparsity;

namespace GpuDiff.Cli;

/// <summary>
/// gpudiff check | value | jacobian | gradient | hessian | jvp | hvp MODEL: a model-language file
/// at points given on the command line, results printed or written to --out (.json, .csv).
/// </summary>
internal static class ModelCommands
{
    private static readonly Argument<FileInfo> Model = new("MODEL") { Description = "A model-language file (README: Models as text)" };
    private static readonly Option<string[]> At = new("--at") { Description = "A point, its coordinates comma-separated in input order; repeatable" };
    private static readonly Option<string?> PointsFile = new("--points") { Description = "Points from a file: .csv with a header naming the inputs, .npy float64 [points, inputs], or .parquet with a double column per input" };
    private static readonly Option<string?> DirectionsFile = new("--directions") { Description = "jvp/hvp: one direction per point from a file, in the formats of --points" };
    private static readonly Option<string?> Grid = new("--grid") { Description = "A Cartesian grid, name=lo:hi:n per input (a fixed input as name=v), the last input varying fastest" };
    private static readonly Option<long?> RandomCount = new("--random") { Description = "This many random points in --box, from the library's SplitMix64 stream" };
    private static readonly Option<string?> Box = new("--box") { Description = "The random points' box, name=lo:hi per input (a fixed input as name=v)" };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "Seed of --random", DefaultValueFactory = _ => 1UL };
    private static readonly Option<string[]> Param = new("--param") { Description = "A parameter's value, name=v; repeatable" };
    private static readonly Option<string[]> Direction = new("--direction") { Description = "jvp/hvp: a direction, comma-separated; one for every point, or one per point in order" };
    private static readonly Option<string[]> Cotangent = new("--cotangent") { Description = "vjp: a cotangent u, one value per output, comma-separated; one for every point, or one per point in order" };
    private static readonly Option<string?> CotangentsFile = new("--cotangents") { Description = "vjp: one cotangent per point from a file with a column per output, in the formats of --points" };
    private static readonly Option<string> Backend = new("--backend") { Description = "auto, cuda, opencl, host or cpu-accelerator", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string?> Analyse = new("--analyse") { Description = "det, cond, eig, newton (comma-separated): per-point analyses as extra columns (README)" };
    private static readonly Option<bool> Sparse = new("--sparse") { Description = "jacobian/hessian: detect the sparsity pattern at the points, colour it and compute only its entries; same output, bit for bit" };
    private static readonly Option<bool> Stats = new("--stats") { Description = "Print min, mean, max and the count of non-finite values of every column, whatever the number of points" };
    private static readonly Option<FileInfo?> Plot = new("--plot") { Description = "Draw a heatmap (.png) of --plot-of over a --grid in which two inputs vary" };
    private static readonly Option<string?> PlotOf = new("--plot-of") { Description = "The column --plot draws: an output (default: the first), a derivative such as \"df/dx\", or an analysis" };
    private static readonly Option<FileInfo?> Out = new("--out") { Description = "Write the results here, format from the extension (.json, .csv, .npy, .parquet), atomically" };

    /// <summary>At most this many points are printed as a table; beyond, a summary per column.</summary>
    public const int TablePoints = 20;

    private static readonly (string Name, DerivativeKind? Kind, string Help)[] Kinds =
    [
        ("value", null, "f at each point"),
        ("jacobian", DerivativeKind.Jacobian, "f and its Jacobian [output][input] at each point"),
        ("gradient", DerivativeKind.Gradient, "f and its gradient at each point (one output)"),
        ("hessian", DerivativeKind.Hessian, "f and the Hessian of each output [output][input][input]"),
        ("jvp", DerivativeKind.Jvp, "f and J v for a direction v"),
        ("hvp", DerivativeKind.Hvp, "f and H v of each output for a direction v"),
        ("vjp", DerivativeKind.Vjp, "f and u^T J for a cotangent u (a value per output)"),
    ];

    public static IEnumerable<Command> Create()
    {
        var check = new Command("check", "Compiles a model file and prints its inputs, outputs, parameters and warnings. Example: gpudiff check pendulum.gd") { Model };
        check.SetAction(r => ExitCodes.Guarded(() => Check(r.GetValue(Model)!)));
        yield return check;
        foreach (var (name, kind, help) in Kinds)
        {
            var command = new Command(name, $"{help}, for a model file. Example: gpudiff {name} arm.gd {Example(kind)}")
            {
                Model, At, PointsFile, Grid, RandomCount, Box, Seed, Param, Backend, Analyse, Stats, Plot, PlotOf, Out,
            };
            if (kind is DerivativeKind.Jacobian or DerivativeKind.Hessian) command.Options.Add(Sparse);
            if (kind is DerivativeKind.Jvp or DerivativeKind.Hvp)
            {
                command.Options.Add(Direction);
                command.Options.Add(DirectionsFile);
            }
            if (kind is DerivativeKind.Vjp)
            {
                command.Options.Add(Cotangent);
                command.Options.Add(CotangentsFile);
            }
            command.SetAction(r => ExitCodes.Guarded(() => Run(kind, r)));
            yield return command;
        }
    }

    private static string Example(DerivativeKind? kind) => kind switch
    {
        DerivativeKind.Jvp or DerivativeKind.Hvp => "--at 0.1,0.2 --direction 1,0",
        DerivativeKind.Vjp => "--at 0.1,0.2 --cotangent 1,0",
        DerivativeKind.Hessian => "--grid q1=0:1:5,q2=0:1:5 --out h.json",
        _ => "--at 0.1,0.2 --at 0.3,0.4",
    };

    private static int Check(FileInfo file)
    {
        var model = ModelText.Load(file.FullName);
        Console.WriteLine($"{model.Name}: {model.Inputs} input{(model.Inputs == 1 ? "" : "s")}, {model.Outputs} output{(model.Outputs == 1 ? "" : "s")}");
        Console.WriteLine($"inputs: {string.Join(", ", model.InputNames)}");
        Console.WriteLine($"outputs: {string.Join(", ", model.OutputNames)}");
        if (model.ParameterNames.Count > 0)
            Console.WriteLine("parameters: " + string.Join(", ", model.ParameterNames.Select(p =>
                model.ParameterValue(p) is double v ? $"{p} = {v.ToString("R", CultureInfo.InvariantCulture)}" : $"{p} (no default: give --param {p}=...)")));
        foreach (var w in model.Warnings) Console.WriteLine(w);
        return ExitCodes.Success;
    }

    private static int Run(DerivativeKind? kind, ParseResult r)
    {
        var model = WithParameters(ModelText.Load(r.GetValue(Model)!.FullName), r.GetValue(Param) ?? []);
        foreach (var w in model.Warnings) Console.Error.WriteLine(w);
        var points = PointsSpecification.Points(model, r.GetValue(At) ?? [], r.GetValue(PointsFile), r.GetValue(Grid), r.GetValue(RandomCount), r.GetValue(Box), r.GetValue(Seed));
        long count = points.Length / model.Inputs;
        double[]? directions = kind switch
        {
            DerivativeKind.Jvp or DerivativeKind.Hvp => Vectors(new(model.InputNames, "inputs"), "--direction", "--directions", r.GetValue(Direction) ?? [], r.GetValue(DirectionsFile), count, model),
            DerivativeKind.Vjp => Vectors(new(model.OutputNames, "outputs"), "--cotangent", "--cotangents", r.GetValue(Cotangent) ?? [], r.GetValue(CotangentsFile), count, model),
            _ => null,
        };
        using var engine = new DerivativeEngine(new EngineOptions { Backend = BackendNames.Parse(r.GetValue(Backend) ?? "auto", "--backend value") });
        var (values, derivative) = ValuesAndDerivative(engine, kind, r.GetValue(Sparse), model, points, directions);
        var analyses = AnalysisColumns.Compute(r.GetValue(Analyse), engine, model, points, values, derivative);
        if (r.GetValue(Plot) is FileInfo plot)
        {
            HeatmapPlot.Draw(plot.FullName, r.GetValue(PlotOf), model, r.GetValue(Grid), points,
                ResultFormats.Columns(model, derivative?.Kind, analyses), ResultFormats.Rows(model, points, values, derivative, analyses));
            Console.WriteLine($"heatmap of {r.GetValue(PlotOf) ?? model.OutputNames[0]} drawn to {plot.FullName}");
        }
        if (r.GetValue(Out) is FileInfo file)
        {
            ResultFormats.Write(file.FullName, model, points, values, derivative, analyses);
            Console.WriteLine($"{count:N0} point{(count == 1 ? "" : "s")} on {BackendNames.Name(engine.Backend)} written to {file.FullName}");
            if (r.GetValue(Stats)) Print(model, points, values, derivative, analyses, summary: true);
        }
        else Print(model, points, values, derivative, analyses, summary: r.GetValue(Stats) || values.Points > TablePoints);
        return ExitCodes.Success;
    }

    /// <summary>
    /// f and the derivative asked for: the dense Jacobian and Hessian in one pass with the values (the
    /// kernels' primal parts), the other kinds and --sparse as two calls.
    /// </summary>
    private static (DerivativeResult Values, DerivativeResult? Derivative) ValuesAndDerivative(DerivativeEngine engine, DerivativeKind? kind,
        bool sparse, TextModel model, double[] points, double[]? directions)
    {
        if (!sparse && kind is DerivativeKind.Jacobian)
        {
            var both = engine.ValueAndJacobian(model, points);
            return (both.Values, both.Jacobian);
        }
        if (!sparse && kind is DerivativeKind.Hessian)
        {
            var all = engine.ValueGradientHessian(model, points);
            return (all.Values, all.Hessian);
        }
        long count = points.Length / model.Inputs;
        var values = engine.Value(model, points);
        return (values, kind is not DerivativeKind k ? null
            : sparse ? SparseDerivative(engine, k, model, points)
            : engine.ComputeInto(k, model, points, new double[count * DerivativeResult.PointStrideOf(k, model.Inputs, model.Outputs)], directions));
    }

    /// <summary>--sparse: the sparse kernels, written in the dense layout; the pattern's size goes to stderr.</summary>
    private static DerivativeResult SparseDerivative(DerivativeEngine engine, DerivativeKind kind, TextModel model, double[] points)
    {
        var sparse = engine.Sparse(kind == DerivativeKind.Jacobian ? SparseKind.Jacobian : SparseKind.Hessian, model, points);
        var p = sparse.Pattern;
        Console.Error.WriteLine($"sparse {kind.ToString().ToLowerInvariant()}: {p.Nonzeros} of {(long)p.Rows * p.Columns} entries can be nonzero" +
            (kind == DerivativeKind.Hessian ? " in each output's Hessian" : "") + (model.Branches ? " (detected at every point: the model branches)" : " (the same at every point)"));
        return sparse.ToDense();
    }

    /// <summary>The model with each --param name=value set.</summary>
    public static TextModel WithParameters(TextModel model, string[] parameters)
    {
        foreach (var p in parameters)
        {
            int eq = p.IndexOf('=');
            ExitCodes.Require(eq > 0, $"--param {p}: write name=value");
            bool ok = double.TryParse(p[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
            ExitCodes.Require(ok, $"--param {p}: '{p[(eq + 1)..]}' is not a number");
            model = model.WithParameter(p[..eq].Trim(), v);
        }
        return model;
    }

    /// <summary>A vector per point (directions over the inputs, cotangents over the outputs): from a file, or given once for all points or once per point.</summary>
    private static double[] Vectors(PointFiles.ColumnSet columns, string option, string fileOption, string[] given, string? file, long count, TextModel model)
    {
        int length = columns.Names.Count;
        string plural = fileOption.TrimStart('-');
        if (file is not null)
        {
            ExitCodes.Require(given.Length == 0, $"give {plural} one way: {option} or {fileOption}, not both");
            var read = PointFiles.Read(file, columns, fileOption);
            ExitCodes.Require(read.LongLength == count * length, $"{fileOption} {file}: {read.LongLength / length} {plural} for {count} points; give one per point");
            return read;
        }
        ExitCodes.Require(given.Length > 0, $"give a {option.TrimStart('-')} with {option} {string.Join(",", columns.Names.Select(_ => "1"))}");
        ExitCodes.Require(given.Length == 1 || given.Length == count, $"{option} given {given.Length} times for {count} points; give one for all, or one per point");
        var vectors = given.Select(g => PointsSpecification.Vector(g, columns, option)).ToArray();
        var all = new double[count * length];
        for (long p = 0; p < count; p++) vectors[given.Length == 1 ? 0 : p].CopyTo(all, p * length);
        return all;
    }

    private static void Print(TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative, AnalysisColumns? analyses, bool summary)
    {
        var columns = ResultFormats.Columns(model, derivative?.Kind, analyses);
        var rows = ResultFormats.Rows(model, points, values, derivative, analyses);
        string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        if (!summary)
        {
            int width = columns.Max(c => c.Length);
            long p = 0;
            foreach (var row in rows)
            {
                Console.WriteLine($"point {++p}: " + string.Join(", ", model.InputNames.Select((name, i) => $"{name} = {F(row[i])}")));
                for (int c = model.Inputs; c < columns.Count; c++)
                    Console.WriteLine($"  {columns[c].PadRight(width)}  {F(row[c])}" + (columns[c].StartsWith("class ", StringComparison.Ordinal) ? $" ({AnalysisColumns.ClassName(row[c])})" : ""));
            }
            return;
        }
        var min = Enumerable.Repeat(double.PositiveInfinity, columns.Count).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, columns.Count).ToArray();
        var sum = new double[columns.Count];
        var nonFinite = new long[columns.Count];
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++)
            {
                if (!double.IsFinite(row[c])) { nonFinite[c]++; continue; }
                min[c] = Math.Min(min[c], row[c]);
                max[c] = Math.Max(max[c], row[c]);
                sum[c] += row[c];
            }
        Console.WriteLine(values.Points > TablePoints
            ? $"{values.Points:N0} points (a table for up to {TablePoints}; use --out for every value)"
            : $"{values.Points:N0} point{(values.Points == 1 ? "" : "s")}");
        int w = columns.Max(c => c.Length);
        Console.WriteLine($"  {"column".PadRight(w)}  {"min",24} {"mean",24} {"max",24} {"not finite",10}");
        for (int c = 0; c < columns.Count; c++)
        {
            long finite = values.Points - nonFinite[c];
            string mean = finite == 0 ? "-" : F(sum[c] / finite);
            Console.WriteLine($"  {columns[c].PadRight(w)}  {(finite == 0 ? "-" : F(min[c])),24} {mean,24} {(finite == 0 ? "-" : F(max[c])),24} {nonFinite[c],10}");
        }
    }
}
