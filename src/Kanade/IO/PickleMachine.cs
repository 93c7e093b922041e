// A pickle reader (Python's pickle protocols 0-5) that never runs code: globals resolve only to what a
// PickleHooks whitelist knows; every other class or callable becomes inert data (PickleObject), and a call into
// a module that can run commands or code (os, subprocess, builtins.eval, ...) is refused outright.
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kanade.IO;

/// <summary>What a caller of <see cref="PickleMachine"/> knows about the objects of its file format.</summary>
internal abstract class PickleHooks
{
    /// <summary>Resolves a persistent id (PyTorch's storage references).</summary>
    public abstract object? PersistentLoad(object? pid);

    /// <summary>Maps a global to a known marker; anything unknown stays a <see cref="PickleGlobal"/>.</summary>
    public virtual object ResolveGlobal(string module, string name) => new PickleGlobal(module, name);

    /// <summary>Builds a known callable's result (REDUCE) or a known class's instance (NEWOBJ); false when unknown.</summary>
    public virtual bool TryCall(object callable, object?[] args, out object? result)
    {
        result = null;
        return false;
    }
}

/// <summary>Runs the opcodes of one pickle to its STOP and returns the object it built.</summary>
internal sealed class PickleMachine
{
    /// <summary>Longest text line (protocol-0 opcodes) accepted; real ones are short.</summary>
    const int MaxLineLength = 1 << 16;

    static readonly object Mark = new();
    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    readonly Stream input;
    readonly string source;
    readonly PickleHooks hooks;
    readonly List<object?> stack = [];
    readonly List<int> marks = [];
    readonly Dictionary<long, object?> memo = [];

    PickleMachine(Stream input, string source, PickleHooks hooks) => (this.input, this.source, this.hooks) = (input, source, hooks);

    /// <summary>
    /// Reads one pickle from the current position of <paramref name="input"/> (seekable, so lengths can be checked
    /// against what is left) and leaves the stream just after its STOP opcode.
    /// </summary>
    /// <param name="input">The stream, positioned at the pickle.</param>
    /// <param name="source">Names the file (and entry) in error messages.</param>
    /// <param name="hooks">The whitelist of known objects.</param>
    /// <exception cref="InvalidDataException">The pickle is malformed or truncated.</exception>
    /// <exception cref="InvalidDataException">The pickle calls into a module that can run code (<see cref="UnsafeGlobals"/>).</exception>
    public static object? Load(Stream input, string source, PickleHooks hooks)
    {
        if (!input.CanSeek) throw new ArgumentException("The pickle stream must be seekable.", nameof(input));
        try
        {
            return new PickleMachine(input, source, hooks).Run();
        }
        catch (EndOfStreamException)
        {
            throw Error(source, "the pickle ends before its STOP opcode (truncated file?)");
        }
    }

    object? Run()
    {
        while (true)
        {
            long position = input.Position;
            int opcode = input.ReadByte();
            if (opcode < 0) throw new EndOfStreamException();
            if (opcode == '.')
            {
                if (marks.Count > 0) throw Error(source, $"STOP at byte {position} leaves an open MARK");
                if (stack.Count != 1) throw Error(source, $"STOP at byte {position} leaves {stack.Count} values on the stack instead of 1");
                return stack[0];
            }
            Execute((byte)opcode, position);
        }
    }

