using System.Runtime.CompilerServices;
using ILGPU;

namespace GpuDiff.Kernels.Kernels;

/// <summary>What a model did wrong in one evaluation; the host turns it into an exception.</summary>
public enum ModelFault : long
{
    /// <summary>No mistake.</summary>
    None = 0,

    /// <summary>Read an input index outside 0..n-1.</summary>
    InputOutOfRange = 1,

    /// <summary>Wrote an output index outside 0..m-1.</summary>
    OutputOutOfRange = 2,

    /// <summary>Read a parameter index outside the count the model declares.</summary>
    ParameterOutOfRange = 3,

    /// <summary>Finished without writing an output.</summary>
    OutputNotWritten = 4,

    /// <summary>Wrote the same output twice.</summary>
    OutputWrittenTwice = 5,
}

/// <summary>
/// Where a kernel records the first model mistake of a batch. A kernel cannot throw on a GPU, so
/// the mistake goes into three cells (what, index, point) that the host reads after the batch:
/// the first thread to claim cell 0 writes the other two, later mistakes are dropped.
/// </summary>
public interface IFaultRecorder
{
    /// <summary>Records a mistake of the evaluation at <paramref name="point"/> unless one is recorded already.</summary>
    void Record(ModelFault fault, int index, long point);
}

/// <summary>The fault cells as an ILGPU view of three longs.</summary>
public readonly struct ViewFaultRecorder(ArrayView<long> cells) : IFaultRecorder
{
    private readonly ArrayView<long> cells = cells;

    /// <inheritdoc />
    public void Record(ModelFault fault, int index, long point)
    {
        if (Atomic.CompareExchange(ref cells[0], 0L, (long)fault) != 0L) return;
        cells[1] = index;
        cells[2] = point;
    }
}

/// <summary>
/// Which outputs an evaluation wrote: a bit per output below 64, and for larger models a count and
/// an index sum, so a missing or repeated output is caught (above 63, unless one output is missing
/// and another repeated so that both the count and the index sum balance).
/// </summary>
public struct OutputLedger
{
    private ulong seen;
    private int count;
    private long indexSum;

    /// <summary>Notes output j; false when j below 64 was written already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Mark(int j)
    {
        count++;
        indexSum += j;
        if (j >= 64) return true;
        ulong bit = 1UL << j;
        if ((seen & bit) != 0) return false;
        seen |= bit;
        return true;
    }

    /// <summary>
    /// After an evaluation of a model with m outputs: -1 when every output was written once, else
    /// the first output not written (64 stands for "one at 64 or above").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int FirstUnwritten(int m)
    {
        int low = m < 64 ? m : 64;
        for (int j = 0; j < low; j++)
            if ((seen & (1UL << j)) == 0) return j;
        if (count != m || indexSum != (long)m * (m - 1) / 2) return 64;
        return -1;
    }
}

/// <summary>
/// The range checks every model argument struct applies: indices outside the model's inputs,
/// outputs or declared parameters are recorded and never reach memory, and each output must be
/// written exactly once.
/// </summary>
public struct ModelGuard<TFault>(TFault faults, long point, int inputs, int outputs, long parameters)
    where TFault : struct, IFaultRecorder
{
    private readonly TFault faults = faults;
    private readonly long point = point;
    private readonly int inputs = inputs, outputs = outputs;
    private readonly long parameters = parameters;
    private OutputLedger ledger;

    /// <summary>True when input i exists; otherwise records the mistake.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Input(int i)
    {
        if ((uint)i < (uint)inputs) return true;
        faults.Record(ModelFault.InputOutOfRange, i, point);
        return false;
    }

    /// <summary>True when parameter k is within the declared count; otherwise records the mistake.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Parameter(int k)
    {
        if (k >= 0 && k < parameters) return true;
        faults.Record(ModelFault.ParameterOutOfRange, k, point);
        return false;
    }

    /// <summary>True when output j exists and is written for the first time; otherwise records the mistake.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Output(int j)
    {
        if ((uint)j >= (uint)outputs)
        {
            faults.Record(ModelFault.OutputOutOfRange, j, point);
            return false;
        }
        if (ledger.Mark(j)) return true;
        faults.Record(ModelFault.OutputWrittenTwice, j, point);
        return false;
    }

    /// <summary>Called after the evaluation: records an output that was never written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Finish()
    {
        int missing = ledger.FirstUnwritten(outputs);
        if (missing >= 0) faults.Record(ModelFault.OutputNotWritten, missing, point);
    }
}
