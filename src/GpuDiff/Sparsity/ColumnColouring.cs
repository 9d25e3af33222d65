namespace GpuDiff.Sparsity;

/// <summary>
/// Distance-2 column colouring (Gebremedhin, Manne and Pothen, "What Color Is Your Jacobian?",
/// SIAM Review 2005): two columns that share a row get different colours, so within one colour
/// every row has at most one entry, and seeding all columns of a colour at once gives each entry
/// alone. Greedy in column order, which is optimal for banded patterns (bandwidth + 1 colours) and
/// deterministic, so every backend and every run gets the same seeds.
/// </summary>
internal static class ColumnColouring
{
    /// <summary>The colour of each column and how many colours there are.</summary>
    public static (int[] Colours, int Count) Colour(SparsityPattern pattern)
    {
        int n = pattern.Columns;
        var rowsOf = new List<int>[n];
        for (int c = 0; c < n; c++) rowsOf[c] = [];
        for (int r = 0; r < pattern.Rows; r++)
            for (int e = pattern.RowStarts[r]; e < pattern.RowStarts[r + 1]; e++) rowsOf[pattern.ColumnIndices[e]].Add(r);
        var colours = new int[n];
        Array.Fill(colours, -1);
        var forbiddenBy = new int[n + 1]; // forbiddenBy[colour] == column + 1 while colouring that column
        int count = 0;
        for (int c = 0; c < n; c++)
        {
            foreach (int r in rowsOf[c])
                for (int e = pattern.RowStarts[r]; e < pattern.RowStarts[r + 1]; e++)
                {
                    int other = colours[pattern.ColumnIndices[e]];
                    if (other >= 0) forbiddenBy[other] = c + 1;
                }
            int colour = 0;
            while (forbiddenBy[colour] == c + 1) colour++;
            colours[c] = colour;
            count = Math.Max(count, colour + 1);
        }
        return (colours, count);
    }

    /// <summary>Whether no row holds two columns of one colour (the property the kernels rely on).</summary>
    public static bool IsValid(SparsityPattern pattern, int[] colours)
    {
        var seen = new HashSet<int>();
        for (int r = 0; r < pattern.Rows; r++)
        {
            seen.Clear();
            for (int e = pattern.RowStarts[r]; e < pattern.RowStarts[r + 1]; e++)
                if (!seen.Add(colours[pattern.ColumnIndices[e]])) return false;
        }
        return true;
    }
}
