// Renders a log-mel spectrogram as the reference's logging does (imshow, origin lower, magma, vmin -8, vmax 5).
using static TorchSharp.torch;

namespace Kanade.Training.Logging;

/// <summary>Mel spectrograms as RGB images for TensorBoard.</summary>
public static class MelImage
{
    /// <summary>Lower end of the colour scale (the reference's vmin).</summary>
    public const float Minimum = -8f;
    /// <summary>Upper end of the colour scale (the reference's vmax).</summary>
    public const float Maximum = 5f;

    // matplotlib's magma at nine evenly spaced points.
    static readonly (byte R, byte G, byte B)[] Magma =
    [
        (0, 0, 4), (28, 16, 68), (79, 18, 123), (129, 37, 129), (181, 54, 122),
        (229, 80, 100), (251, 135, 97), (254, 194, 135), (252, 253, 191),
    ];

    /// <summary>
    /// RGB bytes (rows top to bottom) of a (n_mels, frames) log-mel: width = frames, height = n_mels, the lowest bin at
    /// the bottom, values mapped linearly from [<see cref="Minimum"/>, <see cref="Maximum"/>] onto magma.
    /// </summary>
    /// <exception cref="ArgumentException">Not a 2-D tensor.</exception>
    public static (byte[] Rgb, int Width, int Height) Render(Tensor mel)
    {
        if (mel.dim() != 2) throw new ArgumentException($"A mel image needs a (n_mels, frames) tensor, got [{string.Join(", ", mel.shape)}].", nameof(mel));
        using var cpu = mel.detach().to(ScalarType.Float32).cpu().contiguous();
        float[] values = cpu.data<float>().ToArray();
        int height = (int)mel.shape[0], width = (int)mel.shape[1];
        var rgb = new byte[width * height * 3];
        for (int bin = 0; bin < height; bin++)
        {
            int row = height - 1 - bin;     // origin lower
            for (int frame = 0; frame < width; frame++)
            {
                var (r, g, b) = Colour(values[bin * width + frame]);
                int at = (row * width + frame) * 3;
                (rgb[at], rgb[at + 1], rgb[at + 2]) = (r, g, b);
            }
        }
        return (rgb, width, height);
    }

    static (byte, byte, byte) Colour(float value)
    {
        float t = float.IsNaN(value) ? 0 : Math.Clamp((value - Minimum) / (Maximum - Minimum), 0f, 1f);
        float position = t * (Magma.Length - 1);
        int low = Math.Min((int)position, Magma.Length - 2);
        float f = position - low;
        var (a, b) = (Magma[low], Magma[low + 1]);
        return ((byte)(a.R + (b.R - a.R) * f), (byte)(a.G + (b.G - a.G) * f), (byte)(a.B + (b.B - a.B) * f));
    }
}
