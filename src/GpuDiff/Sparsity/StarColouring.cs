namespace GpuDiff.Sparsity;

/// <summary>
/// Star colouring of a symmetric Hessian pattern (Gebremedhin, Manne and Pothen, "What Color Is
/// Your Jacobian?", SIAM Review 2005, section 4; Gebremedhin, Tarafdar, Manne and Pothen, "New
/// Acyclic and Star Coloring Algorithms with Application to Computing Hessians", SIAM J. Sci.
/// Comput. 2007): inputs that share an entry get different colours, and no path of four inputs
/// along entries has only two colours. Then every off-diagonal entry (i, j) is alone among its
/// row's entries of j's colour in row i or among those of i's colour in row j, and is read where
/// it is alone (<see cref="ReadingRows"/>). Distance-2 colouring asks that of both rows, so it
/// needs as many colours as the densest row has entries; a star colouring of an arrowhead (one
/// input coupled to all others, n - 1 leaves) needs 2.
/// </summary>
internal static class StarColouring
{
    /// <summary>
    /// Greedy in input order, deterministic: each input takes the smallest colour that keeps every
    /// path of four coloured inputs through it at three colours or more.
    /// </summary>
    public static (int[] Colours, int Count) Colour(SparsityPattern h)
    {
        int n = h.Rows;
        var neighbours = Neighbours(h);
        var colours = new int[n];
        Array.Fill(colours, -1);
        // Coloured neighbours of each input, by colour: a path v-w-x-y with colour(y) = colour(w)
        // exists when x has a second neighbour of w's colour.
        var around = new Dictionary<int, int>[n];
        for (int v = 0; v < n; v++) around[v] = [];
        var forbiddenBy = new int[n + 1];
        int count = 0;
        for (int v = 0; v < n; v++)
        {
            int mark = v + 1;
            foreach (int w in neighbours[v])
            {
                if (colours[w] < 0) continue;
                forbiddenBy[colours[w]] = mark; // neighbours differ
                foreach (int x in neighbours[w])
                    // v-w-x-y with colour(v) = colour(x) and colour(y) = colour(w)
                    if (x != v && colours[x] >= 0 && around[x].GetValueOrDefault(colours[w]) >= 2) forbiddenBy[colours[x]] = mark;
            }
            foreach (int x in neighbours[v])
            {
                // u-v-x-y with colour(u) = colour(x) and colour(v) = colour(y): v has a second neighbour of x's colour
                if (colours[x] < 0 || around[v].GetValueOrDefault(colours[x]) < 2) continue;
                foreach (int y in neighbours[x])
                    if (y != v && colours[y] >= 0) forbiddenBy[colours[y]] = mark;
            }
            int colour = 0;
            while (forbiddenBy[colour] == mark) colour++;
            colours[v] = colour;
            count = Math.Max(count, colour + 1);
            foreach (int w in neighbours[v]) around[w][colour] = around[w].GetValueOrDefault(colour) + 1;
        }
        return (colours, count);
    }

    /// <summary>
    /// The row whose evaluation reads each entry: its own row where the entry is alone there among
    /// the row's entries of its column's colour (the diagonal always is), preferring the smaller
    /// index of the two, as the dense Hessian computes entries at or right of the diagonal; the
    /// other row where only that one holds it alone.
    /// </summary>
    public static int[] ReadingRows(SparsityPattern h, int[] colours)
    {
        var reading = new int[h.Nonzeros];
        for (int r = 0; r < h.Rows; r++)
            for (int e = h.RowStarts[r]; e < h.RowStarts[r + 1]; e++)
            {
                int c = h.ColumnIndices[e], low = Math.Min(r, c), high = Math.Max(r, c);
                reading[e] = r == c || AloneInRow(h, colours, low, high) ? low
                    : AloneInRow(h, colours, high, low) ? high
                    : throw new InvalidOperationException($"Entry ({r}, {c}) shares its colour with another entry in both of its rows: not a star colouring.");
            }
        return reading;
    }

    /// <summary>Whether a colouring is a star colouring of the pattern: the property <see cref="ReadingRows"/> relies on.</summary>
    public static bool IsValid(SparsityPattern h, int[] colours)
    {
        var neighbours = Neighbours(h);
        for (int v = 0; v < h.Rows; v++)
            foreach (int w in neighbours[v])
            {
                if (colours[v] == colours[w]) return false;
                foreach (int x in neighbours[w])
                    if (x != v && colours[x] == colours[v])
                        foreach (int y in neighbours[x])
                            if (y != w && y != v && colours[y] == colours[w]) return false;
            }
        return true;
    }

    private static bool AloneInRow(SparsityPattern h, int[] colours, int row, int column)
    {
        for (int e = h.RowStarts[row]; e < h.RowStarts[row + 1]; e++)
        {
            int other = h.ColumnIndices[e];
            if (other != column && other != row && colours[other] == colours[column]) return false;
        }
        return true;
    }

    private static List<int>[] Neighbours(SparsityPattern h)
    {
        var neighbours = new List<int>[h.Rows];
        for (int v = 0; v < h.Rows; v++)
        {
            neighbours[v] = [];
            for (int e = h.RowStarts[v]; e < h.RowStarts[v + 1]; e++)
                if (h.ColumnIndices[e] != v) neighbours[v].Add(h.ColumnIndices[e]);
        }
        return neighbours;
    }
}
