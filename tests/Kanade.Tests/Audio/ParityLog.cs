using static TorchSharp.torch;

namespace Kanade.Tests.Audio;

/// <summary>Writes the max |actual - expected| of a parity check to the test output, for the record.</summary>
internal static class ParityLog
{
    public static double Report(string set, string clip, string tensor, Tensor actual, Tensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.shape)) return double.NaN;
        using var a = actual.detach().cpu().to(float64);
        using var b = expected.detach().cpu().to(float64);
        double diff = (a - b).abs().max().item<double>();
        Console.WriteLine($"PARITY {set} {clip} {tensor} max|diff|={diff:E3} max|expected|={b.abs().max().item<double>():G4}");
        return diff;
    }
}
