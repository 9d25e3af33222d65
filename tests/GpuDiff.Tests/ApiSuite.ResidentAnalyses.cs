using GpuDiff.Analysis;
using GpuDiff.Engine;
using GpuDiff.Kernels.Models;
using GpuDiff.Sparsity;

namespace GpuDiff.Tests;

/// <summary>
/// The spectral analyses and the Newton step on the device: against independent references
/// (matrices built with a known spectrum, the 2 x 2 closed form, the residual of the solve) and bit
/// for bit against the host's <see cref="PointAnalysis"/>.
/// </summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void DeviceEigenvaluesAreTheBuiltInSpectrumAndTheHostBits()
    {
        foreach (int n in new[] { 1, 2, 4, 7 })
        {
            const int count = 30;
            var matrices = new double[count * n * n];
            var spectra = new double[count][];
            for (int p = 0; p < count; p++)
            {
                // Q diag(lambda) Q^T with Q = I - 2 v v^T / v^T v, a reflection: the eigenvalues are lambda.
                var lambda = Uniform(n, -5, 5);
                if (p % 3 == 0) lambda = lambda.Select(Math.Abs).ToArray(); // some minima
                var v = Uniform(n, -1, 1);
                double vv = v.Sum(x => x * x);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int k = 0; k < n; k++)
                            s += ((i == k ? 1 : 0) - 2 * v[i] * v[k] / vv) * lambda[k] * ((j == k ? 1 : 0) - 2 * v[j] * v[k] / vv);
                        matrices[p * n * n + i * n + j] = s;
                    }
                for (int i = 0; i < n; i++) // exactly symmetric, as a Hessian is
                    for (int j = 0; j < i; j++) matrices[p * n * n + i * n + j] = matrices[p * n * n + j * n + i];
                spectra[p] = lambda.Order().ToArray();
            }
            using var a = Engine.Upload(matrices);
            using var e = Engine.Eigenvalues(a, n);
            var got = e.ToArray();
            var want = new double[n];
            for (int p = 0; p < count; p++)
            {
                PointAnalysis.SymmetricEigenvalues(matrices.AsSpan(p * n * n, n * n), n, want);
                double cls = (double)PointAnalysis.Classify(want);
                AssertBitIdentical([.. want, cls], got[(p * (n + 1))..((p + 1) * (n + 1))], $"eigenvalues of {n}x{n} matrix {p} against the host analysis");
                double scale = spectra[p].Max(Math.Abs);
                for (int i = 0; i < n; i++)
                    Assert.True(Math.Abs(want[i] - spectra[p][i]) <= 1e-12 * scale, $"{n}x{n} matrix {p}, eigenvalue {i}: built {spectra[p][i]:R}, got {want[i]:R} {Seed}");
                var expected = spectra[p].All(l => l > 0) ? CriticalPointClass.Minimum : spectra[p].All(l => l < 0) ? CriticalPointClass.Maximum : CriticalPointClass.Saddle;
                Assert.Equal(expected, (CriticalPointClass)(int)cls);
            }
        }
        // Rosenbrock's Hessian at its minimum (1, ..., 1) is positive definite.
        using var x = Engine.Upload(Enumerable.Repeat(1.0, 6).ToArray());
        using var h = Engine.Compute(DerivativeKind.Hessian, new Rosenbrock(6), x);
        using var rosenbrock = Engine.Eigenvalues(h, 6);
        Assert.Equal((double)CriticalPointClass.Minimum, rosenbrock.ToArray()[^1]);
    }

    [SkippableFact]
    public void DeviceSingularValuesMatchTheClosedFormAndTheHostBits()
    {
        const int count = 50;
        foreach (var (rows, columns) in new[] { (2, 2), (3, 6), (6, 3), (5, 5) })
        {
            var matrices = Uniform(count * rows * columns, -2, 2);
            using var a = Engine.Upload(matrices);
            using var sv = Engine.SingularValues(a, rows, columns);
            var got = sv.ToArray();
            int k = Math.Min(rows, columns);
            var want = new double[k];
            for (int p = 0; p < count; p++)
            {
                var m = matrices.AsSpan(p * rows * columns, rows * columns);
                PointAnalysis.SingularValues(m, rows, columns, want);
                AssertBitIdentical([.. want, PointAnalysis.ConditionNumber(want)], got[(p * (k + 1))..((p + 1) * (k + 1))], $"singular values of {rows}x{columns} matrix {p} against the host");
                double frobenius = 0;
                foreach (double v in m) frobenius += v * v;
                Assert.True(Math.Abs(want.Sum(s => s * s) - frobenius) <= 1e-12 * frobenius, $"sum of squares of {rows}x{columns} matrix {p} {Seed}");
                if (rows == 2 && columns == 2)
                {
                    double det = m[0] * m[3] - m[1] * m[2];
                    double root = Math.Sqrt(frobenius * frobenius - 4 * det * det);
                    double s1 = Math.Sqrt((frobenius + root) / 2);
                    Assert.True(Math.Abs(want[0] - s1) <= 1e-12 * s1, $"2x2 matrix {p}: closed form {s1:R}, got {want[0]:R} {Seed}");
                    Assert.True(Math.Abs(want[0] * want[1] - Math.Abs(det)) <= 1e-12 * s1 * s1, $"2x2 matrix {p}: |det| {Math.Abs(det):R} {Seed}");
                }
            }
        }
    }

    [SkippableFact]
    public void DeviceNewtonStepsSolveTheSystemWithTheHostBits()
    {
        const int n = 12, count = 60;
        var x = Uniform(n * count, 0.2, 1.4);
        using var dx = Engine.Upload(x);
        using var j = Engine.Compute(DerivativeKind.Jacobian, new BrownAlmostLinear(n), dx);
        using var f = Engine.Compute(DerivativeKind.Value, new BrownAlmostLinear(n), dx);
        using var steps = Engine.NewtonSteps(j, f, n);
        var got = steps.ToArray();
        var jh = j.ToArray();
        var fh = f.ToArray();
        var want = new double[n];
        for (int p = 0; p < count; p++)
        {
            var jp = jh.AsSpan(p * n * n, n * n);
            bool solved = PointAnalysis.NewtonStep(jp, fh.AsSpan(p * n, n), n, want);
            AssertBitIdentical(want, got[(p * n)..((p + 1) * n)], $"Newton step {p} against the host");
            if (!solved) continue;
            double norm = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                double r = fh[p * n + i], size = Math.Abs(fh[p * n + i]);
                for (int c = 0; c < n; c++)
                {
                    r += jp[i * n + c] * want[c];
                    size += Math.Abs(jp[i * n + c] * want[c]);
                }
                norm = Math.Max(norm, Math.Abs(r));
                scale = Math.Max(scale, size);
            }
            Assert.True(norm <= 1e-10 * scale, $"point {p}: |J s + f| = {norm:R} against {scale:R} {Seed}");
        }
        using var wrong = Engine.Allocate(5);
        Assert.Contains("residuals hold 5 values", Assert.Throws<ArgumentException>(() => Engine.NewtonSteps(j, wrong, n)).Message);
    }
}

