// Which pickled callables betray a payload: checkpoints hold tensors and plain data, never calls into these.
namespace Kanade.IO;

/// <summary>Recognises globals whose call in Python would run commands or code.</summary>
internal static class UnsafeGlobals
{
    /// <summary>Modules (and their submodules) that no checkpoint has a reason to call into.</summary>
    static readonly string[] Modules =
    [
        "os", "posix", "nt", "posixpath", "ntpath", "subprocess", "sys", "shutil", "socket", "importlib", "runpy",
        "code", "codeop", "ctypes", "pty", "commands", "webbrowser", "pickle", "_pickle", "cPickle", "marshal",
        "types", "operator", "functools", "multiprocessing", "asyncio", "signal", "threading", "_thread", "io",
        "_io", "tempfile", "glob", "urllib", "http", "ftplib", "smtplib", "telnetlib", "requests", "platform",
        "inspect", "gc", "zipimport", "pkgutil", "site", "dill", "cloudpickle", "joblib", "torch.hub", "torch.jit",
        "torch._C", "torch.ops", "torch.utils.cpp_extension", "numpy.testing", "pydoc", "timeit", "trace", "pdb",
        "bdb", "cProfile", "profile",
    ];

    /// <summary>The builtins a checkpoint may construct; any other builtin (eval, exec, getattr, open, ...) is a payload.</summary>
    static readonly HashSet<string> HarmlessBuiltins =
    [
        "set", "frozenset", "bytearray", "bytes", "slice", "complex", "range", "list", "dict", "tuple", "int", "float",
        "str", "bool", "object", "Ellipsis", "NotImplemented",
    ];

    /// <summary>Single functions that load further pickles or write files, in modules that are otherwise harmless.</summary>
    static readonly HashSet<(string, string)> Functions =
    [
        ("torch", "load"), ("torch", "save"), ("torch.serialization", "load"), ("torch.serialization", "save"),
        ("numpy", "load"), ("numpy", "save"), ("numpy", "fromfile"), ("numpy.lib.npyio", "load"), ("pandas", "read_pickle"),
    ];

    /// <summary>True when calling <paramref name="global"/> in Python could run commands or arbitrary code.</summary>
    public static bool CanRunCode(PickleGlobal global)
    {
        if (Functions.Contains((global.Module, global.Name))) return true;
        if (global.Module is "builtins" or "__builtin__")
            return !HarmlessBuiltins.Contains(global.Name);
        foreach (string module in Modules)
            if (global.Module == module || global.Module.StartsWith(module + ".", StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>
    /// The error for a file that asks to call such a global. <c>Data["UnsafeCallable"]</c> holds <c>module.name</c>.
    /// (InvalidDataException is sealed, so the refusal is told apart by that entry, not by a subclass.)
    /// </summary>
    public static InvalidDataException Refusal(string source, PickleGlobal global)
    {
        var error = new InvalidDataException(
            $"'{source}' asks to call {global}, which would run code in Python; the file is refused and nothing was executed. "
            + "Weights files hold tensors and plain data only: load them only from sources you trust, and prefer safetensors.");
        error.Data["UnsafeCallable"] = global.ToString();
        return error;
    }
}
