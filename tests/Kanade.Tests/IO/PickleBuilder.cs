using System.IO.Compression;
using System.Text;

namespace Kanade.Tests.IO;

/// <summary>Writes pickle opcodes by hand, so tests can make unusual or malformed checkpoints.</summary>
public sealed class PickleBuilder
{
    readonly List<byte> bytes = [0x80, 2];

    public PickleBuilder Op(char opcode) { bytes.Add((byte)opcode); return this; }
    public PickleBuilder Op(byte opcode) { bytes.Add(opcode); return this; }
    public PickleBuilder Raw(params byte[] raw) { bytes.AddRange(raw); return this; }
    public PickleBuilder Global(string module, string name) { Op('c'); bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }
    public PickleBuilder Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Op('X'); bytes.AddRange(BitConverter.GetBytes(utf8.Length)); bytes.AddRange(utf8);
        return this;
    }
    public PickleBuilder Int(int value) { Op('J'); bytes.AddRange(BitConverter.GetBytes(value)); return this; }
    public PickleBuilder Mark() => Op('(');
    public PickleBuilder Tuple() => Op('t');
    public PickleBuilder EmptyTuple() => Op(')');
    public PickleBuilder EmptyDict() => Op('}');
    public PickleBuilder SetItems() => Op('u');
    public PickleBuilder Reduce() => Op('R');
    public PickleBuilder NewObj() => Op(0x81);
    public PickleBuilder Stop() => Op('.');

    /// <summary>Pushes a ('storage', torch.FloatStorage, key, 'cpu', numel) persistent id and loads it.</summary>
    public PickleBuilder FloatStorage(string key, int numel) =>
        Mark().Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(numel).Tuple().Op('Q');

    /// <summary>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) of a float storage.</summary>
    public PickleBuilder FloatTensor(string key, int numel, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark().FloatStorage(key, numel).Int(offset);
        Mark(); foreach (int s in size) Int(s); Tuple();
        Mark(); foreach (int s in stride) Int(s); Tuple();
        return Op(0x89).Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce();
    }

    public byte[] ToArray() => [.. bytes];

    /// <summary>Writes a zip-format checkpoint: NAME/data.pkl, NAME/byteorder and the given storages under NAME/data/.</summary>
    public static string WriteZip(string path, byte[] pickle, params (string Key, byte[] Data)[] storages) =>
        WriteZip(path, "little", pickle, storages);

    /// <summary>As <see cref="WriteZip(string, byte[], (string, byte[])[])"/>, with the given byteorder record.</summary>
    public static string WriteZip(string path, string byteOrder, byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Add(string name, byte[] data)
        {
            using var stream = zip.CreateEntry("archive/" + name, CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }
        Add("data.pkl", pickle);
        Add("byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach (var (key, data) in storages) Add("data/" + key, data);
        Add("version", "3\n"u8.ToArray());
        return path;
    }
}
