using System.Text;
using System.Text.RegularExpressions;

namespace GpuDiff.Tests;

/// <summary>
/// The README's shell sessions (<c>$ cat FILE</c> with the file, <c>$ gpudiff ...</c> with what it
/// prints), run as a newcomer would: on the default backend, every line compared. A file under
/// docs/ must match what the README shows; any other is written where the commands run. Written
/// paths print as /path, and the backend a command names as whichever this machine's Auto gives.
/// </summary>
public sealed partial class ReadmeExampleTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("gpudiff-readme-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "GpuDiff.sln"))) root = root.Parent;
            Assert.True(root is not null, $"no GpuDiff.sln above {AppContext.BaseDirectory}");
            return root!.FullName;
        }
    }

    /// <summary>One line of a session: a command (continuation lines joined) or a line it printed.</summary>
    private sealed record Step(string Command, List<string> Shown);

    private static List<List<Step>> Sessions()
    {
        var sessions = new List<List<Step>>();
        List<Step>? session = null;
        bool inBlock = false, continued = false;
        foreach (string line in File.ReadAllLines(Path.Combine(Root, "README.md")))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inBlock && session is { Count: > 0 }) sessions.Add(session);
                (inBlock, session, continued) = (!inBlock, [], false);
                continue;
            }
            if (!inBlock || session is null) continue;
            if (continued)
            {
                var last = session[^1];
                session[^1] = last with { Command = last.Command + " " + line.Trim().TrimEnd('\\').Trim() };
                continued = line.EndsWith('\\');
            }
            else if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                session.Add(new Step(line[2..].TrimEnd('\\').Trim(), []));
                continued = line.EndsWith('\\');
            }
            else if (session.Count > 0) session[^1].Shown.Add(line);
        }
        return sessions;
    }

    [Fact]
    public void TheReadmesSessionsPrintWhatItShows()
    {
        var sessions = Sessions();
        Assert.True(sessions.Count >= 3, $"found {sessions.Count} shell sessions in README.md");
        int commands = 0;
        foreach (var session in sessions)
            foreach (var step in session)
            {
                var words = Words(step.Command);
                if (words[0] == "cat")
                {
                    string text = string.Join('\n', step.Shown) + "\n";
                    if (words[1].StartsWith("docs/", StringComparison.Ordinal))
                        Assert.Equal(text, File.ReadAllText(Path.Combine(Root, words[1])).ReplaceLineEndings("\n"));
                    else
                        File.WriteAllText(Path.Combine(dir, words[1]), text);
                    continue;
                }
                Assert.Equal("gpudiff", words[0]);
                commands++;
                string[] arguments = [.. words.Skip(1).Select(Located)];
                var (code, stdout, stderr) = GpudiffProcess.Run(arguments);
                Assert.True(code == 0, $"gpudiff {step.Command} exited {code}: {stderr}");
                string shown = Normalised(string.Join('\n', step.Shown)), printed = Normalised(stdout.Replace(dir, "/path"));
                if (shown != printed) Assert.Fail($"{step.Command} printed\n{printed}\nwhere README.md shows\n{shown}");
            }
        Assert.True(commands >= 5, $"ran {commands} gpudiff commands from README.md");
    }

    /// <summary>A file argument: docs/ from the repository, any other name in this test's folder.</summary>
    private string Located(string word)
    {
        if (word.StartsWith("docs/", StringComparison.Ordinal)) return Path.Combine(Root, word);
        return FileName().IsMatch(word) ? Path.Combine(dir, word) : word;
    }

    private static string Normalised(string text) =>
        BackendName().Replace(text.ReplaceLineEndings("\n").TrimEnd('\n'), "points on BACKEND written");

    /// <summary>Splits a command line at spaces, keeping double-quoted words whole (without the quotes).</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in command)
        {
            if (c == '"') (quoted, any) = (!quoted, true);
            else if (c == ' ' && !quoted)
            {
                if (any) words.Add(word.ToString());
                (word, any) = (new StringBuilder(), false);
            }
            else (_, any) = (word.Append(c), true);
        }
        if (any) words.Add(word.ToString());
        return words;
    }

    [GeneratedRegex(@"^[\w.-]+\.(gd|parquet|csv|npy|json|png|bin)$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"points on [a-z-]+ written")]
    private static partial Regex BackendName();
}
