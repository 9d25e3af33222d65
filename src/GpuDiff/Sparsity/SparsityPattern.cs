namespace GpuDiff.Sparsity;

/// <summary>
/// Which entries of a rows x columns matrix can be nonzero, in compressed sparse row form: the
/// entries of row r are <c>ColumnIndices[RowStarts[r] .. RowStarts[r + 1]]</c>, columns increasing.
/// Sparse results store one value per entry, in this order, for every point.
/// </summary>
public sealed class SparsityPattern
{
    /// <summary>A pattern from its compressed rows; checked.</summary>
    public SparsityPattern(int rows, int columns, int[] rowStarts, int[] columnIndices)
    {
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rowStarts.Length != rows + 1 || rowStarts[0] != 0 || rowStarts[rows] != columnIndices.Length)
            throw new ArgumentException($"RowStarts must hold {rows + 1} offsets from 0 to {columnIndices.Length}.", nameof(rowStarts));
        for (int r = 0; r < rows; r++)
        {
            if (rowStarts[r + 1] < rowStarts[r])
                throw new ArgumentException($"RowStarts decreases at row {r}.", nameof(rowStarts));
            for (int e = rowStarts[r]; e < rowStarts[r + 1]; e++)
            {
                int c = columnIndices[e];
                if ((uint)c >= (uint)columns || (e > rowStarts[r] && c <= columnIndices[e - 1]))
                    throw new ArgumentException($"Row {r}: column {c} is out of range or not increasing.", nameof(columnIndices));
            }
        }
        Rows = rows;
        Columns = columns;
        starts = (int[])rowStarts.Clone();
        columnsOf = (int[])columnIndices.Clone();
    }

    /// <summary>From one set of columns per row.</summary>
    internal static SparsityPattern FromRows(int columns, IReadOnlyList<List<int>> rows)
    {
        var starts = new int[rows.Count + 1];
        for (int r = 0; r < rows.Count; r++) starts[r + 1] = starts[r] + rows[r].Count;
        var cols = new int[starts[^1]];
        for (int r = 0; r < rows.Count; r++) rows[r].CopyTo(cols, starts[r]);
        return new SparsityPattern(rows.Count, columns, starts, cols);
    }

    /// <summary>Rows of the matrix (outputs of a Jacobian, inputs of a Hessian).</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix (inputs).</summary>
    public int Columns { get; }

    /// <summary>Offsets of each row's entries; Rows + 1 of them.</summary>
    public IReadOnlyList<int> RowStarts => starts;

    private readonly int[] starts, columnsOf;

    /// <summary>The column of each entry, row after row.</summary>
    public IReadOnlyList<int> ColumnIndices => columnsOf;

    /// <summary>How many entries can be nonzero.</summary>
    public int Nonzeros => ColumnIndices.Count;

    /// <summary>The entry's position in a point's values, or -1 for a structural zero.</summary>
    public int IndexOf(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)Columns, nameof(column));
        int e = Array.BinarySearch(columnsOf, starts[row], starts[row + 1] - starts[row], column);
        return e >= 0 ? e : -1;
    }

    /// <summary>The pattern as text, one row per line, '#' for an entry and '.' for a structural zero.</summary>
    public override string ToString()
    {
        var s = new System.Text.StringBuilder((Columns + 1) * Rows);
        for (int r = 0; r < Rows; r++)
        {
            var line = new char[Columns];
            Array.Fill(line, '.');
            for (int e = RowStarts[r]; e < RowStarts[r + 1]; e++) line[ColumnIndices[e]] = '#';
            s.Append(line).Append('\n');
        }
        return s.ToString();
    }
}