    void Execute(byte opcode, long position)
    {
        switch (opcode)
        {
            // Framing and protocol.
            case 0x80: // PROTO
                int protocol = ReadByte();
                if (protocol > 5) throw Error(source, $"pickle protocol {protocol} is newer than 5");
                break;
            case 0x95: // FRAME: a length hint only
                ReadBytes(8);
                break;

            // Stack manipulation.
            case (byte)'(': marks.Add(stack.Count); break; // MARK
            case (byte)'0': // POP: on an empty level it drops the MARK, as Python's does
                if (marks.Count > 0 && stack.Count == marks[^1]) marks.RemoveAt(marks.Count - 1);
                else Pop();
                break;
            case (byte)'1': PopToMark(); break; // POP_MARK
            case (byte)'2': Push(Peek()); break; // DUP

            // Memo.
            case (byte)'p': memo[ParseLong(ReadLine(), "PUT")] = Peek(); break;
            case (byte)'q': memo[ReadByte()] = Peek(); break; // BINPUT
            case (byte)'r': memo[ReadUInt32()] = Peek(); break; // LONG_BINPUT
            case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
            case (byte)'g': Push(MemoGet(ParseLong(ReadLine(), "GET"))); break;
            case (byte)'h': Push(MemoGet(ReadByte())); break; // BINGET
            case (byte)'j': Push(MemoGet(ReadUInt32())); break; // LONG_BINGET

            // Constants and numbers.
            case (byte)'N': Push(null); break;
            case 0x88: Push(true); break; // NEWTRUE
            case 0x89: Push(false); break; // NEWFALSE
            case (byte)'I': PushTextInt(ReadLine()); break; // INT
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
            case (byte)'K': Push((long)ReadByte()); break; // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
            case (byte)'L': Push(Normalize(ParseBigInteger(ReadLine().TrimEnd('L'), "LONG"))); break; // LONG
            case 0x8a: Push(Normalize(new BigInteger(ReadBytes(ReadByte()), isUnsigned: false, isBigEndian: false))); break; // LONG1
            case 0x8b: Push(Normalize(new BigInteger(ReadBytes(ReadLength(4)), isUnsigned: false, isBigEndian: false))); break; // LONG4
            case (byte)'F': Push(ParseDouble(ReadLine())); break; // FLOAT
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT

            // Strings and bytes.
            case (byte)'S': Push(ParseQuotedString(ReadLine())); break; // STRING
            case (byte)'T': Push(Latin1(ReadBytes(ReadLength(4)))); break; // BINSTRING
            case (byte)'U': Push(Latin1(ReadBytes(ReadByte()))); break; // SHORT_BINSTRING
            case (byte)'V': Push(ParseRawUnicodeEscape(ReadLine())); break; // UNICODE
            case (byte)'X': Push(Utf8(ReadBytes(ReadLength(4)))); break; // BINUNICODE
            case 0x8c: Push(Utf8(ReadBytes(ReadByte()))); break; // SHORT_BINUNICODE
            case 0x8d: Push(Utf8(ReadBytes(ReadLength(8)))); break; // BINUNICODE8
            case (byte)'B': Push(ReadBytes(ReadLength(4))); break; // BINBYTES
            case (byte)'C': Push(ReadBytes(ReadByte())); break; // SHORT_BINBYTES
            case 0x8e: Push(ReadBytes(ReadLength(8))); break; // BINBYTES8
            case 0x96: Push(ReadBytes(ReadLength(8))); break; // BYTEARRAY8

            // Tuples, lists, dicts, sets.
            case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
            case (byte)'t': Push(PopToMark()); break; // TUPLE
            case 0x85: Push(new[] { Pop() }); break; // TUPLE1
            case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
            case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
            case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
            case (byte)'l': Push(PopToMark().ToList()); break; // LIST
            case (byte)'a': { var item = Pop(); PeekAs<List<object?>>("APPEND").Add(item); break; }
            case (byte)'e': { var items = PopToMark(); PeekAs<List<object?>>("APPENDS").AddRange(items); break; }
            case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
            case (byte)'d': Push(MakeDict(PopToMark())); break; // DICT
            case (byte)'s': { var value = Pop(); var key = Pop(); PeekAs<PickleDict>("SETITEM").Set(key, value, source); break; }
            case (byte)'u': // SETITEMS
            {
                var items = PopToMark();
                if (items.Length % 2 != 0) throw Error(source, "SETITEMS has an odd number of items");
                var dict = PeekAs<PickleDict>("SETITEMS");
                for (int i = 0; i < items.Length; i += 2) dict.Set(items[i], items[i + 1], source);
                break;
            }
            case 0x8f: Push(new PickleSet([])); break; // EMPTY_SET
            case 0x90: { var items = PopToMark(); PeekAs<PickleSet>("ADDITEMS").Items.AddRange(items); break; }
            case 0x91: Push(new PickleSet(PopToMark())); break; // FROZENSET

            // Globals, calls and object construction: only ever through the hooks' whitelist.
            case (byte)'c': // GLOBAL
            {
                string module = ReadLine(), name = ReadLine();
                Push(hooks.ResolveGlobal(module, name));
                break;
            }
            case 0x93: // STACK_GLOBAL
            {
                var name = Pop(); var module = Pop();
                if (module is not string m || name is not string n)
                    throw Error(source, $"STACK_GLOBAL at byte {position} expects two strings");
                Push(hooks.ResolveGlobal(m, n));
                break;
            }
            case (byte)'R': // REDUCE
            {
                var args = Pop(); var callable = Pop();
                Push(Call(callable, AsTuple(args, "REDUCE"), "call"));
                break;
            }
            case 0x81: // NEWOBJ
            {
                var args = Pop(); var type = Pop();
                Push(Call(type, AsTuple(args, "NEWOBJ"), "instance"));
                break;
            }
            case 0x92: // NEWOBJ_EX
            {
                Pop(); var args = Pop(); var type = Pop();
                Push(Call(type, AsTuple(args, "NEWOBJ_EX"), "instance"));
                break;
            }
            case (byte)'i': // INST
            {
                string module = ReadLine(), name = ReadLine();
                var args = PopToMark();
                Push(Call(hooks.ResolveGlobal(module, name), args, "instance"));
                break;
            }
            case (byte)'o': // OBJ
            {
                var items = PopToMark();
                if (items.Length == 0) throw Error(source, $"OBJ at byte {position} has no class");
                Push(Call(items[0], items[1..], "instance"));
                break;
            }
            case (byte)'b': Build(Pop(), Peek(), position); break; // BUILD

            // Persistent ids: how PyTorch refers to tensor storages kept outside the pickle.
            case (byte)'P': Push(hooks.PersistentLoad(ReadLine())); break; // PERSID
            case (byte)'Q': Push(hooks.PersistentLoad(Pop())); break; // BINPERSID

            case 0x82 or 0x83 or 0x84:
                throw Error(source, $"opcode EXT{(opcode == 0x82 ? 1 : opcode == 0x83 ? 2 : 4)} at byte {position} needs Python's copyreg extension registry");
            case 0x97 or 0x98:
                throw Error(source, $"opcode 0x{opcode:X2} at byte {position} refers to out-of-band buffers, which checkpoints do not use");
            default:
                throw Error(source, $"unknown opcode 0x{opcode:X2} at byte {position}");
        }
    }

