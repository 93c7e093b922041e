// Opens a torch.save file: the zip format (PyTorch 1.6+: NAME/data.pkl plus NAME/data/KEY per storage) or the
// legacy format (magic, protocol, sys_info, the object, the storage keys, then each storage's size and bytes).
using System.IO.Compression;
using System.Numerics;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.IO;

/// <summary>The unpickled top-level object of a PyTorch checkpoint, with its storages read on demand.</summary>
internal sealed class TorchCheckpointReader : IDisposable
{
    /// <summary>torch.save's legacy magic number.</summary>
    static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356");

    /// <summary>A pickle larger than this is not a checkpoint's metadata but a corrupt length.</summary>
    const long MaxPickleBytes = 1L << 30;

    readonly Dictionary<string, TorchStorage> storages = new(StringComparer.Ordinal);
    readonly FileStream file;
    ZipArchive? archive;
    LegacyStorageSource? legacySource;
    bool bigEndian;

    public string Path { get; }
    public string Format { get; }
    public object? Root { get; }

    public TorchCheckpointReader(string path)
    {
        Path = path;
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not a PyTorch checkpoint.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"PyTorch checkpoint '{path}' does not exist.", path);
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try
        {
            Span<byte> head = stackalloc byte[4];
            int read = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            file.Position = 0;
            if (read >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K')
            {
                Format = "zip";
                Root = ReadZip();
            }
            else if (read >= 2 && head[0] == 0x80 && head[1] <= 5)
            {
                Format = "legacy";
                Root = ReadLegacy();
            }
            else if (IsTar())
                throw new NotSupportedException($"'{path}' is a tar-format checkpoint (PyTorch before 0.4); re-save it with a newer PyTorch.");
            else
                throw new InvalidDataException($"'{path}' is not a PyTorch checkpoint: it is neither a zip archive nor a pickle ({file.Length} bytes).");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Materializes a tensor described by the pickle.</summary>
    public Tensor Materialize(TorchTensorRef tensor, string name)
    {
        try
        {
            return tensor.Materialize(Path, name);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"'{Path}': the bytes of tensor '{name}' (storage '{tensor.Storage.Key}') end early; the file is truncated.");
        }
    }

    public void Dispose()
    {
        foreach (var storage in storages.Values) storage.Dispose();
        storages.Clear();
        archive?.Dispose();
        file.Dispose();
    }

    object? ReadZip()
    {
        try
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            try
            {
                archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
                foreach (var entry in archive.Entries) entries.TryAdd(entry.FullName, entry);
            }
            catch (InvalidDataException e) { throw Damaged(e); }

            var pickles = entries.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.Count(c => c == '/') == 1).ToList();
            if (pickles.Count != 1)
            {
                if (entries.Keys.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
                    throw new NotSupportedException($"'{Path}' is a TorchScript archive (torch.jit.save), not a state dict; save model.state_dict() with torch.save instead.");
                throw new InvalidDataException($"'{Path}' is a zip archive but not a PyTorch checkpoint: it has {(pickles.Count == 0 ? "no" : "several")} NAME/data.pkl entries.");
            }
            string prefix = pickles[0][..^"data.pkl".Length];
            if (entries.TryGetValue(prefix + "byteorder", out var byteOrderEntry))
            {
                string byteOrder = Encoding.ASCII.GetString(ReadEntry(byteOrderEntry, 64)).Trim();
                bigEndian = byteOrder == "big";
                if (byteOrder is not ("little" or "big"))
                    throw new InvalidDataException($"'{Path}': its byteorder record says '{byteOrder}', not 'little' or 'big'.");
            }

            var pickleEntry = entries[pickles[0]];
            using var pickle = new MemoryStream(ReadEntry(pickleEntry, MaxPickleBytes));
            var source = new ZipStorageSource(this, Path, prefix, entries);
            var hooks = new TorchPickleHooks($"{Path}:{pickles[0]}", (key, dtype, numel) => StorageFor(source, key, dtype, numel));
            return PickleMachine.Load(pickle, $"{Path}:{pickles[0]}", hooks);
        }
        catch (Exception e) when (e is ArgumentException or IOException and not FileNotFoundException)
        {
            throw Damaged(e);
        }
    }

    InvalidDataException Damaged(Exception e) =>
        new($"'{Path}' is a damaged zip archive: {(e is EndOfStreamException ? "an entry ends early" : e.Message)}", e);

    object? ReadLegacy()
    {
        var hooks = new TorchPickleHooks(Path, (key, dtype, numel) => StorageFor(legacySource!, key, dtype, numel));
        legacySource = new LegacyStorageSource(Path, file);

        var magic = PickleMachine.Load(file, Path, hooks);
        if (magic is not BigInteger number || number != LegacyMagic)
            throw new InvalidDataException($"'{Path}' starts with a pickle but not with torch.save's magic number; it is not a PyTorch checkpoint.");
        var protocol = PickleMachine.Load(file, Path, hooks);
        if (protocol is not long version || version != 1001)
            throw new InvalidDataException($"'{Path}': legacy checkpoint protocol {PickleMachine.Describe(protocol)} {protocol}, expected 1001.");
        // sys_info names the writing machine; legacy storages are little-endian on disk whatever it says.
        PickleMachine.Load(file, Path, hooks);

