// Port of kanade-tokenizer module/hift.py HiFTGenerator (MIT; CosyVoice 2's HiFTNet: neural source filter + iSTFTNet).
using Kanade.Modules;
using Kanade.Audio;
using Kanade.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Vocoders;

/// <summary>
/// HiFT: F0 predicted from the mel drives a harmonic sine source; the mel is up-sampled by transposed convolutions,
/// fused at every stage with the STFT of the source, and turned into magnitude and phase of a small STFT
/// (n_fft 16, hop 4) whose inverse is the waveform. (B, n_mels, frames) -> (B, frames · samples-per-frame).
/// Weight norm is folded into plain weights when loading (see <see cref="LoadWeights"/>).
/// </summary>
public sealed class HiftGenerator : Module<Tensor, Tensor>, IVocoder
{
    // HiFT's safeguard against excessively large magnitudes.
    const double MaxMagnitude = 1e2;
    // F.leaky_relu's default slope, which the reference uses before conv_post.
    const double FinalLeakySlope = 0.01;

    readonly int resblocksPerStage;

#pragma warning disable IDE1006 // PyTorch attribute names: they are the checkpoint's tensor names.
    readonly SourceModuleHnNsf2 m_source;
    readonly Conv1d conv_pre;
    readonly ModuleList<ConvTranspose1d> ups;
    readonly ModuleList<Conv1d> source_downs;
    readonly ModuleList<HiftResBlock> source_resblocks;
    readonly ModuleList<HiftResBlock> resblocks;
    readonly Conv1d conv_post;
    readonly DerivedTensor stftWindow;
    readonly ConvRnnF0Predictor f0_predictor;
#pragma warning restore IDE1006

    /// <summary>Builds an untrained HiFT of the given architecture (load weights with <see cref="LoadWeights"/>).</summary>
    public HiftGenerator(HiftOptions options) : base(nameof(HiftGenerator))
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        int stages = options.UpsampleRates.Count;
        int fftChannels = options.IstftNFft + 2;
        resblocksPerStage = options.ResblockKernelSizes.Count;

        m_source = new SourceModuleHnNsf2(options.SamplingRate, options.SamplesPerFrame, options.NbHarmonics,
            options.NsfAlpha, options.NsfSigma, options.NsfVoicedThreshold);
        conv_pre = Conv1d(options.InChannels, options.BaseChannels, 7, padding: 3);
        ups = new ModuleList<ConvTranspose1d>(Enumerable.Range(0, stages).Select(i =>
        {
            int rate = options.UpsampleRates[i], kernel = options.UpsampleKernelSizes[i];
            return ConvTranspose1d(Channels(i), Channels(i + 1), kernel, rate, padding: (kernel - rate) / 2);
        }).ToArray());

        // Stage i fuses the source STFT down-sampled to that stage's rate: the product of the later stages' rates.
        source_downs = new ModuleList<Conv1d>(Enumerable.Range(0, stages).Select(i =>
        {
            int rate = options.UpsampleRates.Skip(i + 1).Aggregate(1, (a, b) => a * b);
            return rate == 1
                ? Conv1d(fftChannels, Channels(i + 1), 1)
                : Conv1d(fftChannels, Channels(i + 1), rate * 2, rate, padding: rate / 2);
        }).ToArray());
        source_resblocks = new ModuleList<HiftResBlock>(Enumerable.Range(0, stages).Select(i =>
            new HiftResBlock(Channels(i + 1), options.SourceResblockKernelSizes[i], options.SourceResblockDilationSizes[i])).ToArray());
        resblocks = new ModuleList<HiftResBlock>(Enumerable.Range(0, stages).SelectMany(i =>
            Enumerable.Range(0, resblocksPerStage).Select(j =>
                new HiftResBlock(Channels(i + 1), options.ResblockKernelSizes[j], options.ResblockDilationSizes[j]))).ToArray());
        conv_post = Conv1d(Channels(stages), fftChannels, 7, padding: 3);
        // Not in the checkpoint: scipy's periodic Hann window, which hann_window(periodic: true) equals.
        stftWindow = new DerivedTensor(hann_window(options.IstftNFft));
        f0_predictor = new ConvRnnF0Predictor(options.InChannels, options.F0PredictorChannels);
        RegisterComponents();
        eval();