    object? Call(object? callable, object?[] args, string what)
    {
        if (callable is null) throw Error(source, $"a {what} of None");
        if (hooks.TryCall(callable, args, out var result)) return result;
        if (callable is PickleGlobal global)
        {
            if (UnsafeGlobals.CanRunCode(global))
                throw UnsafeGlobals.Refusal(source, global);
            return new PickleObject(global, args);
        }
        throw Error(source, $"cannot make a {what} of a {Describe(callable)}");
    }

    void Build(object? state, object? target, long position)
    {
        switch (target)
        {
            case PickleObject obj: obj.State = state; break;
            case PickleDict dict: dict.Attributes = state; break;
            default:
                if (target is null || target is string || target is long || target is double || target is bool
                    || target is object?[] || target is List<object?> || target is byte[])
                    throw Error(source, $"BUILD at byte {position} gives state to a {Describe(target)}");
                break; // Known objects (tensors) carry Python-side state that means nothing here.
        }
    }

    PickleDict MakeDict(object?[] items)
    {
        if (items.Length % 2 != 0) throw Error(source, "DICT has an odd number of items");
        var dict = new PickleDict();
        for (int i = 0; i < items.Length; i += 2) dict.Set(items[i], items[i + 1], source);
        return dict;
    }

    object?[] AsTuple(object? value, string opcode) =>
        value as object?[] ?? throw Error(source, $"{opcode} expects an argument tuple, found a {Describe(value)}");

    T PeekAs<T>(string opcode) where T : class =>
        Peek() as T ?? throw Error(source, $"{opcode} expects a {typeof(T).Name} below it, found a {Describe(Peek())}");

    void Push(object? value) => stack.Add(value);

    object? Pop()
    {
        int floor = marks.Count > 0 ? marks[^1] : 0;
        if (stack.Count <= floor) throw Error(source, "an opcode pops from an empty stack (or across a MARK)");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    object? Peek()
    {
        int floor = marks.Count > 0 ? marks[^1] : 0;
        if (stack.Count <= floor) throw Error(source, "an opcode reads an empty stack (or across a MARK)");
        return stack[^1];
    }

