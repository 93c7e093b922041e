using Kanade.IO;

namespace Kanade.Tests.IO;

/// <summary>A malformed config fails with a <see cref="ConfigException"/> naming the file, the line and the key path.</summary>
[TestClass]
public sealed class ConfigBadInputTests
{
    /// <summary>Writes tiny12's model.yaml with one textual edit and loads it.</summary>
    static ConfigException Refused(string find, string replace, string keyPath, params string[] mentions)
    {
        using var dir = new TempDirectory();
        string text = File.ReadAllText(Fixtures.Path("tiny12", "model.yaml"));
        Assert.Contains(find, text, "the edit must apply");
        string path = dir.File("model.yaml");
        File.WriteAllText(path, text.Replace(find, replace));

        var error = Assert.ThrowsExactly<ConfigException>(() => ModelConfigLoader.Load(path));

        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(keyPath, error.KeyPath);
        StringAssert.StartsWith(error.Message, path + ":");
        StringAssert.Contains(error.Message, keyPath);
        foreach (string mention in mentions) StringAssert.Contains(error.Message, mention);
        return error;
    }

    [TestMethod]
    public void UnknownKeyNamesItsPathAndTheAcceptedKeys()
    {
        var error = Refused("        dim: 48\n", "        dimm: 48\n", "model.init_args.mel_decoder.init_args.dimm",
            "unknown key 'dimm'", "accepted keys:", "adanorm_condition_dim");
        Assert.IsGreaterThan(0L, error.Line);
    }

    [TestMethod]
    public void WrongTypeNamesTheKeyAndTheValue()
    {
        Refused("        n_layers: 2\n        n_heads: 4\n        window_size: 7\n", "        n_layers: abc\n        n_heads: 4\n        window_size: 7\n",
            "model.init_args.local_encoder.init_args.n_layers", "must be an integer, found 'abc'");
    }

    [TestMethod]
    public void FractionForAnIntegerIsRefused()
    {
        Refused("      hop_length: 256\n", "      hop_length: 256.5\n", "model.init_args.config.hop_length", "integer");
    }

    [TestMethod]
    public void QuotedNumberForAnIntegerIsRefused()
    {
        Refused("      n_fft: 1024\n", "      n_fft: '1024'\n", "model.init_args.config.n_fft", "quoted string");
    }

    [TestMethod]
    public void ScalarForAListIsRefused()
    {
        Refused("levels: [8, 8, 8, 5, 5]", "levels: 8", "model.init_args.local_quantizer.init_args.levels", "must be a list of integer");
    }

    [TestMethod]
    public void NullForARequiredNumberIsRefused()
    {
        Refused("        input_channels: 64\n", "        input_channels: null\n", "model.init_args.global_encoder.init_args.input_channels", "is null");
    }

    [TestMethod]
    public void MissingRequiredArgumentIsNamed()
    {
        Refused("        levels: [8, 8, 8, 5, 5]\n", "", "model.init_args.local_quantizer.init_args", "missing required key 'levels'");
    }

    [TestMethod]
    public void MissingRequiredComponentIsNamed()
    {
        string text = File.ReadAllText(Fixtures.Path("tiny12", "model.yaml"));
        int start = text.IndexOf("    mel_postnet:", StringComparison.Ordinal);
        Refused(text[start..], "", "model.init_args", "missing required key 'mel_postnet'");
    }

    [TestMethod]
    public void WrongClassPathIsRefused()
    {
        Refused("class_path: kanade_tokenizer.module.postnet.PostNet", "class_path: kanade_tokenizer.module.postnet.PostNetV2",
            "model.init_args.mel_postnet.class_path", "PostNetV2", "kanade_tokenizer.module.postnet.PostNet");
    }

    [TestMethod]
    public void UnknownChoiceIsRefusedWithTheAcceptedValues()
    {
        Refused("      padding: center\n", "      padding: valid\n", "model.init_args.config.padding", "'valid'", "center, same");
    }

    [TestMethod]
    public void UnknownTopLevelKeyOfAModelConfigIsRefused()
    {
        Refused("model:\n", "trainer: {}\nmodel:\n", "trainer", "unknown key 'trainer'");
    }

    [TestMethod]
    public void KeyBesideClassPathAndInitArgsIsRefused()
    {
        Refused("    mel_postnet:\n      class_path:", "    mel_postnet:\n      init_arg: {}\n      class_path:",
            "model.init_args.mel_postnet.init_arg", "beside class_path and init_args");
    }

    [TestMethod]
    public void InvalidYamlGivesTheLine()
    {
        var error = Refused("      n_mels: 100\n", "      n_mels: 100\n     - 5\n", "", "not valid YAML");
        Assert.IsGreaterThan(0L, error.Line);
    }

    [TestMethod]
    public void UnclosedListIsInvalidYaml()
    {
        Refused("      n_mels: 100\n", "      n_mels: [100\n", "", "not valid YAML");
    }

    [TestMethod]
    public void DuplicateKeyIsRefused()
    {
        Refused("      n_mels: 100\n", "      n_mels: 100\n      n_mels: 80\n", "", "not valid YAML");
    }

    [TestMethod]
    public void MissingFileIsFileNotFound()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ModelConfigLoader.Load("/nonexistent/model.yaml"));
        StringAssert.Contains(error.Message, "/nonexistent/model.yaml");
    }
}
