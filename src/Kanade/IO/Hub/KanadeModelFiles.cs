// The local files a Kanade model loads from, wherever they came from.
namespace Kanade.IO.Hub;

/// <summary>The local paths of a Kanade model's files: config, weights, and SSL weights when the weights leave them out.</summary>
/// <param name="ConfigPath">The model YAML (<c>config.yaml</c>).</param>
/// <param name="WeightsPath">The exported weights (<c>model.safetensors</c>).</param>
/// <param name="SslWeightsPath">The SSL model's weights; null when <paramref name="WeightsPath"/> holds them.</param>
public sealed record KanadeModelFiles(string ConfigPath, string WeightsPath, string? SslWeightsPath);
