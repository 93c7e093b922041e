// Where Kanade downloads the SSL model weights a config names.
namespace Kanade.IO.Hub;

/// <summary>Where SSL weights not yet cached are downloaded from.</summary>
public enum SslWeightsSource
{
    /// <summary>torchaudio's published <c>.pth</c> (what the Python reference loads through <c>torchaudio.pipelines</c>).</summary>
    Torchaudio,
    /// <summary>The model's Hugging Face repository (<c>microsoft/wavlm-base-plus</c>'s <c>pytorch_model.bin</c>).</summary>
    Hub,
}
