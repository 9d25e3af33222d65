using GpuDiff.Engine;
using GpuDiff.Kernels.Kernels;
using GpuDiff.Kernels.Models;

namespace GpuDiff.Sparsity;

/// <summary>
/// Runs a model on <see cref="Tracer{TMask}"/> numbers and unions what it finds. The first point
/// goes alone: a model that makes no decision there (no comparison, min or max, no read of
/// Primal) runs the same operations at every point, so that point's pattern is every point's. A
/// model that decides may branch on its inputs, so the pattern at one point can differ from
/// another's; it is traced at every point of the batch, and the union is a pattern no entry of
/// that batch falls outside of.
/// </summary>
internal static class PatternDetection
{
    /// <summary>
    /// The detected sets: each output's inputs, and (second order) each input's interacting inputs;
    /// <paramref name="MayVary"/> when the model made a decision on its numbers, so that points not
    /// traced may have other sets.
    /// </summary>
    public readonly record struct Found(IndexMask[] Outputs, IndexMask[]? Interactions, bool MayVary);

    public static Found Run<TModel>(TModel model, double[] points, double[] parameters, bool secondOrder) where TModel : struct, IModel =>
        Run(model, points, points.Length / model.Inputs, parameters, secondOrder);

    /// <summary>Over the first <paramref name="count"/> points of <paramref name="points"/>.</summary>
    public static Found Run<TModel>(TModel model, double[] points, long count, double[] parameters, bool secondOrder) where TModel : struct, IModel
    {
        if (model.Inputs > IndexMask.MaxInputs)
            throw new ArgumentException($"{typeof(TModel).Name} has {model.Inputs} inputs; sparsity is detected for up to {IndexMask.MaxInputs}.", nameof(model));
        return model.Inputs <= Mask64.Capacity ? Run<TModel, Mask64>(model, points, count, parameters, secondOrder)
            : model.Inputs <= Mask256.Capacity ? Run<TModel, Mask256>(model, points, count, parameters, secondOrder)
            : Run<TModel, IndexMask>(model, points, count, parameters, secondOrder);
    }

    private static Found Run<TModel, TMask>(TModel model, double[] points, long count, double[] parameters, bool secondOrder)
        where TModel : struct, IModel where TMask : struct, IIndexMask<TMask>
    {
        int n = model.Inputs, m = model.Outputs;
        var outputs = new TMask[m];
        var interactions = secondOrder ? new TMask[n] : null;
        var faults = new long[3];
        DecisionRecorder.Reset();
        Trace(model, points, 0, Math.Min(count, 1), parameters, outputs, interactions, faults);
        bool mayVary = DecisionRecorder.Decided;
        if (mayVary && count > 1)
        {
            var gate = new object();
            long block = Math.Max(64, count / (Environment.ProcessorCount * 4));
            Parallel.For(0L, (count + block - 1) / block, b =>
            {
                var localOutputs = new TMask[m];
                var localRows = secondOrder ? new TMask[n] : null;
                Trace(model, points, b * block, Math.Min(count, (b + 1) * block), parameters, localOutputs, localRows, faults);
                lock (gate)
                {
                    for (int j = 0; j < m; j++) outputs[j] |= localOutputs[j];
                    if (localRows is not null) for (int i = 0; i < n; i++) interactions![i] |= localRows[i];
                }
            });
        }
        ModelFaultException.ThrowIfAny(model, faults, 0);
        return new Found(Array.ConvertAll(outputs, o => o.Widen()), interactions is null ? null : Array.ConvertAll(interactions, r => r.Widen()), mayVary);
    }

    /// <summary>Traces points [<paramref name="from"/>, <paramref name="to"/>) on this thread into the given sets, stopping at a model fault.</summary>
    private static void Trace<TModel, TMask>(TModel model, double[] points, long from, long to, double[] parameters, TMask[] outputs, TMask[]? rows, long[] faults)
        where TModel : struct, IModel where TMask : struct, IIndexMask<TMask>
    {
        int n = model.Inputs, m = model.Outputs;
        InteractionRecorder<TMask>.RecordInto(rows);
        try
        {
            for (long p = from; p < to && Volatile.Read(ref faults[0]) == 0; p++)
            {
                var io = new TracerArguments<TMask>(points, p * n, parameters, outputs,
                    new ModelGuard<ArrayFaultRecorder>(new ArrayFaultRecorder(faults), p, n, m, parameters.Length));
                model.Evaluate<Tracer<TMask>, TracerArguments<TMask>>(ref io);
                io.Finish();
            }
        }
        finally
        {
            InteractionRecorder<TMask>.RecordInto(null);
        }
    }

    /// <summary>The Jacobian pattern: row j holds the inputs output j depends on.</summary>
    public static SparsityPattern Jacobian(Found found, int n) =>
        SparsityPattern.FromRows(n, found.Outputs.Select(Indices).ToList());

    /// <summary>The pattern shared by every output's Hessian: the interacting pairs (symmetric, diagonal included where it interacts).</summary>
    public static SparsityPattern Hessian(Found found, int n) =>
        SparsityPattern.FromRows(n, found.Interactions!.Select(Indices).ToList());

    private static List<int> Indices(IndexMask mask)
    {
        var list = new List<int>(mask.Count);
        mask.AppendTo(list);
        return list;
    }
}
