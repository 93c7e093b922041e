// Port of torch.nn.utils.parametrizations.weight_norm applied to a Conv1d, as torchaudio's positional convolution stores it (BSD-3-Clause).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kanade.Ssl;

/// <summary>
/// A Conv1d whose weight is <c>g * v / ||v||</c>, with g and v stored as
/// <c>parametrizations.weight.original0</c> / <c>original1</c> exactly as PyTorch's weight_norm parametrization
/// saves them. The norm is over every axis except <c>dim</c> (2 here: one magnitude per kernel tap).
/// </summary>
sealed class WeightNormConv1d : nn.Module<Tensor, Tensor>
{
    readonly long padding;
    readonly long groups;
    readonly long[] normAxes;

#pragma warning disable IDE1006 // Field names are the PyTorch state-dict names.
    readonly Parameter bias;
    readonly WeightParametrizations parametrizations;
#pragma warning restore IDE1006

    /// <param name="channels">Input and output channels.</param>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="padding">Zero padding on both sides.</param>
    /// <param name="groups">Convolution groups.</param>
    /// <param name="dim">The weight axis that keeps its own magnitude (0, 1 or 2).</param>
    public WeightNormConv1d(long channels, long kernel, long padding, long groups, int dim) : base(nameof(WeightNormConv1d))
    {
        if (dim is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(dim), dim, "A Conv1d weight has axes 0, 1 and 2.");
        this.padding = padding;
        this.groups = groups;
        normAxes = new long[] { 0, 1, 2 }.Where(a => a != dim).ToArray();

        // Conv1d's default initialisation, then g = ||v|| so that the initial weight is v itself.
        double bound = 1.0 / Math.Sqrt(channels / groups * kernel);
        var v = empty(channels, channels / groups, kernel);
        nn.init.uniform_(v, -bound, bound);
        var g = linalg.vector_norm(v, 2, normAxes, keepdim: true);
        bias = nn.Parameter(empty(channels).uniform_(-bound, bound));
        parametrizations = new WeightParametrizations(g, v);
        RegisterComponents();
    }

    /// <summary>The effective weight (C, C / groups, K).</summary>
    public Tensor Weight()
    {
        using var scope = NewDisposeScope();
        var (g, v) = (parametrizations.Magnitude, parametrizations.Direction);
        var norm = linalg.vector_norm(v, 2, normAxes, keepdim: true);
        return (v * (g / norm)).MoveToOuterDisposeScope();
    }

    /// <summary>(B, C, T) -> (B, C, T + 2 padding - K + 1).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (ReducedPrecision.Applies(x) && !is_grad_enabled())
        {
            // Inference at reduced precision on CUDA: through the FFT, a hundredth of the direct convolution's arithmetic.
            return FftConvolution.Conv1d(x, Weight(), bias, padding, groups).MoveToOuterDisposeScope();
        }
        if (x.dtype is ScalarType.BFloat16 or ScalarType.Float16)
        {
            // cuDNN's half-precision kernels for this wide grouped convolution (kernel 128, 16 groups) are about 8x
            // slower on an H100 than float32 with TF32 (26.7 ms vs 3.5 ms for 64 x 10 s), so it runs in float32.
            var y = F.conv1d(x.to(ScalarType.Float32), Weight().to(ScalarType.Float32), bias.to(ScalarType.Float32), padding: padding, groups: groups);
            return y.to(x.dtype).MoveToOuterDisposeScope();
        }
        return F.conv1d(x, Weight(), bias, padding: padding, groups: groups).MoveToOuterDisposeScope();
    }

    /// <summary>The <c>parametrizations</c> container: one entry, <c>weight</c>.</summary>
    sealed class WeightParametrizations : nn.Module
    {
#pragma warning disable IDE1006 // Field names are the PyTorch state-dict names.
        readonly WeightNormTensors weight;
#pragma warning restore IDE1006

        public WeightParametrizations(Tensor g, Tensor v) : base("ModuleDict")
        {
            weight = new WeightNormTensors(g, v);
            RegisterComponents();
        }

        public Tensor Magnitude => weight.Magnitude;
        public Tensor Direction => weight.Direction;
    }

    /// <summary>PyTorch's <c>ParametrizationList</c> of weight norm: original0 = g, original1 = v.</summary>
    sealed class WeightNormTensors : nn.Module
    {
#pragma warning disable IDE1006 // Field names are the PyTorch state-dict names.
        readonly Parameter original0;
        readonly Parameter original1;
#pragma warning restore IDE1006

        public WeightNormTensors(Tensor g, Tensor v) : base("ParametrizationList")
        {
            original0 = nn.Parameter(g);
            original1 = nn.Parameter(v);
            RegisterComponents();
        }

        public Tensor Magnitude => original0;
        public Tensor Direction => original1;
    }
}
