namespace GpuDiff.Perf;

/// <summary>
/// The plain dense dual a user writes in an afternoon: a value and all n partials in an array,
/// each operation allocating its result, System.Math for the functions. One of the baselines of
/// the CPU-throughput issue; a dense dual with inline partials (no allocation) would be faster.
/// </summary>
internal readonly struct DenseDual(double value, double[] partials)
{
    public readonly double V = value;
    public readonly double[] D = partials;

    public static DenseDual Variable(double value, int i, int n)
    {
        var d = new double[n];
        d[i] = 1;
        return new(value, d);
    }

    private static DenseDual Map(DenseDual a, DenseDual b, double v, double da, double db)
    {
        var d = new double[a.D.Length];
        for (int k = 0; k < d.Length; k++) d[k] = da * a.D[k] + db * b.D[k];
        return new(v, d);
    }

    private static DenseDual Scale(DenseDual a, double v, double s)
    {
        var d = new double[a.D.Length];
        for (int k = 0; k < d.Length; k++) d[k] = s * a.D[k];
        return new(v, d);
    }

    public static DenseDual operator +(DenseDual a, DenseDual b) => Map(a, b, a.V + b.V, 1, 1);
    public static DenseDual operator -(DenseDual a, DenseDual b) => Map(a, b, a.V - b.V, 1, -1);
    public static DenseDual operator *(DenseDual a, DenseDual b) => Map(a, b, a.V * b.V, b.V, a.V);
    public static DenseDual operator +(DenseDual a, double c) => new(a.V + c, a.D);
    public static DenseDual operator -(DenseDual a, double c) => new(a.V - c, a.D);
    public static DenseDual Sin(DenseDual a) => Scale(a, Math.Sin(a.V), Math.Cos(a.V));
    public static DenseDual Cos(DenseDual a) => Scale(a, Math.Cos(a.V), -Math.Sin(a.V));
}

/// <summary>The same to second order: value, gradient and the full n x n Hessian in arrays.</summary>
internal readonly struct DenseHyperDual(double value, double[] gradient, double[] hessian)
{
    public readonly double V = value;
    public readonly double[] G = gradient, H = hessian;

    public static DenseHyperDual Variable(double value, int i, int n)
    {
        var g = new double[n];
        g[i] = 1;
        return new(value, g, new double[n * n]);
    }

    public static DenseHyperDual operator +(DenseHyperDual a, DenseHyperDual b) => Combine(a, b, a.V + b.V, 1, 1, 0);
    public static DenseHyperDual operator -(DenseHyperDual a, DenseHyperDual b) => Combine(a, b, a.V - b.V, 1, -1, 0);
    public static DenseHyperDual operator *(DenseHyperDual a, DenseHyperDual b) => Combine(a, b, a.V * b.V, b.V, a.V, 1);
    public static DenseHyperDual operator *(double c, DenseHyperDual a) => Combine(a, a, c * a.V, c, 0, 0);

    public static DenseHyperDual operator -(double c, DenseHyperDual a) => Combine(a, a, c - a.V, -1, 0, 0);

    // v, with gradient da ga + db gb and Hessian da Ha + db Hb + cross (ga gb^T + gb ga^T).
    private static DenseHyperDual Combine(DenseHyperDual a, DenseHyperDual b, double v, double da, double db, double cross)
    {
        int n = a.G.Length;
        var g = new double[n];
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            g[i] = da * a.G[i] + db * b.G[i];
            for (int k = 0; k < n; k++)
                h[i * n + k] = da * a.H[i * n + k] + db * b.H[i * n + k] + cross * (a.G[i] * b.G[k] + b.G[i] * a.G[k]);
        }
        return new(v, g, h);
    }
}

/// <summary>W1-W4 written on the dense duals, each writing what the analytic baseline writes.</summary>
internal static class DenseDualBaselines
{
    public static void SeedJacobian(double[] x, double[] j, long p)
    {
        var a = DenseDual.Variable(x[2 * p], 0, 2);
        var b = DenseDual.Variable(x[2 * p + 1], 1, 2);
        var f1 = a * a + b;
        var f2 = a * b;
        f1.D.CopyTo(j, 4 * p);
        f2.D.CopyTo(j, 4 * p + 2);
    }

    public static void RosenbrockGradientHessian(double[] x, double[] g, double[] h, int n, long p)
    {
        var xs = new DenseHyperDual[n];
        for (int i = 0; i < n; i++) xs[i] = DenseHyperDual.Variable(x[p * n + i], i, n);
        DenseHyperDual Term(int i)
        {
            var a = xs[i + 1] - xs[i] * xs[i];
            var b = 1.0 - xs[i];
            return 100.0 * (a * a) + b * b;
        }
        var sum = Term(0);
        for (int i = 1; i < n - 1; i++) sum = sum + Term(i);
        sum.G.CopyTo(g, p * n);
        sum.H.CopyTo(h, p * n * n);
    }

    public static void ArmJacobian(double[] q, double[] j, long p)
    {
        var angle = DenseDual.Variable(q[6 * p], 0, 6);
        DenseDual x = DenseDual.Cos(angle), y = DenseDual.Sin(angle);
        for (int k = 1; k < 6; k++)
        {
            angle = angle + DenseDual.Variable(q[6 * p + k], k, 6);
            x = x + DenseDual.Cos(angle);
            y = y + DenseDual.Sin(angle);
        }
        x.D.CopyTo(j, 18 * p);
        y.D.CopyTo(j, 18 * p + 6);
        angle.D.CopyTo(j, 18 * p + 12);
    }

    public static void BrownJacobian(double[] x, double[] j, int n, long p)
    {
        var xs = new DenseDual[n];
        for (int i = 0; i < n; i++) xs[i] = DenseDual.Variable(x[p * n + i], i, n);
        DenseDual sum = xs[0], product = xs[0];
        for (int i = 1; i < n; i++)
        {
            sum = sum + xs[i];
            product = product * xs[i];
        }
        for (int i = 0; i < n - 1; i++) (xs[i] + sum - (n + 1.0)).D.CopyTo(j, (p * n + i) * n);
        (product - 1.0).D.CopyTo(j, (p * n + n - 1) * n);
    }
}
