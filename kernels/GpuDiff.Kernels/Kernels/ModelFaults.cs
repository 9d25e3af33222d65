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
/// Which outputs an evaluation wrote: a bit per output below 64, and for outputs from 64 on a count
/// and an index sum, so a missing or repeated output is caught (from 64 on, unless one output is
/// missing and another repeated so that both the count and the index sum balance). The common case
/// costs a test and an or per output and one compare at the end.
/// </summary>
public struct OutputLedger
{
    private ulong seen;
    private int highCount;
    private long highSum;

    /// <summary>Notes output j (0 &lt;= j); false when j below 64 was written already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Mark(int j)
    {
        if (j >= 64)
        {
            highCount++;
            highSum += j;
            return true;
        }
        ulong bit = 1UL << j;
        bool first = (seen & bit) == 0;
        seen |= bit;
        return first;
    }

    /// <summary>Whether every output of a model with m outputs was written exactly once (the fast test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Complete(int m)
    {
        if (m <= 64) return seen == (m == 64 ? ulong.MaxValue : (1UL << m) - 1);
        long high = m - 64;
        return seen == ulong.MaxValue && highCount == high && highSum == 64 * high + high * (high - 1) / 2;
    }

    /// <summary>After an incomplete evaluation: the first output not written (64 stands for "one at 64 or above").</summary>
    public readonly int FirstUnwritten()
    {
        for (int j = 0; j < 64; j++)
            if ((seen & (1UL << j)) == 0) return j;
        return 64;
    }
}

/// <summary>
/// The range checks every model argument struct applies: indices outside the model's inputs,
/// outputs or declared parameters are recorded and never reach memory, and each output must be
/// written exactly once. The checks are a compare each, inlined; recording a mistake is a call,
/// kept out of line so the model's code stays small enough for the JIT to optimise.
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
    public readonly bool Input(int i) => (uint)i < (uint)inputs || Fault(ModelFault.InputOutOfRange, i);

    /// <summary>True when parameter k is within the declared count; otherwise records the mistake.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Parameter(int k) => (ulong)(long)k < (ulong)parameters || Fault(ModelFault.ParameterOutOfRange, k);

    /// <summary>True when output j exists and is written for the first time; otherwise records the mistake.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Output(int j)
    {
        if ((uint)j >= (uint)outputs) return Fault(ModelFault.OutputOutOfRange, j);
        return ledger.Mark(j) || Fault(ModelFault.OutputWrittenTwice, j);
    }

    /// <summary>Called after the evaluation: records an output that was never written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Finish()
    {
        if (!ledger.Complete(outputs)) Fault(ModelFault.OutputNotWritten, ledger.FirstUnwritten());
    }

    private readonly bool Fault(ModelFault fault, int index) => Record(faults, fault, index, point);

    /// <summary>
    /// Records a mistake; always false, so a check reads <c>ok || Fault(...)</c>. Static and by value:
    /// an out-of-line method taking <c>this</c> would pass a pointer to private memory, which the
    /// OpenCL code for devices without the generic address space cannot express.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Record(TFault faults, ModelFault fault, int index, long point)
    {
        faults.Record(fault, index, point);
        return false;
    }
}
