using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Kanade.Tests.IO;

/// <summary>A small module with parameters, a persistent int64 buffer and a non-persistent window.</summary>
public sealed class TinyNet : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict names, as in PyTorch.
    readonly Linear proj;
    readonly Conv1d conv;
    readonly Tensor counts;
#pragma warning restore IDE1006

    public TinyNet() : base(nameof(TinyNet))
    {
        proj = Linear(3, 2);
        conv = Conv1d(2, 2, 3);
        register_buffer("window", hann_window(4), persistent: false);
        counts = zeros(2, dtype: int64);
        RegisterComponents();
    }

    /// <summary>(B, T, 3) -> (B, 2, T - 2).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // (B, T, 2) -> (B, 2, T)
        return conv.call(proj.call(x).transpose(1, 2)).MoveToOuterDisposeScope();
    }
}

/// <summary>Two TinyNets and a head, for prefix options.</summary>
public sealed class TwoPartNet : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict names, as in PyTorch.
    readonly TinyNet encoder;
    readonly TinyNet decoder;
#pragma warning restore IDE1006

    public TwoPartNet() : base(nameof(TwoPartNet))
    {
        encoder = new TinyNet();
        decoder = new TinyNet();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => throw new NotSupportedException();
}

/// <summary>A Conv1d(2, 3, 3) whose weight is stored as parametrizations.weight.original0/1, like PyTorch's weight norm.</summary>
public sealed class WeightNormedConv : Module<Tensor, Tensor>
{
    sealed class Originals : Module
    {
#pragma warning disable IDE1006 // PyTorch's names.
        readonly Parameter original0 = Parameter(ones(3, 1, 1));
        readonly Parameter original1 = Parameter(ones(3, 2, 3));
#pragma warning restore IDE1006
        public Originals() : base("Originals") => RegisterComponents();
    }

    sealed class Parametrizations : Module
    {
#pragma warning disable IDE1006 // PyTorch's names.
        readonly Originals weight = new();
#pragma warning restore IDE1006
        public Parametrizations() : base("Parametrizations") => RegisterComponents();
    }

#pragma warning disable IDE1006 // PyTorch's names.
    readonly Parameter bias = Parameter(zeros(3));
    readonly Parametrizations parametrizations = new();
#pragma warning restore IDE1006

    public WeightNormedConv() : base(nameof(WeightNormedConv)) => RegisterComponents();

    public override Tensor forward(Tensor x) => throw new NotSupportedException();
}
