// Runs a .NET Interactive notebook headlessly in this process: the C# kernel as Polyglot Notebooks starts it, every code cell in order.
using System.Reflection;
using System.Text.RegularExpressions;
using Kanade.Tests;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;

namespace Kanade.MLNet.Tests.Notebooks;

/// <summary>What one code cell produced.</summary>
/// <param name="Index">Position among the notebook's code cells (0 = the references cell).</param>
/// <param name="Code">The code as submitted.</param>
/// <param name="Html">Every text/html value it displayed or returned.</param>
/// <param name="StandardOutput">What it wrote to standard output.</param>
internal sealed record CellResult(int Index, string Code, IReadOnlyList<string> Html, string StandardOutput);

/// <summary>
/// Executes the code cells of an <c>.ipynb</c> in a <see cref="CSharpKernel"/> with the kernel helpers that Polyglot
/// Notebooks adds (<c>display</c>, <c>HTML</c>). The first code cell, the one whose <c>#r</c> lines reference the
/// libraries built in the repository, is replaced by references to the same assemblies as this test process has
/// loaded them; every other cell runs exactly as written, with the notebook's folder as the current directory.
/// </summary>
internal sealed partial class NotebookRunner : IDisposable
{
    readonly CSharpKernel kernel = new CSharpKernel().UseKernelHelpers().UseValueSharing();
    readonly List<CellResult> cells = [];

    /// <summary>The results of the cells run so far, in order.</summary>
    public IReadOnlyList<CellResult> Cells => cells;

    /// <summary>Every text/html output of every cell, in order.</summary>
    public IEnumerable<string> Html => cells.SelectMany(c => c.Html);

    /// <summary>Standard output of every cell, concatenated.</summary>
    public string StandardOutput => string.Concat(cells.Select(c => c.StandardOutput));

    /// <summary>Runs the notebook at <paramref name="path"/>; fails the test at the first cell that reports an error.</summary>
    public static NotebookRunner Run(string path, IReadOnlyDictionary<string, string?> environment)
    {
        var runner = new NotebookRunner();
        try
        {
            runner.RunAll(path, environment);
            return runner;
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }

    /// <summary>The value of a variable the notebook defined.</summary>
    public T Variable<T>(string name) =>
        kernel.TryGetValue(name, out T value) ? value : throw new AssertFailedException($"The notebook defines no variable '{name}' of type {typeof(T).Name}.");

    /// <summary>The C# code cells of a notebook, in order.</summary>
    public static IReadOnlyList<string> CodeCells(string path)
    {
        using var stream = File.OpenRead(path);
        var document = Notebook.Read(stream, new KernelInfoCollection { new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp") });
        return document.Elements.Where(e => e.KernelName == "csharp").Select(e => e.Contents).ToList();
    }

    void RunAll(string path, IReadOnlyDictionary<string, string?> environment)
    {
        var code = CodeCells(path);
        Assert.IsNotEmpty(code, $"{path} has no C# cells");
        using var variables = new EnvironmentScope(environment);
        string savedDirectory = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            kernel.AddAssemblyReferences(ReferencedAssemblies(code[0], path));
            for (int i = 1; i < code.Count; i++) Submit(path, i, code[i]);
        }
        finally
        {
            Environment.CurrentDirectory = savedDirectory;
        }
    }

    void Submit(string path, int index, string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var html = new List<string>();
        var output = new System.Text.StringBuilder();
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case CommandFailed failed:
                    Assert.Fail($"{Path.GetFileName(path)}, code cell {index} failed:\n{failed.Message}\n--- cell ---\n{code}");
                    break;
                case StandardOutputValueProduced stdout:
                    output.Append(stdout.FormattedValues.First().Value);
                    break;
                case DisplayEvent display when display is DisplayedValueProduced or ReturnValueProduced:
                    html.AddRange(display.FormattedValues.Where(f => f.MimeType == "text/html").Select(f => f.Value));
                    break;
            }
        }
        cells.Add(new CellResult(index, code, html, output.ToString()));
    }

    /// <summary>
    /// The files of the assemblies that the references cell's <c>#r "…/NAME.dll"</c> lines name, as loaded here, with
    /// the assemblies they reference from this test's output folder (what .NET Interactive resolves beside a #r'd file).
    /// </summary>
    static List<string> ReferencedAssemblies(string referencesCell, string path)
    {
        var names = ReferenceLine().Matches(referencesCell).Select(m => m.Groups[1].Value).ToList();
        Assert.IsNotEmpty(names, $"The first code cell of {path} should reference the libraries with #r lines; it is:\n{referencesCell}");
        var files = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>(names.Select(n => new AssemblyName(n)));
        while (pending.TryPop(out var name))
        {
            string file = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            if (!File.Exists(file) || !files.Add(file)) continue;
            foreach (var dependency in Assembly.Load(name).GetReferencedAssemblies()) pending.Push(dependency);
        }
        foreach (string name in names)
            Assert.Contains(Path.Combine(AppContext.BaseDirectory, name + ".dll"), files, $"{path} references {name}.dll, which this build lacks");
        return [.. files];
    }

    [GeneratedRegex("""^\s*#r\s+"[^"]*?([^"/\\]+)\.dll"\s*$""", RegexOptions.Multiline)]
    private static partial Regex ReferenceLine();

    public void Dispose() => kernel.Dispose();
}
