using System.Collections.Concurrent;
using System.Text;
using GpuDiff.ModelLanguage.Frontend;
using GpuDiff.ModelLanguage.IR;

namespace GpuDiff.ModelLanguage;

/// <summary>
/// Models written as text, compiled to the same kind of struct a C# model is, so every engine
/// API and backend runs them. Compiled models are cached by name and text for the process's
/// lifetime; parameter values are not part of the code, so changing them compiles nothing.
/// </summary>
/// <example>
/// <code>
/// var model = ModelText.Parse("input x, y\nparam k = 2\noutput f = k * x^2 + sin(y)");
/// var jacobian = engine.Jacobian(model.WithParameter("k", 3.0), [1.0, 2.0]);
/// </code>
/// </example>
public static class ModelText
{
    private static readonly ConcurrentDictionary<(string Name, string Text), Lazy<CompiledModel>> Cache = new();

    /// <summary>Compiles model text; throws <see cref="ModelTextException"/> with the line and column of the first error.</summary>
    /// <param name="text">The model, in the language the README describes.</param>
    /// <param name="name">The model's name in messages and in its compiled type's name.</param>
    public static TextModel Parse(string text, string name = "model")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var lazy = Cache.GetOrAdd((name, text), key => new Lazy<CompiledModel>(() => Compile(key.Name, key.Text)));
        try
        {
            return new TextModel(lazy.Value);
        }
        catch (ModelTextException)
        {
            // Text with an error is not kept: the cache holds compiled models only.
            Cache.TryRemove(new KeyValuePair<(string, string), Lazy<CompiledModel>>((name, text), lazy));
            throw;
        }
    }

    /// <summary>Reads a UTF-8 model file and compiles it; the model is named after the file.</summary>
    public static TextModel Load(string path) => ParseFile(path, File.ReadAllBytes(path));

    /// <summary>Reads a UTF-8 model file asynchronously and compiles it; the model is named after the file.</summary>
    public static async Task<TextModel> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return ParseFile(path, bytes);
    }

    /// <summary>Errors in a file name the file before the line and column.</summary>
    private static TextModel ParseFile(string path, byte[] bytes)
    {
        try
        {
            return Parse(Read(path, bytes), Path.GetFileNameWithoutExtension(path));
        }
        catch (ModelTextException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new ModelTextException(e.Diagnostic, path);
        }
    }

    private static string Read(string path, byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelTextException(new ModelTextDiagnostic(1, 1, $"the file is not valid UTF-8 (at byte {e.Index})", "", false), path);
        }
    }

    private static CompiledModel Compile(string name, string text) => CompiledModel.Compile(name, text, Check(text));

    /// <summary>The front end alone: parses and checks, compiles nothing (the fuzz test's target).</summary>
    internal static ModelDefinition Check(string text)
    {
        var source = new SourceText(text);
        return Binder.Bind(source, Parser.Parse(source));
    }
}
