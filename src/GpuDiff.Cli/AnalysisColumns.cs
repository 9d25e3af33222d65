using GpuDiff.Analysis;
using GpuDiff.Backends;
using GpuDiff.Engine;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Cli;

/// <summary>
/// --analyse det,cond,eig,newton: per-point analyses from <see cref="PointAnalysis"/> as extra
/// named columns (and flat JSON keys of the same names). det: "det", "log|det|", "sign(det)" of a
/// square Jacobian; cond: the Jacobian's singular values "sigma1".. and "cond"; eig: each output's
/// Hessian eigenvalues "eig1 f".. (ascending) and "class f" (0 degenerate, 1 minimum, 2 maximum,
/// 3 saddle; zero means |lambda| &lt;= 1e-10 max |lambda|); newton: "newton x".. = -J^-1 f for a
/// square model, else -H^-1 grad f for a one-output model (NaN where the matrix is singular).
/// </summary>
internal sealed class AnalysisColumns
{
    private static readonly string[] Known = ["det", "cond", "eig", "newton"];

    private AnalysisColumns(List<string> names, double[][] rows) => (Names, Rows) = (names, rows);

    public List<string> Names { get; }

    /// <summary>[point][column].</summary>
    public double[][] Rows { get; }

    public static string ClassName(double code) => ((CriticalPointClass)(int)code).ToString().ToLowerInvariant();

    public static AnalysisColumns? Compute(string? requested, DerivativeEngine engine, TextModel model, double[] points, DerivativeResult values, DerivativeResult? derivative)
    {
        if (requested is null) return null;
        var wanted = requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var w in wanted)
            ExitCodes.Require(Known.Contains(w), $"--analyse {w}: the analyses are {string.Join(", ", Known)}");
        int n = model.Inputs, m = model.Outputs;
        ExitCodes.Require(n <= PointAnalysis.MaxSide && m <= PointAnalysis.MaxSide, $"--analyse takes models of at most {PointAnalysis.MaxSide} inputs and outputs");
        bool square = n == m;
        ExitCodes.Require(!wanted.Contains("det") || square, $"--analyse det needs a square Jacobian; the model has {m} outputs and {n} inputs");
        ExitCodes.Require(!wanted.Contains("newton") || square || m == 1, $"--analyse newton needs as many outputs as inputs, or one output; the model has {m} and {n}");
        DerivativeResult? jacobian = derivative?.Kind is DerivativeKind.Jacobian or DerivativeKind.Gradient ? derivative : null;
        DerivativeResult? hessian = derivative?.Kind == DerivativeKind.Hessian ? derivative : null;
        if (jacobian is null && (wanted.Contains("det") || wanted.Contains("cond") || wanted.Contains("newton")))
            jacobian = engine.Jacobian(model, points);
        if (hessian is null && (wanted.Contains("eig") || (wanted.Contains("newton") && !square)))
            hessian = engine.Hessian(model, points);

        var names = new List<string>();
        int k = Math.Min(m, n);
        foreach (var w in wanted)
            names.AddRange(w switch
            {
                "det" => ["det", "log|det|", "sign(det)"],
                "cond" => [.. Enumerable.Range(1, k).Select(i => $"sigma{i}"), "cond"],
                "eig" => model.OutputNames.SelectMany(f => Enumerable.Range(1, n).Select(i => $"eig{i} {f}").Append($"class {f}")),
                _ => model.InputNames.Select(x => $"newton {x}"),
            });
        var rows = new double[values.Points][];
        Parallel.For(0, values.Points, p =>
        {
            var row = new List<double>(names.Count);
            var j = jacobian?.ForPoint(p).ToArray();
            var h = hessian?.ForPoint(p).ToArray();
            foreach (var w in wanted)
            {
                switch (w)
                {
                    case "det":
                        var (det, sign, log) = PointAnalysis.Determinant(j!, n);
                        row.AddRange([det, log, sign]);
                        break;
                    case "cond":
                        var sigma = new double[k];
                        PointAnalysis.SingularValues(j!, m, n, sigma);
                        row.AddRange(sigma);
                        row.Add(PointAnalysis.ConditionNumber(sigma));
                        break;
                    case "eig":
                        var lambda = new double[n];
                        for (int o = 0; o < m; o++)
                        {
                            PointAnalysis.SymmetricEigenvalues(h.AsSpan(o * n * n, n * n), n, lambda);
                            row.AddRange(lambda);
                            row.Add((int)PointAnalysis.Classify(lambda));
                        }
                        break;
                    default:
                        var step = new double[n];
                        if (square) PointAnalysis.NewtonStep(j!, values.ForPoint(p), n, step);
                        else PointAnalysis.NewtonStep(h.AsSpan(0, n * n), j!, n, step);
                        row.AddRange(step);
                        break;
                }
            }
            rows[p] = row.ToArray();
        });
        return new AnalysisColumns(names, rows);
    }
}
