using static System.Math;

namespace GpuDiff.Tests;

/// <summary>Hand-derived derivatives of the test and built-in models, evaluated with System.Math (an independent libm).</summary>
public static class AnalyticReference
{
    /// <summary>d output_k / d (a, b, c) of <see cref="AllFunctions"/>.</summary>
    public static double[,] AllFunctions(double a, double b, double c)
    {
        var j = new double[24, 3];
        void Row(int k, double da, double db, double dc) { j[k, 0] = da; j[k, 1] = db; j[k, 2] = dc; }
        double ln2 = Log(2), ln10 = Log(10);
        Row(0, 0, c / (2 * Sqrt(b)), Sqrt(b));
        double cb = Cbrt(c * b), dcb = 1 / (3 * cb * cb);
        Row(1, 0, dcb * c, dcb * b);
        Row(2, c * Exp(a * c), 0, a * Exp(a * c));
        Row(3, Pow(2, c), 0, a * Pow(2, c) * ln2);
        Row(4, c * Exp(a * c), 0, a * Exp(a * c));
        Row(5, 1 / a, 1 / b, 0);
        Row(6, 0, 1 / (b * ln2), 1);
        Row(7, 0, 2 / (b * ln10), 0);
        Row(8, c / (1 + a * c), 0, a / (1 + a * c));
        Row(9, 0, c * Cos(c * b), b * Cos(c * b));
        Row(10, -Sin(a + c), 0, -Sin(a + c));
        double sec2 = 1 + Tan(a * c) * Tan(a * c);
        Row(11, c * sec2, 0, a * sec2);
        Row(12, c / Sqrt(1 - a * a), 0, Asin(a));
        Row(13, -2 * a / Sqrt(1 - a * a * a * a), 0, 0);
        double q = 1 / (1 + c * b * c * b);
        Row(14, 0, c * q, b * q);
        double xb = b - 2, r2 = xb * xb + c * c;
        Row(15, 0, -c / r2, xb / r2);
        Row(16, 0, Sinh(c), b * Cosh(c));
        Row(17, c * Sinh(a * c), 0, a * Sinh(a * c));
        double th = Tanh(c * a), s = 1 - th * th;
        Row(18, c * s, 0, a * s);
        double ash = 1 / Sqrt(c * b * c * b + 1);
        Row(19, 0, c * ash, b * ash);
        Row(20, Acosh(b), a / Sqrt(b * b - 1), 0);
        Row(21, 0.9 / (1 - 0.81 * a * a), 0, 0);
        Row(22, 3 * a * a, c * Pow(b, c - 1), Pow(b, c) * Log(b));
        double h = Sqrt(a * a + c * c);
        Row(23, a / (h * b), -h / (b * b), c / (h * b));
        return j;
    }

    /// <summary>Gradient of the extended Rosenbrock function.</summary>
    public static double[] RosenbrockGradient(double[] x)
    {
        int n = x.Length;
        var g = new double[n];
        for (int i = 0; i < n - 1; i++)
        {
            g[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            g[i + 1] += 200 * (x[i + 1] - x[i] * x[i]);
        }
        return g;
    }

    /// <summary>Hessian of the extended Rosenbrock function, row-major n x n.</summary>
    public static double[] RosenbrockHessian(double[] x)
    {
        int n = x.Length;
        var h = new double[n * n];
        for (int i = 0; i < n - 1; i++)
        {
            h[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            h[i * n + i + 1] += -400 * x[i];
            h[(i + 1) * n + i] += -400 * x[i];
            h[(i + 1) * n + i + 1] += 200;
        }
        return h;
    }

    /// <summary>Jacobian (3 x 6, row-major) of the six-link planar arm.</summary>
    public static double[] ArmJacobian(double[] q)
    {
        var theta = new double[6];
        double acc = 0;
        for (int k = 0; k < 6; k++) theta[k] = acc += q[k];
        var j = new double[18];
        for (int k = 0; k < 6; k++)
        {
            for (int i = k; i < 6; i++)
            {
                j[k] -= Sin(theta[i]);
                j[6 + k] += Cos(theta[i]);
            }
            j[12 + k] = 1;
        }
        return j;
    }

    /// <summary>Jacobian (n x n, row-major) of Brown's almost-linear function.</summary>
    public static double[] BrownJacobian(double[] x)
    {
        int n = x.Length;
        var j = new double[n * n];
        for (int i = 0; i < n - 1; i++)
            for (int k = 0; k < n; k++) j[i * n + k] = k == i ? 2 : 1;
        for (int k = 0; k < n; k++)
        {
            double p = 1;
            for (int l = 0; l < n; l++) if (l != k) p *= x[l];
            j[(n - 1) * n + k] = p;
        }
        return j;
    }
}
