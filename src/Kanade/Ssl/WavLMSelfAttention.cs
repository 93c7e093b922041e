// Port of torchaudio models/wav2vec2/wavlm_attention.py WavLMSelfAttention (MIT, Microsoft).
using Kanade.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Ssl;

/// <summary>
/// WavLM self-attention: a bucketed relative position bias (built by the first layer, which owns the
/// embedding, and handed on to every later layer), scaled per head and query by a gate computed from the
/// query (<c>gru_rel_pos_*</c>), added to the attention logits.
/// </summary>
sealed class WavLMSelfAttention : EncoderSelfAttention
{
    readonly RelativePositionBuckets? buckets;

#pragma warning disable IDE1006 // Field names are the torchaudio state-dict names.
    readonly Embedding? rel_attn_embed;
    readonly MultiheadAttentionWeights attention;
    readonly Dense gru_rel_pos_linear;
    readonly Parameter gru_rel_pos_const;
#pragma warning restore IDE1006

    /// <param name="embedDim">Model width D.</param>
    /// <param name="numHeads">Heads H.</param>
    /// <param name="numBuckets">Relative position buckets (both directions together).</param>
    /// <param name="maxDistance">Distance at which the logarithmic buckets end.</param>
    /// <param name="dropout">Attention dropout (training only).</param>
    /// <param name="hasRelativeAttentionBias">Whether this layer owns the bias embedding (the first layer only).</param>
    public WavLMSelfAttention(int embedDim, int numHeads, int numBuckets, int maxDistance, double dropout, bool hasRelativeAttentionBias)
        : base(nameof(WavLMSelfAttention), embedDim, numHeads, dropout)
    {
        if (hasRelativeAttentionBias)
        {
            rel_attn_embed = nn.Embedding(numBuckets, numHeads);
            buckets = new RelativePositionBuckets(numBuckets, maxDistance);
        }
        attention = new MultiheadAttentionWeights(embedDim);
        gru_rel_pos_linear = new Dense(HeadDim, 8);
        gru_rel_pos_const = nn.Parameter(ones(1, numHeads, 1, 1));
        RegisterComponents();
    }