    object?[] PopToMark()
    {
        if (marks.Count == 0) throw Error(source, "an opcode needs a MARK that was never set");
        int start = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(start, stack.Count - start).ToArray();
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    object? MemoGet(long index) =>
        memo.TryGetValue(index, out var value) ? value : throw Error(source, $"memo entry {index} is read before it is written");

    int ReadByte()
    {
        int value = input.ReadByte();
        return value >= 0 ? value : throw new EndOfStreamException();
    }

    long ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>A length prefix of 4 or 8 bytes, checked against what is left of the stream before anything is allocated.</summary>
    long ReadLength(int bytes)
    {
        var raw = ReadBytes(bytes);
        long length = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : BinaryPrimitives.ReadInt64LittleEndian(raw);
        if (length < 0 || length > input.Length - input.Position)
            throw Error(source, $"a length of {length} bytes runs past the end of the data");
        return length;
    }

    byte[] ReadBytes(long count)
    {
        if (count > input.Length - input.Position) throw new EndOfStreamException();
        var buffer = new byte[count];
        input.ReadExactly(buffer);
        return buffer;
    }

    string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = ReadByte();
            if (b == '\n') break;
            if (bytes.Count >= MaxLineLength) throw Error(source, "a text opcode's line is too long");
            bytes.Add((byte)b);
        }
        if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
        return Utf8([.. bytes]);
    }

    string Utf8(byte[] bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Error(source, "a string is not valid UTF-8"); }
    }

    static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    void PushTextInt(string text)
    {
        // Protocol 0 spells True and False as INT 01 and 00.
        if (text == "01") { Push(true); return; }
        if (text == "00") { Push(false); return; }
        Push(Normalize(ParseBigInteger(text, "INT")));
    }

    long ParseLong(string text, string opcode) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value : throw Error(source, $"{opcode} has a malformed number '{text}'");

    BigInteger ParseBigInteger(string text, string opcode) =>
        BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value : throw Error(source, $"{opcode} has a malformed integer '{text}'");

    double ParseDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw Error(source, $"FLOAT has a malformed number '{text}'");

    static object Normalize(BigInteger value) => value >= long.MinValue && value <= long.MaxValue ? (long)value : value;

    /// <summary>Protocol-0 STRING: a Python repr in single or double quotes, with backslash escapes.</summary>
    string ParseQuotedString(string text)
    {
        if (text.Length < 2 || text[0] != text[^1] || (text[0] != '\'' && text[0] != '"'))
            throw Error(source, "STRING is not quoted");
        var result = new StringBuilder();
        var body = text[1..^1];
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\' || i + 1 >= body.Length) { result.Append(c); continue; }
            char next = body[++i];
            switch (next)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case '0': result.Append('\0'); break;
                case 'x' when i + 2 < body.Length
                              && int.TryParse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    result.Append((char)code);
                    i += 2;
                    break;
                default: result.Append(next); break;
            }
        }
        return result.ToString();
    }

    /// <summary>Protocol-0 UNICODE: raw-unicode-escape, where only \uXXXX and \UXXXXXXXX are escapes.</summary>
    string ParseRawUnicodeEscape(string text)
    {
        var result = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 5 < text.Length && text[i + 1] == 'u'
                && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
            {
                result.Append((char)code);
                i += 5;
            }
            else if (text[i] == '\\' && i + 9 < text.Length && text[i + 1] == 'U'
                     && int.TryParse(text.AsSpan(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int wide)
                     && wide is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
            {
                result.Append(char.ConvertFromUtf32(wide));
                i += 9;
            }
            else result.Append(text[i]);
        }
        return result.ToString();
    }

    /// <summary>A short description of a pickled value for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long or BigInteger => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        object?[] => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickleSet => "set",
        PickleGlobal g => $"reference to {g}",
        PickleObject o => $"{o.Type} object",
        _ => value.GetType().Name,
    };

    /// <summary>The exception for a malformed pickle, naming its source.</summary>
    public static InvalidDataException Error(string source, string problem) =>
        new($"'{source}' is not a valid pickle: {problem}.");
}