/// <summary>Sparse plans on device arrays: the in-memory plan's bits, and the same refusal of points outside the pattern.</summary>
public abstract partial class ApiSuite
{
    [SkippableFact]
    public void SparsePlansOnDeviceArraysHaveTheInMemoryBits()
    {
        var bratu = Uniform(33 * 40, -1, 1);
        var rosenbrock = Uniform(9 * 40, -2, 2);
        var elements = Uniform(12 * 40, -2, 2);
        foreach (bool check in new[] { true, false })
        {
            var j = Engine.PlanSparse(SparseKind.Jacobian, new Bratu1D(33, 1.5), bratu, checkEachCall: check);
            using (var x = Engine.Upload(bratu))
            using (var r = j.Compute(x))
                AssertBitIdentical(j.Compute(bratu).Data, r.ToArray(), $"resident sparse Jacobian, check {check}");
            var h = Engine.PlanSparse(SparseKind.Hessian, new Rosenbrock(9), rosenbrock, checkEachCall: check);
            using (var x = Engine.Upload(rosenbrock))
            using (var r = h.Compute(x))
                AssertBitIdentical(h.Compute(rosenbrock).Data, r.ToArray(), $"resident sparse Hessian, check {check}");
            var sum = Engine.PlanSparse(SparseKind.ElementSum, new RosenbrockElements(12), elements, checkEachCall: check);
            using (var x = Engine.Upload(elements))
            using (var into = Engine.Allocate(40L * sum.PointStride))
            {
                sum.Compute(x, into);
                AssertBitIdentical(sum.Compute(elements).Data, into.ToArray(), $"resident element sum, check {check}");
            }
        }
        var negative = Uniform(3 * 20, -2, -0.5);
        var plan = Engine.PlanSparse(SparseKind.Jacobian, new BranchesOnSign(), negative);
        var mixed = Uniform(3 * 20, -2, -0.5);
        mixed[3 * 13] = 1.5;
        using var onDevice = Engine.Upload(mixed);
        var error = Assert.Throws<InvalidOperationException>(() => plan.Compute(onDevice));
        Assert.Contains("At point 13, the derivative of output 0 by input 1", error.Message);
    }
}
