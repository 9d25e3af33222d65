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
}
