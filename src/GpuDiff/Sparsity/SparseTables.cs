using GpuDiff.Backends;
using GpuDiff.Kernels.Kernels;

namespace GpuDiff.Sparsity;

/// <summary>
/// The tables the compressed kernels read, built from a pattern and its colouring (integers stored
/// as doubles). Each layout is the one its kernel kind's summary gives, in that order.
/// </summary>
internal static class SparseTables
{
    /// <summary>CompressedJacobianKind: colours, entries, colour of each input, row starts, colour of each entry.</summary>
    public static KernelPlan Jacobian(SparsityPattern j, int[] colours, int count, bool anyWidth, bool exactFirstOrder = false)
    {
        int n = j.Columns, m = j.Rows, nnz = j.Nonzeros;
        var t = new List<double>(3 + n + m + nnz) { count, nnz };
        foreach (int c in colours) t.Add(c);
        foreach (int s in j.RowStarts) t.Add(s);
        foreach (int col in j.ColumnIndices) t.Add(colours[col]);
        int width = ChunkWidths.ChooseFor(false, count, anyWidth, exactFirstOrder);
        return new KernelPlan<CompressedJacobianKind>(n, m, width, w => DerivativeKernels.ColumnChunks(count, w), nnz, 0, [.. t]);
    }

    /// <summary>
    /// CompressedHessianKind: colours, entries, colour of each input, row starts, colour of each
    /// entry's column, mirror position, and whether the entry's own row reads it
    /// (<see cref="StarColouring.ReadingRows"/>; 1 or 0).
    /// </summary>
    public static KernelPlan Hessian(SparsityPattern h, int outputs, int[] colours, int count, bool anyWidth)
    {
        int n = h.Columns, nnz = h.Nonzeros;
        var t = new List<double>(3 + 2 * n + 3 * nnz) { count, nnz };
        foreach (int c in colours) t.Add(c);
        foreach (int s in h.RowStarts) t.Add(s);
        foreach (int col in h.ColumnIndices) t.Add(colours[col]);
        for (int r = 0; r < n; r++)
            for (int e = h.RowStarts[r]; e < h.RowStarts[r + 1]; e++)
            {
                int mirror = h.IndexOf(h.ColumnIndices[e], r);
                if (mirror < 0) throw new InvalidOperationException($"The Hessian pattern is not symmetric at ({r}, {h.ColumnIndices[e]}).");
                t.Add(mirror);
            }
        var reading = StarColouring.ReadingRows(h, colours);
        for (int r = 0; r < n; r++)
            for (int e = h.RowStarts[r]; e < h.RowStarts[r + 1]; e++) t.Add(reading[e] == r ? 1 : 0);
        int width = ChunkWidths.ChooseFor(true, count, anyWidth);
        return new KernelPlan<CompressedHessianKind>(n, outputs, width, w => (long)n * DerivativeKernels.ColumnChunks(count, w), (long)outputs * nnz, 0, [.. t]);
    }

    /// <summary>
    /// ElementSumKind: colours, Hessian entries, element inputs, element pairs; the colour of each
    /// input; element input starts and lists (the elements' Jacobian pattern); pair starts, then per
    /// pair (lower input, upper input) of each element: the lower's colour, the upper's colour, the
    /// entry's position and its mirror's; then per Hessian entry its owner colour (the smaller
    /// index's) and the other index's colour.
    /// </summary>
    public static KernelPlan ElementSum(SparsityPattern elements, SparsityPattern h, int[] colours, int count, bool anyWidth)
    {
        int n = elements.Columns, m = elements.Rows;
        var pairs = new List<double>();
        var pairStarts = new List<double> { 0 };
        for (int j = 0; j < m; j++)
        {
            int s = elements.RowStarts[j], e = elements.RowStarts[j + 1];
            for (int p = s; p < e; p++)
                for (int q = p; q < e; q++)
                {
                    int lo = elements.ColumnIndices[p], hi = elements.ColumnIndices[q];
                    pairs.AddRange([colours[lo], colours[hi], h.IndexOf(lo, hi), h.IndexOf(hi, lo)]);
                }
            pairStarts.Add(pairs.Count / 4);
        }
        var t = new List<double> { count, h.Nonzeros, elements.Nonzeros, pairs.Count / 4 };
        foreach (int c in colours) t.Add(c);
        foreach (int s in elements.RowStarts) t.Add(s);
        foreach (int i in elements.ColumnIndices) t.Add(i);
        t.AddRange(pairStarts);
        t.AddRange(pairs);
        for (int r = 0; r < n; r++)
            for (int e = h.RowStarts[r]; e < h.RowStarts[r + 1]; e++)
            {
                int c = h.ColumnIndices[e];
                t.Add(colours[Math.Min(r, c)]);
                t.Add(colours[Math.Max(r, c)]);
            }
        int width = ChunkWidths.ChooseFor(true, count, anyWidth);
        return new KernelPlan<ElementSumKind>(n, m, width, w => (long)count * DerivativeKernels.ColumnChunks(count, w), 1 + n + (long)h.Nonzeros, 0, [.. t]);
    }

    /// <summary>The Hessian pattern of a sum of elements: every pair of inputs one element shares.</summary>
    public static SparsityPattern ElementHessian(SparsityPattern elements)
    {
        int n = elements.Columns;
        var rows = new SortedSet<int>[n];
        for (int i = 0; i < n; i++) rows[i] = [];
        for (int j = 0; j < elements.Rows; j++)
            for (int p = elements.RowStarts[j]; p < elements.RowStarts[j + 1]; p++)
                for (int q = elements.RowStarts[j]; q < elements.RowStarts[j + 1]; q++)
                    rows[elements.ColumnIndices[p]].Add(elements.ColumnIndices[q]);
        return SparsityPattern.FromRows(n, rows.Select(r => r.ToList()).ToList());
    }
}
