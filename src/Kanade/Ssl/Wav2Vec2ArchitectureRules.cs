// Checks of torchaudio wav2vec2_model / wavlm_model keyword arguments, with torchaudio's names in the messages.
namespace Kanade.Ssl;

/// <summary>Validates a <see cref="Wav2Vec2Architecture"/> before any module is built.</summary>
static class Wav2Vec2ArchitectureRules
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid keyword argument.</summary>
    public static void Validate(Wav2Vec2Architecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.ExtractorMode is not ("group_norm" or "layer_norm"))
            Fail($"extractor_mode is '{a.ExtractorMode}'; expected 'group_norm' or 'layer_norm'.");
        _ = SslFrameArithmetic.ConvLayers(a);
        Positive(a.EncoderEmbedDim, "encoder_embed_dim");
        Positive(a.EncoderPosConvKernel, "encoder_pos_conv_kernel");
        Positive(a.EncoderPosConvGroups, "encoder_pos_conv_groups");
        Positive(a.EncoderNumLayers, "encoder_num_layers");
        Positive(a.EncoderNumHeads, "encoder_num_heads");
        Positive(a.EncoderFfIntermFeatures, "encoder_ff_interm_features");
        if (a.EncoderEmbedDim % a.EncoderNumHeads != 0)
            Fail($"encoder_embed_dim ({a.EncoderEmbedDim}) is not divisible by encoder_num_heads ({a.EncoderNumHeads}).");
        if (a.EncoderEmbedDim % a.EncoderPosConvGroups != 0)
            Fail($"encoder_embed_dim ({a.EncoderEmbedDim}) is not divisible by encoder_pos_conv_groups ({a.EncoderPosConvGroups}).");
        if ((a.EncoderNumBuckets is null) != (a.EncoderMaxDistance is null))
            Fail("encoder_num_buckets and encoder_max_distance must be given together (WavLM) or both left out (wav2vec 2.0, HuBERT); " +
                 $"found {Show(a.EncoderNumBuckets)} and {Show(a.EncoderMaxDistance)}.");
        if (a.EncoderNumBuckets is int buckets)
        {
            // The bucket rule halves the buckets for direction, then halves again for the exact range.
            if (buckets < 4)
                Fail($"encoder_num_buckets is {buckets}; expected at least 4.");
            if (a.EncoderMaxDistance <= buckets / 4)
                Fail($"encoder_max_distance ({a.EncoderMaxDistance}) must exceed encoder_num_buckets / 4 ({buckets / 4}).");
        }
        Probability(a.EncoderProjectionDropout, "encoder_projection_dropout");
        Probability(a.EncoderAttentionDropout, "encoder_attention_dropout");
        Probability(a.EncoderFfIntermDropout, "encoder_ff_interm_dropout");
        Probability(a.EncoderDropout, "encoder_dropout");
        Probability(a.EncoderLayerDrop, "encoder_layer_drop");
        if (a.AuxNumOut is int aux) Positive(aux, "aux_num_out");
    }

    static void Positive(int value, string key)
    {
        if (value <= 0) Fail($"{key} is {value}; expected a positive integer.");
    }

    static void Probability(double value, string key)
    {
        if (!(value >= 0 && value < 1)) Fail($"{key} is {value}; expected a probability in [0, 1).");
    }

    static string Show(int? value) => value?.ToString() ?? "null";

    static void Fail(string message) => throw new ArgumentException("Invalid SSL architecture: " + message, "architecture");
}
