using GpuDiff.Kernels.Models;

namespace GpuDiff.Sparsity;

/// <summary>Refuses points whose derivatives reach outside a plan's pattern, naming the first one.</summary>
internal static class PatternCheck
{
    /// <summary>Checks the first <paramref name="count"/> points; errors number them from <paramref name="firstIndex"/>.</summary>
    public static void Ensure<TModel>(TModel model, double[] points, long count, long firstIndex, double[] parameters, PatternDetection.Found plan, bool secondOrder)
        where TModel : struct, IModel
    {
        var found = PatternDetection.Run(model, points, count, parameters, secondOrder);
        if (Within(found, plan)) return;
        // Only on failure: point by point, to say which.
        int n = model.Inputs;
        for (long p = 0; p < count; p++)
        {
            var one = PatternDetection.Run(model, points[(int)(p * n)..(int)((p + 1) * n)], parameters, secondOrder);
            if (Within(one, plan)) continue;
            throw new InvalidOperationException(
                $"At point {firstIndex + p}, {Describe(one, plan)} of {typeof(TModel).Name} falls outside the plan's pattern (the model branches on its inputs). " +
                "Build the plan over points that include this one, or compute these points with a plan of their own.");
        }
        throw new InvalidOperationException($"The points of this call reach outside the plan's pattern of {typeof(TModel).Name}.");
    }

    private static bool Within(PatternDetection.Found found, PatternDetection.Found plan)
    {
        for (int j = 0; j < found.Outputs.Length; j++)
            if (!Subset(found.Outputs[j], plan.Outputs[j])) return false;
        if (found.Interactions is { } rows)
            for (int i = 0; i < rows.Length; i++)
                if (!Subset(rows[i], plan.Interactions![i])) return false;
        return true;
    }

    private static bool Subset(IndexMask a, IndexMask b) => (a | b).Equals(b);

    private static string Describe(PatternDetection.Found one, PatternDetection.Found plan)
    {
        var extra = new List<int>();
        for (int j = 0; j < one.Outputs.Length; j++)
        {
            if (Subset(one.Outputs[j], plan.Outputs[j])) continue;
            one.Outputs[j].AppendTo(extra);
            int i = extra.First(i => !plan.Outputs[j].Contains(i));
            return $"the derivative of output {j} by input {i}";
        }
        for (int i = 0; i < one.Interactions!.Length; i++)
        {
            if (Subset(one.Interactions[i], plan.Interactions![i])) continue;
            extra.Clear();
            one.Interactions[i].AppendTo(extra);
            int k = extra.First(k => !plan.Interactions[i].Contains(k));
            return $"the second derivative by inputs {i} and {k}";
        }
        return "an entry";
    }
}
