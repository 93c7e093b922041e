// The local files a vocoder loads from, wherever they came from.
namespace Kanade.IO.Hub;

/// <summary>The local paths of a vocoder's files.</summary>
/// <param name="Name"><c>vocos</c> or <c>hift</c>.</param>
/// <param name="ConfigPath">Its config (Vocos' <c>config.yaml</c>); null for HiFT, whose published file has none (CosyVoice 2's defaults apply).</param>
/// <param name="WeightsPath">Its weights (<c>pytorch_model.bin</c>, <c>hift.pt</c>).</param>
public sealed record VocoderFiles(string Name, string? ConfigPath, string WeightsPath);
