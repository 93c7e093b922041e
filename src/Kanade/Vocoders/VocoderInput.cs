// Checks on what callers hand a vocoder, so a wrong mel fails with a message instead of deep inside a convolution.
using static TorchSharp.torch;

namespace Kanade.Vocoders;

/// <summary>Validation of vocoder inputs.</summary>
internal static class VocoderInput
{
    /// <summary>Throws unless <paramref name="mel"/> is a floating (B, <paramref name="melBins"/>, frames) tensor with frames &gt;= <paramref name="minFrames"/>.</summary>
    public static void CheckMel(Tensor mel, int melBins, string vocoder, int minFrames = 1)
    {
        ArgumentNullException.ThrowIfNull(mel);
        string shape = $"[{string.Join(", ", mel.shape)}]";
        if (mel.dim() != 3)
            throw new ArgumentException(
                $"{vocoder} expects a mel of shape (batch, {melBins} mel bins, frames); got {mel.dim()}-D {shape}"
                + (mel.dim() == 2 ? " (add the batch dimension with unsqueeze(0))." : "."), nameof(mel));
        if (mel.shape[1] != melBins)
            throw new ArgumentException(
                $"{vocoder} expects {melBins} mel bins; got a mel of shape {shape} with {mel.shape[1]} bins. "
                + "The mel must come from a model whose n_mels matches the vocoder.", nameof(mel));
        if (mel.shape[0] < 1 || mel.shape[2] < minFrames)
            throw new ArgumentException(
                $"{vocoder} needs at least 1 batch item and {minFrames} mel frame{(minFrames == 1 ? "" : "s")}; got an empty mel {shape}.", nameof(mel));
        if (!mel.is_floating_point())
            throw new ArgumentException($"{vocoder} expects a floating-point mel; got {mel.dtype}.", nameof(mel));
    }

    /// <summary>
    /// <paramref name="x"/> in the dtype of <paramref name="module"/>'s parameters (the reference casts mels to float32);
    /// throws when it lies on another device.
    /// </summary>
    public static Tensor ToModuleDtype(Tensor x, TorchSharp.torch.nn.Module module, string vocoder, string argument)
    {
        var parameter = module.parameters().First();
        if (x.device_type != parameter.device_type || x.device_index != parameter.device_index)
            throw new ArgumentException(
                $"{vocoder} is on {parameter.device} but '{argument}' is on {x.device}; move one of them (vocoder.to(device) or tensor.to(device)).", argument);
        return x.dtype == parameter.dtype ? x.alias() : x.to(parameter.dtype);
    }
}
