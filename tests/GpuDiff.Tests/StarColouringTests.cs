using GpuDiff.Sparsity;

namespace GpuDiff.Tests;

/// <summary>Star colouring of Hessian patterns: valid on random patterns, fewer colours where distance-2 needs a row's worth, every entry readable.</summary>
public sealed class StarColouringTests
{
    private readonly int seed = TestSeed.Fresh();
    private readonly Random random;

    public StarColouringTests() => random = new Random(seed);

    private static SparsityPattern Symmetric(int n, IEnumerable<(int, int)> edges, bool diagonal = true)
    {
        var rows = Enumerable.Range(0, n).Select(i => diagonal ? new SortedSet<int> { i } : new SortedSet<int>()).ToArray();
        foreach (var (a, b) in edges)
        {
            rows[a].Add(b);
            rows[b].Add(a);
        }
        return SparsityPattern.FromRows(n, rows.Select(r => r.ToList()).ToList());
    }

    [Fact]
    public void RandomPatternsGetStarColouringsWithEveryEntryReadable()
    {
        for (int round = 0; round < 300; round++)
        {
            int n = random.Next(1, 40);
            double density = random.NextDouble() * 0.3;
            var edges = new List<(int, int)>();
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++)
                    if (random.NextDouble() < density) edges.Add((a, b));
            var h = Symmetric(n, edges, diagonal: random.Next(2) == 0);
            var (colours, count) = StarColouring.Colour(h);
            Assert.True(StarColouring.IsValid(h, colours), $"not a star colouring of\n{h}\n(seed {seed})");
            Assert.Equal(colours.Length == 0 ? 0 : colours.Max() + 1, count);
            var reading = StarColouring.ReadingRows(h, colours);
            for (int r = 0; r < n; r++)
                for (int e = h.RowStarts[r]; e < h.RowStarts[r + 1]; e++)
                {
                    int c = h.ColumnIndices[e];
                    Assert.Equal(reading[e], reading[h.IndexOf(c, r)]); // an entry and its mirror are read once, in one row
                    int reader = reading[e], other = reader == r ? c : r;
                    Assert.True(reader == r || reader == c);
                    for (int k = h.RowStarts[reader]; k < h.RowStarts[reader + 1]; k++) // alone among the reading row's entries of that colour
                    {
                        int col = h.ColumnIndices[k];
                        Assert.False(col != other && col != reader && r != c && colours[col] == colours[other], $"entry ({r}, {c}) is not alone in row {reader} (seed {seed})");
                    }
                }
        }
    }

    [Fact]
    public void AnArrowheadNeedsTwoColoursWhereDistanceTwoNeedsEveryColumn()
    {
        const int n = 20;
        foreach (int hub in new[] { 0, n - 1, 7 })
        {
            var h = Symmetric(n, Enumerable.Range(0, n).Where(i => i != hub).Select(i => (hub, i)));
            var (_, count) = StarColouring.Colour(h);
            Assert.Equal(2, count);
            Assert.Equal(n, ColumnColouring.Colour(h).Count);
        }
    }

    [Fact]
    public void BandedAndDensePatternsGetTheExpectedColours()
    {
        Assert.Equal(3, StarColouring.Colour(Symmetric(12, Enumerable.Range(0, 11).Select(i => (i, i + 1)))).Count);
        var complete = Symmetric(6, from a in Enumerable.Range(0, 6) from b in Enumerable.Range(0, 6) where a < b select (a, b));
        Assert.Equal(6, StarColouring.Colour(complete).Count);
        Assert.Equal(1, StarColouring.Colour(Symmetric(5, [])).Count);
    }

    [Fact]
    public void TheCheckerAndTheReadingRowsRefuseWhatIsNotAStarColouring()
    {
        var path = Symmetric(4, [(0, 1), (1, 2), (2, 3)]);
        int[] twoColours = [0, 1, 0, 1]; // the path 0-1-2-3 in two colours
        Assert.False(StarColouring.IsValid(path, twoColours));
        Assert.Throws<InvalidOperationException>(() => StarColouring.ReadingRows(path, twoColours));
        Assert.False(StarColouring.IsValid(path, [0, 0, 1, 2])); // neighbours share a colour
        Assert.True(StarColouring.IsValid(path, [0, 1, 0, 2]));
    }
}
