using System.Text;
using CsCheck;
using GpuDiff.ModelLanguage;

namespace GpuDiff.Tests.ModelLanguage;

/// <summary>
/// The front end on random and mutated text: every input is either accepted or rejected with a
/// positioned error, never another exception, a crash or a hang. Quick by default; set
/// GPUDIFF_FUZZ_LONG=1 for at least 10^6 inputs of each kind.
/// </summary>
public sealed class ModelTextFuzzTests
{
    private static readonly bool Long = Environment.GetEnvironmentVariable("GPUDIFF_FUZZ_LONG") == "1";
    private static readonly long Iterations = Long ? 1_000_000 : 10_000;

    private static readonly string[] Vocabulary =
    [
        "input", "param", "let", "output", "x", "y", "z", "k", "r", "f", "(", ")", ",", "=", "+", "-", "*", "/", "^", "**",
        "<", "<=", ">", ">=", "==", "!=", "and", "or", "not", "if", "sin", "atan2", "pow", "sqrt", "min", "0", "1", "2.5", ".5",
        "1e-3", "1e", "1e999", "pi", "e", ";", "\n", "# note\n", " ", "\t", "é", "$", "😀", "\r\n", "!", "&",
    ];

    private static readonly string[] Valid =
    [
        TextModelTexts.SeedTwoByTwo, TextModelTexts.LinearMap3, TextModelTexts.Rosenbrock4, TextModelTexts.PlanarArm6,
        TextModelTexts.Brown5, TextModelTexts.AllFunctions, TextModelTexts.OtherFunctions,
        "input x, y\nparam k = 2\nlet r = sqrt(x^2 + y^2)\noutput f = if(r < k and not (x == 0), -x^2 / r, 0)",
    ];

    /// <summary>Accepted, or refused with a line and column inside the text.</summary>
    private static void AcceptedOrPositioned(string text)
    {
        try
        {
            ModelText.Check(text);
        }
        catch (ModelTextException e)
        {
            var d = e.Diagnostic;
            string[] lines = text.Split('\n');
            if (d.Line < 1 || d.Line > lines.Length)
                throw new InvalidOperationException($"line {d.Line} outside 1..{lines.Length} for {Show(text)}");
            int runes = lines[d.Line - 1].TrimEnd('\r').EnumerateRunes().Count();
            if (d.Column < 1 || d.Column > runes + 1)
                throw new InvalidOperationException($"column {d.Column} outside 1..{runes + 1} of line {d.Line} for {Show(text)}");
            if (string.IsNullOrWhiteSpace(d.Message)) throw new InvalidOperationException($"empty message for {Show(text)}");
        }
    }

    private static string Show(string text) => "\"" + text.Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    [Fact]
    public void RandomTokenSequencesAreAcceptedOrRejectedWithAPosition() =>
        Gen.Int[0, Vocabulary.Length - 1].Array[0, 80].Select(Gen.Bool.Array[80], (words, spaced) =>
        {
            var text = new StringBuilder();
            for (int i = 0; i < words.Length; i++) text.Append(Vocabulary[words[i]]).Append(spaced[i] ? " " : "");
            return text.ToString();
        }).Sample(AcceptedOrPositioned, iter: Iterations);

    [Fact]
    public void MutatedValidModelsAreAcceptedOrRejectedWithAPosition() =>
        Gen.Int[0, Valid.Length - 1].Select(Gen.Int, Gen.Int[1, 6], (which, seed, edits) => Mutate(Valid[which], new Random(seed), edits))
            .Sample(AcceptedOrPositioned, iter: Iterations);

    [Fact]
    public void RandomCharactersAreAcceptedOrRejectedWithAPosition() =>
        Gen.String[Gen.Char.AlphaNumeric, 0, 60].Select(Gen.String[0, 40], (a, b) => "input x\noutput f = " + a + b)
            .Sample(AcceptedOrPositioned, iter: Iterations);

    [Fact]
    public void HugeInputsFinishQuickly()
    {
        // Linear work: a megabyte of statements, and a name a hundred thousand characters long.
        var text = new StringBuilder("input x\n");
        for (int i = 0; i < 20_000; i++) text.Append("let v").Append(i).Append(" = x * ").Append(i).Append(" + sin(x)\n");
        text.Append("output f = v19999\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ModelText.Check(text.ToString());
        AcceptedOrPositioned("input x\noutput f = " + new string('q', 100_000) + "\noutput g = " + new string('q', 99_999) + "r");
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"took {watch.Elapsed}");
    }

    private static string Mutate(string text, Random random, int edits)
    {
        var s = new StringBuilder(text);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(s.Length + 1);
            switch (random.Next(4))
            {
                case 0 when s.Length > 0:
                    int length = Math.Min(random.Next(1, 8), s.Length - Math.Min(at, s.Length - 1));
                    s.Remove(Math.Min(at, s.Length - 1), Math.Max(length, 0));
                    break;
                case 1:
                    s.Insert(at, Vocabulary[random.Next(Vocabulary.Length)]);
                    break;
                case 2:
                    s.Insert(at, (char)random.Next(0, 0x3000));
                    break;
                default:
                    int from = random.Next(s.Length + 1), count = Math.Min(random.Next(1, 20), s.Length - from);
                    s.Insert(at, s.ToString(from, count));
                    break;
            }
        }
        return s.ToString();
    }
}