    /// <summary>
    /// (B, T, D) -> (B, T, D). The position bias (1, H, T, T) is computed here when this layer owns the
    /// embedding and none was passed, and is returned ungated for the next layer.
    /// </summary>
    public override (Tensor Output, Tensor? PositionBias) forward(Tensor x, KeyPadding? padding, Tensor? positionBias)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], frames = x.shape[1];
        bool rankOne = UsesRankOneBias(x);
        bool computedHere = false;
        if (rel_attn_embed is not null && positionBias is null)
        {
            positionBias = ComputeBias(frames, x.device, rankOne);
            computedHere = true;
        }

        Tensor? mask = padding?.Bias;
        if (positionBias is not null)
        {
            // The gate layer acts on each head's query alone, so it runs on (B, T, H, hd) as laid out and only its
            // small output is permuted: no copy of the queries into (B, H, T, hd) first.
            var gates = gru_rel_pos_linear.call(x.reshape(batch, frames, NumHeads, HeadDim))  // (B, T, H, 8)
                .view(batch, frames, NumHeads, 2, 4).sum(-1).sigmoid().permute(0, 2, 1, 3);    // (B, H, T, 2)
            var gateA = gates.narrow(-1, 0, 1);
            var gateB = gates.narrow(-1, 1, 1);
            var scale = gateA * (gateB * gru_rel_pos_const - 1.0) + 2.0;                      // (B, H, T, 1)
            if (rankOne)
            {
                mask = RankOneBias(scale, positionBias);
                padding?.MaskKeys(mask);
            }
            else
            {
                mask = padding is null
                    ? scale * positionBias                                                     // (B, H, T, T)
                    : padding.Bias.addcmul(scale, positionBias, 1);
            }
        }

        var qkv = attention.ProjectInput(x).chunk(3, -1);
        var output = attention.ProjectOutput(Attend(SplitHeads(qkv[0]), SplitHeads(qkv[1]), SplitHeads(qkv[2]), mask));
        output.MoveToOuterDisposeScope();
        if (computedHere) positionBias!.MoveToOuterDisposeScope();
        return (output, positionBias);
    }

    /// <summary>
    /// Batches in bf16 or fp16 outside training, where the (B, H, T, T) bias, rewritten by every layer, costs more than the
    /// attention that reads it. Measured on an H200 for WavLM's 64 x 12 heads x 504 frames, per layer: the broadcast
    /// product 0.46 ms (0.54 with the padding term) against 0.17 ms as a batched rank-1 product (<see cref="RankOneBias"/>),
    /// cuDNN's attention then 0.32 ms. The product cannot add the padding term, so padded keys are then written into it
    /// (<see cref="KeyPadding.MaskKeys"/>). Single utterances keep the broadcast product (their bias is small).
    /// </summary>
    bool UsesRankOneBias(Tensor x) => !training && x.shape[0] > 1 && x.dtype is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>
    /// The gated bias scale (B, H, T, 1) x position bias (1, H, T, T) written by one batched product over (head, query)
    /// pairs: (B, 1) x (1, T) each, laid out (H, T, B, T) and returned as a (B, H, T, T) view, with the same products
    /// and roundings as the broadcast multiply. The inner dimension is padded with zeros from 1 to
    /// <see cref="RankOneWidth"/>, which changes no sum and lets cuBLAS use aligned tensor-core kernels: on an H200 for
    /// 64 x 12 x 504 frames 0.17 ms against 0.32 ms with an inner dimension of 1 (0.26 against 0.72 ms at 752 frames).
    /// </summary>
    Tensor RankOneBias(Tensor scale, Tensor positionBias)
    {
        long batch = scale.shape[0], frames = scale.shape[2], pairs = NumHeads * frames;
        var gates = scale.reshape(batch, pairs).t().unsqueeze(-1);                          // (H T, B, 1)
        gates = cat([gates, zeros(pairs, batch, RankOneWidth - 1, gates.dtype, gates.device)], 2); // (H T, B, 8)
        // The position bias comes from ComputeBias(forRankOne: true), which leaves the zero rows in its storage.
        if (frames > 1 && (positionBias.stride(2) != RankOneWidth * frames || positionBias.stride(3) != 1)) // size-1 dims report any stride
            throw new InvalidOperationException($"The rank-one bias needs the position bias laid out with {RankOneWidth - 1} zero rows per query (ComputeBias with forRankOne).");
        var rows = positionBias.as_strided([pairs, RankOneWidth, frames], [RankOneWidth * frames, frames, 1],
                                           positionBias.storage_offset());                 // (H T, 8, T)
        return gates.bmm(rows).view(NumHeads, frames, batch, frames).permute(2, 0, 1, 3); // (B, H, T, T) view of (H, T, B, T)
    }

    /// <summary>Inner dimension of <see cref="RankOneBias"/>'s product: 1 padded with zeros to a multiple of 8.</summary>
    const int RankOneWidth = 8;

    /// <summary>
    /// The bias of every (query, key) pair, (1, H, T, T): the embedding of each relative position's bucket.
    /// It is a Toeplitz matrix, so it is gathered for the 2T - 1 relative positions and laid out by unfolding. With
    /// <paramref name="forRankOne"/> every query's row is followed by <see cref="RankOneWidth"/> - 1 rows of zeros in
    /// memory (the result is a strided view), the operand <see cref="RankOneBias"/> reads in every layer as it is.
    /// </summary>
    Tensor ComputeBias(long frames, Device device, bool forRankOne)
    {
        using var scope = NewDisposeScope();
        var relative = buckets!.ForLength(frames, device);                      // (2T - 1,), position -(T-1)..(T-1)
        var values = rel_attn_embed!.call(relative).t();                        // (2T - 1, H) -> (H, 2T - 1)
        // Window s holds positions s-(T-1)..s; query i needs window T-1-i, so the windows are reversed.
        var bias = values.unfold(1, frames, 1).flip(1);                         // (H, T, T)
        if (forRankOne)
        {
            var rows = zeros(NumHeads * frames, RankOneWidth, frames, bias.dtype, device);   // (H T, 8, T)
            var first = rows.select(1, 0);                                                    // (H T, T), row stride 8 T
            first.copy_(bias.reshape(NumHeads * frames, frames));
            return first.view(1, NumHeads, frames, frames).MoveToOuterDisposeScope();      // (1, H, T, T) view
        }
        return bias.unsqueeze(0).MoveToOuterDisposeScope();                     // (1, H, T, T)
    }
}
