using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

/// <summary>A 3x3 matrix of T held as nine fields: the shape of the locals that determinants, inverses and products keep.</summary>
public struct Matrix3<T> where T : struct, IDiffNumber<T>
{
    public T A00, A01, A02, A10, A11, A12, A20, A21, A22;

    public readonly T Determinant() =>
        A00 * (A11 * A22 - A12 * A21) - A01 * (A10 * A22 - A12 * A20) + A02 * (A10 * A21 - A11 * A20);

    public readonly Matrix3<T> Inverse()
    {
        T inv = 1.0 / Determinant();
        return new Matrix3<T>
        {
            A00 = (A11 * A22 - A12 * A21) * inv, A01 = (A02 * A21 - A01 * A22) * inv, A02 = (A01 * A12 - A02 * A11) * inv,
            A10 = (A12 * A20 - A10 * A22) * inv, A11 = (A00 * A22 - A02 * A20) * inv, A12 = (A02 * A10 - A00 * A12) * inv,
            A20 = (A10 * A21 - A11 * A20) * inv, A21 = (A01 * A20 - A00 * A21) * inv, A22 = (A00 * A11 - A01 * A10) * inv,
        };
    }

    public readonly Matrix3<T> Times(Matrix3<T> b) => new()
    {
        A00 = A00 * b.A00 + A01 * b.A10 + A02 * b.A20, A01 = A00 * b.A01 + A01 * b.A11 + A02 * b.A21, A02 = A00 * b.A02 + A01 * b.A12 + A02 * b.A22,
        A10 = A10 * b.A00 + A11 * b.A10 + A12 * b.A20, A11 = A10 * b.A01 + A11 * b.A11 + A12 * b.A21, A12 = A10 * b.A02 + A11 * b.A12 + A12 * b.A22,
        A20 = A20 * b.A00 + A21 * b.A10 + A22 * b.A20, A21 = A20 * b.A01 + A21 * b.A11 + A22 * b.A21, A22 = A20 * b.A02 + A21 * b.A12 + A22 * b.A22,
    };

    public readonly Matrix3<T> Transposed() => new()
    {
        A00 = A00, A01 = A10, A02 = A20, A10 = A01, A11 = A11, A12 = A21, A20 = A02, A21 = A12, A22 = A22,
    };
}

/// <summary>
/// Inputs: the nine entries of A, row-major. Outputs: det A, then A^-1 (nine entries), then A A^T
/// (nine entries), all computed through <see cref="Matrix3{T}"/> locals.
/// </summary>
public readonly struct Matrix3Model : IModel
{
    public int Inputs => 9;

    public int Outputs => 19;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        var a = Read<T, TArgs>(ref io);
        io.Output(0, a.Determinant());
        Write(ref io, 1, a.Inverse());
        Write(ref io, 10, a.Times(a.Transposed()));
    }

    /// <summary>Inputs 0 to 8 as a matrix, row-major.</summary>
    internal static Matrix3<T> Read<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T> => new()
    {
        A00 = io.Input(0), A01 = io.Input(1), A02 = io.Input(2),
        A10 = io.Input(3), A11 = io.Input(4), A12 = io.Input(5),
        A20 = io.Input(6), A21 = io.Input(7), A22 = io.Input(8),
    };

    internal static void Write<T, TArgs>(ref TArgs io, int first, Matrix3<T> m) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        io.Output(first, m.A00); io.Output(first + 1, m.A01); io.Output(first + 2, m.A02);
        io.Output(first + 3, m.A10); io.Output(first + 4, m.A11); io.Output(first + 5, m.A12);
        io.Output(first + 6, m.A20); io.Output(first + 7, m.A21); io.Output(first + 8, m.A22);
    }
}
