using GpuDiff.Engine;

namespace GpuDiff.Tests;

/// <summary>Models that keep structs of T as locals (a 3x3 matrix of nine T fields), on every backend.</summary>
public abstract partial class ApiSuite
{
    /// <summary>Well-conditioned matrices: the identity plus entries in [-0.4, 0.4).</summary>
    private double[] Matrices(int count)
    {
        var a = Uniform(9 * count, -0.4, 0.4);
        for (int p = 0; p < count; p++) for (int d = 0; d < 3; d++) a[9 * p + 4 * d] += 1.0;
        return a;
    }

    [SkippableFact]
    public void MatrixStructLocalsGiveDeterminantInverseAndProduct()
    {
        const int count = 200;
        var a = Matrices(count);
        var model = new Matrix3Model();
        var value = Engine.Value(model, a);
        var jac = Engine.Jacobian(model, a);
        for (int p = 0; p < count; p++)
        {
            var m = a.AsSpan(9 * p, 9).ToArray();
            double A(int r, int c) => m[3 * r + c];
            double det = A(0, 0) * (A(1, 1) * A(2, 2) - A(1, 2) * A(2, 1)) - A(0, 1) * (A(1, 0) * A(2, 2) - A(1, 2) * A(2, 0))
                + A(0, 2) * (A(1, 0) * A(2, 1) - A(1, 1) * A(2, 0));
            var f = value.ForPoint(p);
            Close(det, f[0], 1e-14, $"det at {p}");
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                {
                    // A^-1 A = I, and (A A^T)[r][c] = row r . row c.
                    double identity = 0, gram = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        identity += f[1 + 3 * r + k] * A(k, c);
                        gram += A(r, k) * A(c, k);
                    }
                    Close(r == c ? 1 : 0, identity, 1e-13, $"(A^-1 A)[{r}][{c}] at {p}");
                    Close(gram, f[10 + 3 * r + c], 1e-14, $"(A A^T)[{r}][{c}] at {p}");
                    // d det / d A[r][c] is the cofactor: det times (A^-1)[c][r].
                    Close(det * f[1 + 3 * c + r], jac.ForPoint(p)[3 * r + c], 1e-12, $"d det / d A[{r}][{c}] at {p}");
                }
        }
    }

    [SkippableFact]
    public void MatrixStructLocalsAreBitIdenticalToHostOnEveryApi()
    {
        var a = Matrices(64);
        var v = Uniform(a.Length, -1, 1);
        var model = new Matrix3Model();
        AssertBitIdentical(host.Value.Value(model, a).Data, Engine.Value(model, a).Data, "Value");
        AssertBitIdentical(host.Value.Jacobian(model, a).Data, Engine.Jacobian(model, a).Data, "Jacobian");
        AssertBitIdentical(host.Value.Hessian(model, a).Data, Engine.Hessian(model, a).Data, "Hessian");
        AssertBitIdentical(host.Value.Jvp(model, a, v).Data, Engine.Jvp(model, a, v).Data, "Jvp");
        AssertBitIdentical(host.Value.Hvp(model, a, v).Data, Engine.Hvp(model, a, v).Data, "Hvp");
    }

    [SkippableFact]
    public void ManyMatrixLocalsInALoopGiveTheInverseSecondDerivativesOnEveryBackend()
    {
        // This model's Hessian killed the process with signal 11 on PoCL before GpuDiff capped its
        // work-groups (PoclCompatibility.WorkGroupLimit): it is the regression test for that crash.
        const int count = 96;
        var a = Matrices(count);
        var model = new MatrixInverseRoutesModel(1);
        var hessian = Engine.Hessian(model, a);
        AssertBitIdentical(host.Value.Hessian(model, a).Data, hessian.Data, "Hessian");
        for (int p = 0; p < count; p++)
        {
            var b = InverseByCofactors(a.AsSpan(9 * p, 9));
            var h = hessian.ForPoint(p);
            // d2 (A^-1)[u][v] / dA[i][j] dA[k][l] = B[u][i] B[j][k] B[l][v] + B[u][k] B[l][i] B[j][v], B = A^-1.
            for (int route = 0; route < 3; route++)
                for (int u = 0; u < 3; u++)
                    for (int v = 0; v < 3; v++)
                        for (int x = 0; x < 9; x++)
                            for (int y = 0; y < 9; y++)
                            {
                                int i = x / 3, j = x % 3, k = y / 3, l = y % 3;
                                double want = b[u, i] * b[j, k] * b[l, v] + b[u, k] * b[l, i] * b[j, v];
                                double got = h[((route * 9 + 3 * u + v) * 9 + x) * 9 + y];
                                Close(want, got, 1e-10, $"route {route} d2 A^-1[{u}][{v}] / dA[{i}][{j}] dA[{k}][{l}] at {p}");
                            }
        }
    }

    private static double[,] InverseByCofactors(ReadOnlySpan<double> m)
    {
        var b = new double[3, 3];
        double det = 0;
        for (int c = 0; c < 3; c++) det += m[c] * Cofactor(m, 0, c);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) b[c, r] = Cofactor(m, r, c) / det;
        return b;
    }

    private static double Cofactor(ReadOnlySpan<double> m, int r, int c)
    {
        int r0 = (r + 1) % 3, r1 = (r + 2) % 3, c0 = (c + 1) % 3, c1 = (c + 2) % 3;
        return m[3 * r0 + c0] * m[3 * r1 + c1] - m[3 * r0 + c1] * m[3 * r1 + c0];
    }
}
