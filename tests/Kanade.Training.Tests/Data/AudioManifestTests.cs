using Kanade.Training.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Parquet;
using Parquet.Schema;

namespace Kanade.Training.Tests.Data;

[TestClass]
public sealed class AudioManifestTests
{
    readonly string folder = Directory.CreateTempSubdirectory("kanade-manifest-").FullName;

    [TestCleanup]
    public void DeleteFiles() => Directory.Delete(folder, recursive: true);

    string TempFile(string name) => Path.Combine(folder, name);

    [TestMethod]
    public void CsvColumnsAreFoundByNameAndQuotedPathsKeepCommas()
    {
        string path = TempFile("train.csv");
        File.WriteAllText(path,
            "path,extra,sample_rate,length,audio_id\r\n" +
            "\"spk1/a,b.wav\",x,48000,96000,a_b\r\n" +
            "spk2/c.flac,y,24000,1234,c\r\n");
        var entries = AudioManifest.Read(path);
        CollectionAssert.AreEqual(new[]
        {
            new AudioManifestEntry("a_b", "spk1/a,b.wav", 96000, 48000),
            new AudioManifestEntry("c", "spk2/c.flac", 1234, 24000),
        }, entries.ToArray());
    }

    [TestMethod]
    public void CsvWithoutARequiredColumnIsRejected()
    {
        string path = TempFile("bad.csv");
        File.WriteAllText(path, "audio_id,path,length\nx,x.wav,10\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => AudioManifest.Read(path));
        StringAssert.Contains(error.Message, "has no column 'sample_rate'; found [audio_id, path, length]");
    }

    [TestMethod]
    public void RepeatedAudioIdIsRejected()
    {
        string path = TempFile("dup.csv");
        File.WriteAllText(path, "audio_id,path,length,sample_rate\nx,a.wav,10,16000\nx,b.wav,10,16000\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => AudioManifest.Read(path));
        StringAssert.Contains(error.Message, "audio_id 'x' appears in rows 1 and 2");
    }

    [TestMethod]
    public void MalformedLengthNamesRowAndColumn()
    {
        string path = TempFile("len.csv");
        File.WriteAllText(path, "audio_id,path,length,sample_rate\nx,a.wav,ten,16000\n");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => AudioManifest.Read(path));
        StringAssert.Contains(error.Message, "row 2: length 'ten' is not a non-negative integer");
    }

    [TestMethod]
    [DataRow("out.csv")]
    [DataRow("out.parquet")]
    public void WrittenManifestReadsBackUnchanged(string name)
    {
        string path = TempFile(name);
        var entries = new[]
        {
            new AudioManifestEntry("a_b", "spk1/a,b \"q\".wav", 5_000_000_000, 48000),
            new AudioManifestEntry("c", "spk2/c.flac", 1234, 24000),
        };
        AudioManifest.Write(path, entries);
        CollectionAssert.AreEqual(entries, AudioManifest.Read(path).ToArray());
        CollectionAssert.AreEqual(new[] { name }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray(), "no temporary file is left");
    }

    [TestMethod]
    public void CsvIsWrittenAsPythonsCsvModuleWritesIt()
    {
        string path = TempFile("out.csv");
        AudioManifest.Write(path, [new AudioManifestEntry("x", "a,b.wav", 10, 16000)]);
        Assert.AreEqual("audio_id,path,length,sample_rate\r\nx,\"a,b.wav\",10,16000\r\n", File.ReadAllText(path));
    }

    [TestMethod]
    public async Task ParquetManifestReadsInt32AndInt64Columns()
    {
        string path = TempFile("train.parquet");
        var id = new DataField<string>("audio_id");
        var file = new DataField<string>("path");
        var length = new DataField<long>("length");
        var rate = new DataField<int>("sample_rate");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, file, length, rate), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new[] { "a", "b" });
            await group.WriteAsync(file, new[] { "x/a.wav", "y/b.wav" });
            await group.WriteAsync<long>(length, new long[] { 5_000_000_000, 7 });
            await group.WriteAsync<int>(rate, new[] { 48000, 16000 });
        }
        var entries = AudioManifest.Read(path);
        CollectionAssert.AreEqual(new[]
        {
            new AudioManifestEntry("a", "x/a.wav", 5_000_000_000, 48000),
            new AudioManifestEntry("b", "y/b.wav", 7, 16000),
        }, entries.ToArray());
    }
}
