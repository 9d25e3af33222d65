using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace GpuDiff.Cli;

/// <summary>
/// NumPy's .npy format, version 1.0, little-endian float64 only: a plain [rows, columns] array, or a
/// structured array whose fields are named float64 columns (how results keep their column names:
/// <c>np.load(f)["df1/dx"]</c>). The header is written as NumPy 1.24 writes it, byte for byte.
/// </summary>
internal static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>A structured array of <paramref name="rows"/> records with one float64 field per name.</summary>
    public static void WriteRecords(Stream stream, IReadOnlyList<string> names, long rows, IEnumerable<double[]> records)
    {
        WriteRecordsHeader(stream, names, rows);
        var scratch = new byte[8 * names.Count];
        foreach (var record in records) WriteRecord(stream, record, scratch);
    }

    /// <summary>One record's float64 fields, little-endian, through <paramref name="scratch"/> (8 bytes per field).</summary>
    public static void WriteRecord(Stream stream, ReadOnlySpan<double> record, byte[] scratch)
    {
        for (int c = 0; c < record.Length; c++) BinaryPrimitives.WriteDoubleLittleEndian(scratch.AsSpan(8 * c), record[c]);
        stream.Write(scratch, 0, 8 * record.Length);
    }

    /// <summary>The header of a structured array of <paramref name="rows"/> records, whose data follows record by record.</summary>
    public static void WriteRecordsHeader(Stream stream, IReadOnlyList<string> names, long rows) =>
        WriteHeader(stream, "[" + string.Join(", ", names.Select(n => $"('{n}', '<f8')")) + "]", $"({rows},)");

    private static void WriteHeader(Stream stream, string descr, string shape)
    {
        // NumPy: the dict's repr with sorted keys, spaces to a multiple of 64 bytes in all, then '\n'.
        string dict = $"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}";
        int preamble = Magic.Length + 2;
        int pad = 64 - (preamble + dict.Length + 1) % 64;
        string header = dict + new string(' ', pad % 64) + "\n";
        if (header.Length > ushort.MaxValue) throw new InvalidDataException("Too many columns for an .npy header.");
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <summary>Reads a float64 array: [rows, columns] or [rows] plain, or a structured one of float64 fields (names returned).</summary>
    public static (long Rows, int Columns, string[]? Names, double[] Data) Read(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(6);
        if (magic.Length < 6 || !magic.AsSpan().SequenceEqual(Magic.AsSpan(0, 6)))
            throw new InvalidDataException($"{path}: not an .npy file (no \\x93NUMPY magic)");
        byte major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : major is 2 or 3 ? (int)Math.Min(reader.ReadUInt32(), int.MaxValue) : throw new InvalidDataException($"{path}: .npy version {major} is not supported");
        string header = Encoding.Latin1.GetString(reader.ReadBytes(headerLength));
        if (FortranOrder().Match(header) is { Success: true } f && f.Groups[1].Value == "True")
            throw new InvalidDataException($"{path}: the array is in Fortran order; save it with np.ascontiguousarray");
        var shapeMatch = Shape().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{path}: the .npy header has no shape");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        string[]? names = null;
        int columns;
        var fields = Field().Matches(header);
        if (fields.Count > 0)
        {
            var bad = fields.FirstOrDefault(m => m.Groups[2].Value != "<f8");
            if (bad is not null) throw new InvalidDataException($"{path}: field '{bad.Groups[1].Value}' is '{bad.Groups[2].Value}'; only little-endian float64 ('<f8') is read");
            names = fields.Select(m => m.Groups[1].Value).ToArray();
            if (shape.Length != 1) throw new InvalidDataException($"{path}: a structured array must be one-dimensional, not shape ({string.Join(", ", shape)})");
            columns = names.Length;
        }
        else
        {
            var descr = Descr().Match(header);
            if (!descr.Success || descr.Groups[1].Value != "<f8")
                throw new InvalidDataException($"{path}: the array's type is {(descr.Success ? $"'{descr.Groups[1].Value}'" : "not given")}; only little-endian float64 ('<f8') is read (np.asarray(a, '<f8'))");
            if (shape.Length is not (1 or 2)) throw new InvalidDataException($"{path}: expected a [points, inputs] array, found shape ({string.Join(", ", shape)})");
            columns = shape.Length == 2 ? (int)shape[1] : 1;
        }
        long rows = shape[0];
        long count = checked(rows * columns);
        if (count > Array.MaxLength) throw new InvalidDataException($"{path}: {rows} rows are more than one array holds");
        var bytes = reader.ReadBytes(checked((int)(count * 8)));
        if (bytes.Length != count * 8) throw new InvalidDataException($"{path}: the file ends after {bytes.Length / 8} of {count} values");
        var data = new double[count];
        for (long i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(8 * i)));
        return (rows, columns, names, data);
    }

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex Shape();

    [GeneratedRegex(@"\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)")]
    private static partial Regex Field();

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();
}
