namespace GpuDiff.Tests.ModelLanguage;

/// <summary>
/// A value with its gradient and Hessian in three variables, computed with System.Math: the
/// test's own reference for random expressions, sharing no code with GpuDiff's number types.
/// </summary>
public sealed class Second
{
    public double V;
    public double[] G = new double[3];
    public double[,] H = new double[3, 3];

    public static Second Variable(int i, double v)
    {
        var s = new Second { V = v };
        s.G[i] = 1;
        return s;
    }

    public static Second Constant(double v) => new() { V = v };

    /// <summary>f(u) from f, f', f'' at u.</summary>
    public Second Chain(double f, double df, double d2f)
    {
        var r = new Second { V = f };
        for (int i = 0; i < 3; i++)
        {
            r.G[i] = df * G[i];
            for (int j = 0; j < 3; j++) r.H[i, j] = df * H[i, j] + d2f * G[i] * G[j];
        }
        return r;
    }

    public static Second operator +(Second a, Second b) => Combine(a, b, a.V + b.V, 1, 1, 0);

    public static Second operator -(Second a, Second b) => Combine(a, b, a.V - b.V, 1, -1, 0);

    public static Second operator *(Second a, Second b) => Combine(a, b, a.V * b.V, b.V, a.V, 1);

    /// <summary>f(a, b) with fa, fb and a mixed second derivative fab (fa and fb constant in their own variable).</summary>
    private static Second Combine(Second a, Second b, double f, double fa, double fb, double fab)
    {
        var r = new Second { V = f };
        for (int i = 0; i < 3; i++)
        {
            r.G[i] = fa * a.G[i] + fb * b.G[i];
            for (int j = 0; j < 3; j++)
                r.H[i, j] = fa * a.H[i, j] + fb * b.H[i, j] + fab * (a.G[i] * b.G[j] + b.G[i] * a.G[j]);
        }
        return r;
    }

    public Second Reciprocal() => Chain(1 / V, -1 / (V * V), 2 / (V * V * V));
}

/// <summary>Random expressions in x, y, z as model text and as their <see cref="Second"/> reference.</summary>
public sealed class RandomExpressions(Random random)
{
    private static readonly string[] Unary =
        ["sin", "cos", "atan", "tanh", "expsin", "sqrt1", "log2cos", "square", "cube", "neg", "powshift"];

    private static readonly string[] Binary = ["add", "sub", "mul", "div", "atan2", "hypot", "min", "if"];

    public (string Text, Func<double[], Second> Reference) Next(int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            int which = random.Next(5);
            if (which < 3)
            {
                string name = "xyz"[which].ToString();
                return (name, p => Second.Variable(which, p[which]));
            }
            double c = new[] { 0.5, 2.0, 3.0, 0.1, 1.25 }[random.Next(5)];
            return (c.ToString("R", System.Globalization.CultureInfo.InvariantCulture), _ => Second.Constant(c));
        }
        if (random.Next(2) == 0)
        {
            var (a, fa) = Next(depth - 1);
            string op = Unary[random.Next(Unary.Length)];
            return op switch
            {
                "sin" => ($"sin({a})", p => { var u = fa(p); return u.Chain(Math.Sin(u.V), Math.Cos(u.V), -Math.Sin(u.V)); }),
                "cos" => ($"cos({a})", p => { var u = fa(p); return u.Chain(Math.Cos(u.V), -Math.Sin(u.V), -Math.Cos(u.V)); }),
                "atan" => ($"atan({a})", p => { var u = fa(p); double q = 1 + u.V * u.V; return u.Chain(Math.Atan(u.V), 1 / q, -2 * u.V / (q * q)); }),
                "tanh" => ($"tanh({a})", p => { var u = fa(p); double t = Math.Tanh(u.V), s = 1 / (Math.Cosh(u.V) * Math.Cosh(u.V)); return u.Chain(t, s, -2 * t * s); }),
                "expsin" => ($"exp(sin({a}))", p => { var u = fa(p); double e = Math.Exp(Math.Sin(u.V)), c = Math.Cos(u.V), s = Math.Sin(u.V); return u.Chain(e, e * c, e * (c * c - s)); }),
                "sqrt1" => ($"sqrt(1 + ({a})^2)", p => { var u = fa(p); double r = Math.Sqrt(1 + u.V * u.V); return u.Chain(r, u.V / r, 1 / (r * r * r)); }),
                "log2cos" => ($"log(2 + cos({a}))", p => { var u = fa(p); double q = 2 + Math.Cos(u.V), s = Math.Sin(u.V), c = Math.Cos(u.V); return u.Chain(Math.Log(q), -s / q, -(c * q + s * s) / (q * q)); }),
                "square" => ($"({a})^2", p => { var u = fa(p); return u.Chain(u.V * u.V, 2 * u.V, 2); }),
                "cube" => ($"({a})^3", p => { var u = fa(p); return u.Chain(u.V * u.V * u.V, 3 * u.V * u.V, 6 * u.V); }),
                "neg" => ($"-({a})", p => { var u = fa(p); return u.Chain(-u.V, -1, 0); }),
                _ => ($"pow(1.5 + sin({a}), 2.5)", p =>
                {
                    var u = fa(p);
                    double s = Math.Sin(u.V), c = Math.Cos(u.V), q = 1.5 + s;
                    // d/du q^2.5 = 2.5 q^1.5 c; d2 = 3.75 q^0.5 c^2 - 2.5 q^1.5 s
                    return u.Chain(Math.Pow(q, 2.5), 2.5 * Math.Pow(q, 1.5) * c, 3.75 * Math.Sqrt(q) * c * c - 2.5 * Math.Pow(q, 1.5) * s);
                }),
            };
        }
        var (l, fl) = Next(depth - 1);
        var (r, fr) = Next(depth - 1);
        string bop = Binary[random.Next(Binary.Length)];
        return bop switch
        {
            "add" => ($"({l}) + ({r})", p => fl(p) + fr(p)),
            "sub" => ($"({l}) - ({r})", p => fl(p) - fr(p)),
            "mul" => ($"({l}) * ({r})", p => fl(p) * fr(p)),
            "div" => ($"({l}) / (1.5 + ({r})^2)", p => { var b = fr(p); return fl(p) * (Second.Constant(1.5) + b * b).Reciprocal(); }),
            "atan2" => ($"atan2({l}, 2 + cos({r}))", p =>
            {
                var a = fl(p);
                var b = fr(p);
                var d = b.Chain(2 + Math.Cos(b.V), -Math.Sin(b.V), -Math.Cos(b.V));
                // atan2(a, d) = atan(a / d) for d > 0; its derivatives through the quotient.
                var ratio = a * d.Reciprocal();
                return ratio.Chain(Math.Atan2(a.V, d.V), 1 / (1 + ratio.V * ratio.V), -2 * ratio.V / ((1 + ratio.V * ratio.V) * (1 + ratio.V * ratio.V)));
            }),
            "hypot" => ($"hypot(1 + ({l})^2, {r})", p =>
            {
                var a = fl(p);
                var s = Second.Constant(1) + a * a;
                var b = fr(p);
                var q = s * s + b * b;
                return q.Chain(Math.Sqrt(q.V), 0.5 / Math.Sqrt(q.V), -0.25 / (q.V * Math.Sqrt(q.V)));
            }),
            "min" => ($"min({l}, {r})", p => { var a = fl(p); var b = fr(p); return b.V < a.V ? b : a; }),
            _ => ($"if({l} > {r}, ({l}) * ({r}), ({l}) - ({r}))", p => { var a = fl(p); var b = fr(p); return a.V > b.V ? a * b : a - b; }),
        };
    }
}
