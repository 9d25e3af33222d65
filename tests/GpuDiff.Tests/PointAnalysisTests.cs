using System.Numerics;
using GpuDiff.Analysis;

namespace GpuDiff.Tests;

/// <summary>The per-point analyses against exact integer determinants, constructed spectra and residuals; random matrices drawn fresh, seed printed.</summary>
public sealed class PointAnalysisTests
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;

    public PointAnalysisTests() => random = new Random(seed);

    private string Seed => $"(seed {seed})";

    /// <summary>The exact determinant of an integer matrix (fraction-free Bareiss elimination).</summary>
    private static BigInteger ExactDeterminant(long[] m, int n)
    {
        var a = m.Select(v => new BigInteger(v)).ToArray();
        BigInteger previous = 1;
        int sign = 1;
        for (int k = 0; k < n - 1; k++)
        {
            if (a[k * n + k].IsZero)
            {
                int p = Enumerable.Range(k + 1, n - k - 1).FirstOrDefault(i => !a[i * n + k].IsZero, -1);
                if (p < 0) return 0;
                for (int j = 0; j < n; j++) (a[k * n + j], a[p * n + j]) = (a[p * n + j], a[k * n + j]);
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++)
                for (int j = k + 1; j < n; j++)
                    a[i * n + j] = (a[i * n + j] * a[k * n + k] - a[i * n + k] * a[k * n + j]) / previous;
            previous = a[k * n + k];
        }
        return sign * a[n * n - 1];
    }

    [Fact]
    public void DeterminantsOfIntegerMatricesMatchTheExactValue()
    {
        for (int trial = 0; trial < 400; trial++)
        {
            int n = 1 + trial % 7;
            var m = Enumerable.Range(0, n * n).Select(_ => (long)random.Next(-9, 10)).ToArray();
            var exact = ExactDeterminant(m, n);
            var (det, sign, log) = PointAnalysis.Determinant(m.Select(v => (double)v).ToArray(), n);
            // Elimination in floating point is exact for a slightly different matrix, so its
            // determinant is off by up to the rounding level of the matrix's size (Hadamard's
            // bound, times n^2 eps with room to spare), however small the exact value: a singular
            // matrix need not reach a zero pivot (a factor such as 1/3 is inexact), and a
            // determinant of 3 among entries whose bound is 10^9 keeps only a few digits.
            double bound = 1;
            for (int i = 0; i < n; i++) bound *= Math.Sqrt(Enumerable.Range(0, n).Sum(j => (double)(m[i * n + j] * m[i * n + j])));
            double rounding = 1e-13 * bound;
            if (exact.IsZero)
            {
                Assert.True(Math.Abs(det) <= rounding, $"det {det:R} of a singular matrix for n = {n} {Seed}");
                continue;
            }
            double want = (double)exact;
            Assert.True(Math.Abs(det - want) <= Math.Max(1e-12 * Math.Abs(want), rounding), $"det {det:R} vs exact {exact} for n = {n} {Seed}");
            if (rounding < Math.Abs(want))
            {
                Assert.True(sign == exact.Sign, $"sign {sign} vs exact {exact} for n = {n} {Seed}");
                // log|det| is off by the determinant's relative error.
                Assert.True(Math.Abs(log - Math.Log(Math.Abs(want))) <= Math.Max(1e-12 * Math.Max(1, Math.Abs(log)), 2 * rounding / Math.Abs(want)),
                    $"log|det| {log:R} vs {Math.Log(Math.Abs(want)):R} for n = {n} {Seed}");
            }
        }
        Assert.Equal((0.0, 0, double.NegativeInfinity), PointAnalysis.Determinant([1, 2, 2, 4], 2));
    }

    [Fact]
    public void NewtonStepsSolveTheLinearSystemOrReportSingular()
    {
        for (int trial = 0; trial < 300; trial++)
        {
            int n = 1 + trial % 8;
            var a = Enumerable.Range(0, n * n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var f = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var s = new double[n];
            Assert.True(PointAnalysis.NewtonStep(a, f, n, s), Seed);
            double scale = a.Max(Math.Abs) * s.Max(Math.Abs) + f.Max(Math.Abs);
            for (int i = 0; i < n; i++)
            {
                double r = f[i];
                for (int j = 0; j < n; j++) r += a[i * n + j] * s[j];
                double cond = 1e-9 * scale * Math.Max(1, n);
                Assert.True(Math.Abs(r) <= cond * 1e3, $"residual {r:R} at row {i}, n = {n} {Seed}");
            }
        }
        var step = new double[2];
        Assert.False(PointAnalysis.NewtonStep([1, 2, 2, 4], [1, 1], 2, step));
        Assert.All(step, v => Assert.True(double.IsNaN(v)));
    }

    /// <summary>Q diag(d) Q^T with Q a Householder reflection I - 2 u u^T / u^T u: eigenvalues d, exactly in theory.</summary>
    private double[] WithSpectrum(double[] d, out double[] q)
    {
        int n = d.Length;
        var u = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double uu = u.Sum(x => x * x);
        q = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) q[i * n + j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i * n + j] += q[i * n + k] * d[k] * q[j * n + k];
        return a;
    }

    [Fact]
    public void SymmetricEigenvaluesAreTheConstructedSpectrumAndClassifyCriticalPoints()
    {
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + trial % 8;
            var d = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 20 - 10).OrderBy(x => x).ToArray();
            var a = WithSpectrum(d, out _);
            var got = new double[n];
            PointAnalysis.SymmetricEigenvalues(a, n, got);
            double scale = d.Max(Math.Abs);
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(got[i] - d[i]) <= 1e-12 * scale * n, $"eigenvalue {i}: {got[i]:R} vs {d[i]:R}, n = {n} {Seed}");
        }
        Assert.Equal(CriticalPointClass.Minimum, PointAnalysis.Classify([1.0, 3.0]));
        Assert.Equal(CriticalPointClass.Maximum, PointAnalysis.Classify([-1.0, -3.0]));
        Assert.Equal(CriticalPointClass.Saddle, PointAnalysis.Classify([-1.0, 3.0]));
        Assert.Equal(CriticalPointClass.Degenerate, PointAnalysis.Classify([1e-14, 3.0]));
        Assert.Equal(CriticalPointClass.Degenerate, PointAnalysis.Classify([double.NaN, 3.0]));
    }

    [Fact]
    public void SingularValuesOfTallAndWideMatricesAreTheConstructedOnes()
    {
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + trial % 6, extra = trial % 3;
            // A = Q1 diag(s) Q2 restricted: take a square n x n with singular values s, then pad rows with zeros.
            var s = Enumerable.Range(0, n).Select(_ => Math.Pow(10, random.NextDouble() * 8 - 4)).OrderByDescending(x => x).ToArray();
            WithSpectrum(new double[n], out var q1);
            WithSpectrum(new double[n], out var q2);
            var square = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) square[i * n + j] += q1[i * n + k] * s[k] * q2[k * n + j];
            var tall = new double[(n + extra) * n];
            square.CopyTo(tall, 0);
            var wide = new double[n * (n + extra)];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) wide[i * (n + extra) + j] = square[j * n + i];
            foreach (var (m, rows, columns) in new[] { (tall, n + extra, n), (wide, n, n + extra) })
            {
                var got = new double[n];
                PointAnalysis.SingularValues(m, rows, columns, got);
                for (int i = 0; i < n; i++)
                    Assert.True(Math.Abs(got[i] - s[i]) <= 1e-12 * s[0] * n, $"sigma {i}: {got[i]:R} vs {s[i]:R} ({rows} x {columns}) {Seed}");
            }
        }
        Assert.Equal(3.0, PointAnalysis.ConditionNumber([3.0, 1.0]));
    }
}