        int Channels(int stage) => options.BaseChannels >> stage;
    }

    /// <summary>The architecture.</summary>
    public HiftOptions Options { get; }

    /// <inheritdoc/>
    public int SampleRate => Options.SamplingRate;

    /// <inheritdoc/>
    public int MelBins => Options.InChannels;

    /// <summary>
    /// Random numbers for the sine source (initial overtone phases, noise) in <see cref="Vocode"/>; null uses torch's
    /// global generator. Set a seeded generator (<c>new torch.Generator(seed)</c>) for reproducible resynthesis.
    /// </summary>
    public Generator? Generator { get; set; }

    /// <summary>
    /// Names of the layers whose weights checkpoints store with weight norm
    /// (<c>NAME.parametrizations.weight.original0/1</c>); this module holds them folded as <c>NAME.weight</c>.
    /// </summary>
    public IEnumerable<string> WeightNormedLayers =>
        new[] { "conv_pre" }
            .Concat(Enumerable.Range(0, ups.Count).Select(i => $"ups.{i}"))
            .Concat(source_resblocks.SelectMany((block, i) => block.WeightNormedLayers.Select(n => $"source_resblocks.{i}.{n}")))
            .Concat(resblocks.SelectMany((block, i) => block.WeightNormedLayers.Select(n => $"resblocks.{i}.{n}")))
            .Append("conv_post")
            .Concat(ConvRnnF0Predictor.WeightNormedLayers.Select(n => $"f0_predictor.{n}"));

    /// <summary>
    /// Names and shapes of the tensors a checkpoint of this architecture holds, in the checkpoint's naming (weight norm
    /// as <c>parametrizations.weight.original0</c> (magnitude) and <c>original1</c> (direction)).
    /// </summary>
    public IReadOnlyDictionary<string, long[]> CheckpointShapes()
    {
        var normed = WeightNormedLayers.ToHashSet();
        var shapes = new Dictionary<string, long[]>();
        foreach (var (name, tensor) in state_dict())
        {
            string layer = name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] : "";
            if (!normed.Contains(layer))
            {
                shapes[name] = tensor.shape;
                continue;
            }
            shapes[layer + ".parametrizations.weight.original0"] = [tensor.shape[0], .. Enumerable.Repeat(1L, (int)tensor.dim() - 1)];
            shapes[layer + ".parametrizations.weight.original1"] = tensor.shape;
        }
        return shapes;
    }

    /// <summary>
    /// Loads a HiFT state dict (CosyVoice 2's <c>hift.pt</c> names, with or without a <c>generator.</c> prefix; weight
    /// norm as <c>parametrizations.weight.original0/1</c> or <c>weight_g/weight_v</c>, or already folded) strictly:
    /// weight norm is folded into plain weights, then every name and shape must match.
    /// </summary>
    /// <exception cref="InvalidDataException">The tensors are another vocoder's (Vocos').</exception>
    /// <exception cref="WeightLoadException">Some tensor is missing, unexpected or mis-shaped; nothing was loaded.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        const string prefix = "generator.";
        var unprefixed = state.ToDictionary(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) ? e.Key[prefix.Length..] : e.Key, e => e.Value);
        VocoderWeights.RejectOtherVocoder(unprefixed, source, "HiFT", ["conv_pre.", "f0_predictor.", "m_source.", "ups."],
            "Vocos", ["backbone.", "head.", "feature_extractor."], "vocos");
        StateDictLoader.Load(this, unprefixed, new StateDictLoadOptions { SourceName = source });
    }

    /// <summary>Mel (B, n_mels, frames) -> waveform (B, frames · samples-per-frame), the source drawn with <see cref="Generator"/>.</summary>
    public Tensor Vocode(Tensor mel) => Inference(mel, Generator);

    /// <summary>
    /// The reference's <c>inference</c>: predicts F0, draws the sine source from <paramref name="generator"/> (null: torch's
    /// global generator) and decodes. Mel (B, n_mels, frames) -> waveform (B, frames · samples-per-frame).
    /// </summary>
    public Tensor Inference(Tensor mel, Generator? generator = null)
    {
        VocoderInput.CheckMel(mel, MelBins, "HiFT");
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        var input = VocoderInput.ToModuleDtype(mel, this, "HiFT", nameof(mel));
        var source = SourceFromF0(f0_predictor.call(input), generator);
        return DecodeUnchecked(input, source).MoveToOuterDisposeScope();
    }

    /// <summary>The predicted F0 in Hz: mel (B, n_mels, frames) -> (B, frames) (the reference's <c>f0_predictor(mel)</c>).</summary>
    public Tensor F0(Tensor mel)
    {
        VocoderInput.CheckMel(mel, MelBins, "HiFT");
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        var input = VocoderInput.ToModuleDtype(mel, this, "HiFT", nameof(mel));
        return f0_predictor.call(input).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The excitation for an F0 track: (B, frames) in Hz -> (B, 1, frames · samples-per-frame), drawn from
    /// <paramref name="generator"/> (null: torch's global generator).
    /// </summary>
    public Tensor Source(Tensor f0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(f0);
        if (f0.dim() != 2 || f0.shape[0] < 1 || f0.shape[1] < 1)
            throw new ArgumentException($"HiFT source expects F0 of shape (batch, frames); got [{string.Join(", ", f0.shape)}].", nameof(f0));
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        return SourceFromF0(VocoderInput.ToModuleDtype(f0, this, "HiFT", nameof(f0)), generator).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's <c>decode(x=mel, s=source)</c> with a given excitation: mel (B, n_mels, frames) and source
    /// (B, 1, samples) or (B, samples), samples = frames · samples-per-frame -> waveform (B, samples), clamped to
    /// ±audio_limit. A source of zeros gives the filter's output alone.
    /// </summary>
    public Tensor Decode(Tensor mel, Tensor source)
    {
        VocoderInput.CheckMel(mel, MelBins, "HiFT");
        ArgumentNullException.ThrowIfNull(source);
        long samples = mel.shape[2] * Options.SamplesPerFrame;
        bool sourceFits = source.dim() switch
        {
            2 => source.shape[0] == mel.shape[0] && source.shape[1] == samples,
            3 => source.shape[0] == mel.shape[0] && source.shape[1] == 1 && source.shape[2] == samples,
            _ => false,
        };
        if (!sourceFits)
            throw new ArgumentException(
                $"HiFT source must be (batch {mel.shape[0]}, 1, {samples} samples) for a mel of {mel.shape[2]} frames "
                + $"({Options.SamplesPerFrame} samples per frame); got [{string.Join(", ", source.shape)}].", nameof(source));
        using var noGrad = inference_mode();
        using var scope = NewDisposeScope();
        var input = VocoderInput.ToModuleDtype(mel, this, "HiFT", nameof(mel));
        var excitation = VocoderInput.ToModuleDtype(source, this, "HiFT", nameof(source)).view(mel.shape[0], 1, samples);
        return DecodeUnchecked(input, excitation).MoveToOuterDisposeScope();
    }

    /// <summary>Mel (B, n_mels, frames) -> waveform (B, samples) with a freshly drawn source (no checks, no inference mode).</summary>
    public override Tensor forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        var source = SourceFromF0(f0_predictor.call(mel), Generator);
        return DecodeUnchecked(mel, source).MoveToOuterDisposeScope();
    }

    Tensor SourceFromF0(Tensor f0, Generator? generator)
    {
        using var scope = NewDisposeScope();
        // (B, frames) -> (B, 1, samples), nearest as the reference's nn.Upsample
        var perSample = functional.interpolate(f0.unsqueeze(1), scale_factor: [(double)Options.SamplesPerFrame], mode: InterpolationMode.Nearest);
        var excitation = m_source.call(perSample.transpose(1, 2), generator); // (B, samples, 1)
        return excitation.transpose(1, 2).MoveToOuterDisposeScope(); // (B, samples, 1) -> (B, 1, samples)
    }

    Tensor DecodeUnchecked(Tensor mel, Tensor source)
    {
        using var scope = NewDisposeScope();
        int nFft = Options.IstftNFft, hop = Options.IstftHopLen, bins = nFft / 2 + 1;
        // (B, 1, samples) -> (B, n_fft/2+1, source frames) complex -> (B, n_fft + 2, source frames) real, imaginary
        var spectrum = Stft.Complex(source.squeeze(1), nFft, hop, stftWindow.On(source.device, source.dtype));
        var sourceStft = cat([spectrum.real, spectrum.imag], 1);

        var x = conv_pre.call(mel);
        for (int i = 0; i < ups.Count; i++)
        {
            x = ups[i].call(functional.leaky_relu(x, Options.LreluSlope));
            if (i == ups.Count - 1)
                x = functional.pad(x, (1, 0), PaddingModes.Reflect); // one more frame, to match the source STFT's
            x = x + source_resblocks[i].call(source_downs[i].call(sourceStft));
            Tensor? sum = null;
            for (int j = 0; j < resblocksPerStage; j++)
            {
                var y = resblocks[i * resblocksPerStage + j].call(x);
                sum = sum is null ? y : sum + y;
            }
            x = sum! / resblocksPerStage;
        }
        x = conv_post.call(functional.leaky_relu(x, FinalLeakySlope));
        var magnitude = x.narrow(1, 0, bins).exp().clamp_max(MaxMagnitude);
        var phase = x.narrow(1, bins, x.shape[1] - bins).sin(); // the reference's sin; redundant but kept for parity
        var spec = complex(magnitude * phase.cos(), magnitude * phase.sin());
        var waveform = Istft.Center(spec, nFft, hop, stftWindow.On(spec.device, spec.dtype == ScalarType.ComplexFloat64 ? ScalarType.Float64 : ScalarType.Float32));
        return waveform.clamp(-Options.AudioLimit, Options.AudioLimit).MoveToOuterDisposeScope();
    }

    static void Validate(HiftOptions o)
    {
        void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("HiFT config: " + message, "options");
        }
        Require(o.InChannels >= 1 && o.BaseChannels >= 1 && o.F0PredictorChannels >= 1 && o.SamplingRate >= 1,
            $"in_channels ({o.InChannels}), base_channels ({o.BaseChannels}), f0_predictor_channels ({o.F0PredictorChannels}) and sampling_rate ({o.SamplingRate}) must be positive.");
        Require(o.NbHarmonics >= 0, $"nb_harmonics must be >= 0; got {o.NbHarmonics}.");
        int stages = o.UpsampleRates.Count;
        Require(stages >= 1 && o.UpsampleRates.All(r => r >= 1), $"upsample_rates must be a non-empty list of positive integers; got [{string.Join(", ", o.UpsampleRates)}].");
        Require(o.UpsampleKernelSizes.Count == stages && o.UpsampleKernelSizes.Zip(o.UpsampleRates).All(p => p.First >= p.Second),
            $"upsample_kernel_sizes needs one kernel >= its rate per upsample_rates entry; got [{string.Join(", ", o.UpsampleKernelSizes)}] for rates [{string.Join(", ", o.UpsampleRates)}].");
        Require(o.SourceResblockKernelSizes.Count == stages && o.SourceResblockDilationSizes.Count == stages,
            $"source_resblock_kernel_sizes ({o.SourceResblockKernelSizes.Count}) and source_resblock_dilation_sizes ({o.SourceResblockDilationSizes.Count}) need one entry per up-sampling stage ({stages}).");
        Require(o.ResblockKernelSizes.Count >= 1 && o.ResblockKernelSizes.Count == o.ResblockDilationSizes.Count,
            $"resblock_kernel_sizes ({o.ResblockKernelSizes.Count}) and resblock_dilation_sizes ({o.ResblockDilationSizes.Count}) need the same, non-zero number of entries.");
        Require(o.BaseChannels % (1 << stages) == 0, $"base_channels ({o.BaseChannels}) must divide by 2^{stages} (halved per stage).");
        Require(o.IstftNFft >= 2 && o.IstftNFft % 2 == 0 && o.IstftHopLen >= 1 && o.IstftHopLen <= o.IstftNFft,
            $"istft_n_fft ({o.IstftNFft}) must be even and >= 2, istft_hop_len ({o.IstftHopLen}) between 1 and istft_n_fft.");
        Require(o.AudioLimit > 0, $"audio_limit must be positive; got {o.AudioLimit}.");
    }
}
