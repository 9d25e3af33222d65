namespace GpuDiff.Perf;

/// <summary>Hand-written analytic derivatives, the baselines the host backend is measured against.</summary>
internal static class AnalyticBaselines
{
    public static void SeedJacobian(double[] x, double[] j, long p)
    {
        double a = x[2 * p], b = x[2 * p + 1];
        long o = 4 * p;
        j[o] = 2 * a; j[o + 1] = 1; j[o + 2] = b; j[o + 3] = a;
    }

    public static void RosenbrockGradientHessian(double[] x, double[] g, double[] h, int n, long p)
    {
        long xo = p * n, go = p * n, ho = p * n * n;
        for (int i = 0; i < n; i++) g[go + i] = 0;
        for (int i = 0; i < n * n; i++) h[ho + i] = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double xi = x[xo + i], xn = x[xo + i + 1], d = xn - xi * xi;
            g[go + i] += -400 * xi * d - 2 * (1 - xi);
            g[go + i + 1] += 200 * d;
            h[ho + i * n + i] += 1200 * xi * xi - 400 * xn + 2;
            h[ho + i * n + i + 1] -= 400 * xi;
            h[ho + (i + 1) * n + i] -= 400 * xi;
            h[ho + (i + 1) * n + i + 1] += 200;
        }
    }

    public static void ArmJacobian(double[] q, double[] j, long p)
    {
        Span<double> s = stackalloc double[6], c = stackalloc double[6];
        double theta = 0;
        for (int k = 0; k < 6; k++)
        {
            theta += q[6 * p + k];
            s[k] = Math.Sin(theta);
            c[k] = Math.Cos(theta);
        }
        long o = 18 * p;
        double sx = 0, sy = 0;
        for (int k = 5; k >= 0; k--)
        {
            sx += s[k];
            sy += c[k];
            j[o + k] = -sx;
            j[o + 6 + k] = sy;
            j[o + 12 + k] = 1;
        }
    }

    public static void BrownJacobian(double[] x, double[] j, int n, long p)
    {
        long xo = p * n, o = p * n * n;
        for (int i = 0; i < n - 1; i++)
            for (int k = 0; k < n; k++) j[o + i * n + k] = k == i ? 2 : 1;
        // prod_{l != k} x_l by prefix and suffix products (no division, exact at zeros).
        double prefix = 1;
        for (int k = 0; k < n; k++) { j[o + (n - 1) * n + k] = prefix; prefix *= x[xo + k]; }
        double suffix = 1;
        for (int k = n - 1; k >= 0; k--) { j[o + (n - 1) * n + k] *= suffix; suffix *= x[xo + k]; }
    }

    /// <summary>The Bratu residual's tridiagonal Jacobian, its entries in the sparse pattern's order (row by row, columns increasing).</summary>
    public static void BratuJacobian(double[] u, double[] values, int n, double lambda, long p)
    {
        double scale = (n + 1.0) * (n + 1.0);
        long x = p * n, v = p * (3L * n - 2);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) values[v++] = scale;
            values[v++] = -2.0 * scale + lambda * Math.Exp(u[x + i]);
            if (i + 1 < n) values[v++] = scale;
        }
    }
}