        var root = PickleMachine.Load(file, Path, hooks);
        var keys = PickleMachine.Load(file, Path, hooks);
        if (keys is not List<object?> keyList)
            throw new InvalidDataException($"'{Path}': the storage key list is a {PickleMachine.Describe(keys)}.");
        legacySource.Locate(keyList.Select(k => k as string ?? throw new InvalidDataException($"'{Path}': a storage key is a {PickleMachine.Describe(k)}.")), storages);
        return root;
    }

    TorchStorage StorageFor(ITorchStorageSource source, string key, ScalarType dtype, long numel)
    {
        if (storages.TryGetValue(key, out var existing))
        {
            if (existing.DType != dtype || existing.Numel != numel)
                throw new InvalidDataException($"'{Path}': storage '{key}' is described as both {existing.Numel} x {existing.DType} and {numel} x {dtype}.");
            return existing;
        }
        var storage = new TorchStorage(source, key, dtype, numel);
        storages[key] = storage;
        return storage;
    }

    byte[] ReadEntry(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit || entry.Length < 0)
            throw new InvalidDataException($"'{Path}': zip entry '{entry.FullName}' claims {entry.Length} bytes, more than such an entry ever holds.");
        try
        {
            var bytes = new byte[entry.Length];
            using var stream = entry.Open();
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw Damaged(e);
        }
    }

    bool IsTar()
    {
        if (file.Length < 262) return false;
        Span<byte> magic = stackalloc byte[5];
        file.Position = 257;
        file.ReadExactly(magic);
        file.Position = 0;
        return magic.SequenceEqual("ustar"u8);
    }

    /// <summary>Storages in zip entries NAME/data/KEY.</summary>
    sealed class ZipStorageSource(TorchCheckpointReader owner, string path, string prefix, Dictionary<string, ZipArchiveEntry> entries) : ITorchStorageSource
    {
        public Tensor Read(string key, ScalarType dtype, long numel)
        {
            if (!entries.TryGetValue(prefix + "data/" + key, out var entry))
                throw new InvalidDataException($"'{path}': storage '{key}' has no entry {prefix}data/{key} in the archive.");
            long bytes = numel * TorchTypeNames.ElementSize(dtype);
            if (entry.Length != bytes)
                throw new InvalidDataException($"'{path}': storage '{key}' should hold {numel} x {dtype} = {bytes} bytes but its entry holds {entry.Length}.");
            var tensor = torch.empty(numel, dtype, device: CPU);
            try
            {
                using var stream = entry.Open();
                TensorBytes.ReadFrom(stream, tensor);
                if (owner.bigEndian) TensorBytes.SwapByteOrder(tensor, TorchTypeNames.WordSize(dtype));
                return tensor;
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
            {
                tensor.Dispose();
                throw new InvalidDataException($"'{path}': storage '{key}' cannot be read: {e.Message}", e);
            }
        }
    }

    /// <summary>Storages after the pickles of a legacy file: for each key in the listed order, an int64 element count and the bytes.</summary>
    sealed class LegacyStorageSource(string path, FileStream file) : ITorchStorageSource
    {
        readonly Dictionary<string, long> offsets = new(StringComparer.Ordinal);

        /// <summary>Walks the data section once, checking each recorded size against the pickle's.</summary>
        public void Locate(IEnumerable<string> keys, Dictionary<string, TorchStorage> storages)
        {
            long position = file.Position;
            Span<byte> count = stackalloc byte[8];
            foreach (string key in keys)
            {
                if (!storages.TryGetValue(key, out var storage))
                    throw new InvalidDataException($"'{path}': storage '{key}' is listed but no tensor uses it.");
                if (position + 8 > file.Length)
                    throw new InvalidDataException($"'{path}': the file ends before storage '{key}' (truncated).");
                file.Position = position;
                file.ReadExactly(count);
                long numel = BitConverter.ToInt64(count);
                if (numel != storage.Numel)
                    throw new InvalidDataException($"'{path}': storage '{key}' records {numel} elements but the pickle says {storage.Numel}.");
                offsets[key] = position + 8;
                position += 8 + numel * TorchTypeNames.ElementSize(storage.DType);
                if (position > file.Length)
                    throw new InvalidDataException($"'{path}': storage '{key}' runs past the end of the file (truncated).");
            }
            foreach (string key in storages.Keys)
                if (!offsets.ContainsKey(key))
                    throw new InvalidDataException($"'{path}': storage '{key}' is used but not in the storage list.");
        }

        public Tensor Read(string key, ScalarType dtype, long numel)
        {
            var tensor = torch.empty(numel, dtype, device: CPU);
            try
            {
                file.Position = offsets[key];
                TensorBytes.ReadFrom(file, tensor);
                return tensor;
            }
            catch
            {
                tensor.Dispose();
                throw;
            }
        }
    }
}
