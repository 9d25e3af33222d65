using GpuDiff.Kernels.Models;
using GpuDiff.Kernels.Numbers;

namespace GpuDiff.Tests;

// Models that break the contract on purpose, each at one chosen point only (where input 0 is at
// least Trigger), so the tests can check that the mistake is caught, the point is named, and the
// other points' evaluations do not hide it.

/// <summary>Writes output <see cref="Index"/> of a two-output model where x0 &gt;= Trigger.</summary>
public readonly struct WritesOutOfRange(int index) : IModel
{
    public const double Trigger = 100.0;

    public int Index => index;

    public int Inputs => 2;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * y);
        io.Output(x >= Trigger ? index : 1, x + y);
    }
}

/// <summary>Reads input <see cref="Index"/> of two where x0 &gt;= Trigger.</summary>
public readonly struct ReadsOutOfRange(int index) : IModel
{
    public int Index => index;

    public int Inputs => 2;

    public int Outputs => 1;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0);
        T y = io.Input(x >= WritesOutOfRange.Trigger ? index : 1);
        io.Output(0, x * y);
    }
}

/// <summary>Declares two parameters and reads parameter <see cref="Index"/> where x0 &gt;= Trigger.</summary>
public readonly struct ReadsParameterOutOfRange(int index) : IModel
{
    public int Index => index;

    public int Inputs => 2;

    public int Outputs => 1;

    public int Parameters => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, io.Parameter(0) * x + io.Parameter(x >= WritesOutOfRange.Trigger ? index : 1) * y);
    }
}

/// <summary>Forgets output 1 of 2 where x0 &gt;= Trigger.</summary>
public readonly struct ForgetsAnOutput : IModel
{
    public int Inputs => 2;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * y);
        if (x < WritesOutOfRange.Trigger) io.Output(1, x - y);
    }
}

/// <summary>Writes output 0 twice (and output 1 never) where x0 &gt;= Trigger.</summary>
public readonly struct WritesAnOutputTwice : IModel
{
    public int Inputs => 2;

    public int Outputs => 2;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        io.Output(0, x * y);
        io.Output(x >= WritesOutOfRange.Trigger ? 0 : 1, x - y);
    }
}

/// <summary>
/// Seventy outputs, so the ledger's count-and-sum part is used: where x0 &gt;= Trigger, output 69 is
/// never written (output 0..68 are).
/// </summary>
public readonly struct ForgetsAHighOutput : IModel
{
    public int Inputs => 2;

    public int Outputs => 70;

    public void Evaluate<T, TArgs>(ref TArgs io) where T : struct, IDiffNumber<T> where TArgs : struct, IModelArguments<T>
    {
        T x = io.Input(0), y = io.Input(1);
        int written = x >= WritesOutOfRange.Trigger ? 69 : 70;
        for (int j = 0; j < written; j++) io.Output(j, x * (double)j + y);
    }
}
