// Lightning's seed_everything for TorchSharp: the generators a training run draws from.
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>Seeds and snapshots torch's random generators.</summary>
public static class TrainingRandom
{
    /// <summary>Seeds torch's CPU generator and, when CUDA is present, every CUDA generator.</summary>
    public static void SeedEverything(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    /// <summary>
    /// Seeds the CUDA generators from (<paramref name="seed"/>, <paramref name="step"/>). TorchSharp cannot read the CUDA
    /// generator's state, so a run reseeds it at every step: dropout on the GPU then depends only on the seed and the
    /// step, and a resumed run draws what the uninterrupted one drew. No effect without CUDA.
    /// </summary>
    public static void SeedCudaForStep(long seed, long step)
    {
        if (!cuda.is_available()) return;
        cuda.manual_seed_all(unchecked(seed * 1_000_003L + step));
    }

    /// <summary>The CPU generator's state (a uint8 tensor); save it to resume.</summary>
    public static byte[] CpuState()
    {
        using var state = get_rng_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Restores a state from <see cref="CpuState"/>.</summary>
    public static void RestoreCpuState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var tensor = torch.tensor(state, dtype: ScalarType.Byte);
        set_rng_state(tensor);
    }
}
