namespace GpuDiff.ModelLanguage.Frontend;

/// <summary>"Did you mean": the closest candidate within a small edit distance.</summary>
internal static class Spelling
{
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        // Suggestions are for typos; a long word costs length^2 per candidate and gets none.
        if (word.Length > 40) return null;
        string? best = null;
        int bestDistance = word.Length <= 3 ? 1 : 2, bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // Ties go to a candidate with the same first letter (y: yy rather than x).
            int d = Distance(word, candidate) * 2 + (candidate.Length > 0 && word.Length > 0 && candidate[0] == word[0] ? 0 : 1);
            if (d <= bestDistance * 2 + 1 && (best is null || d < bestScore)) { best = candidate; bestScore = d; }
        }
        return best == word ? null : best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || b.Length > 42) return 1000;
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
