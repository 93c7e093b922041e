// One module's trained parameters kept end to end in flat buckets, with their compute copies, gradients and AdamW state.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kanade.Training.Pipeline;

/// <summary>
/// The trained parameters of one module (float32 masters), optionally paired with a lower-precision compute copy of the
/// module, and the AdamW that updates them. The masters, the compute copy's parameters and the AdamW moments are views
/// into a few flat buckets, so pushing the weights, collecting the gradients, clipping them and the AdamW update are a
/// few kernels per bucket instead of several per tensor: TorchSharp's per-tensor loops cost 39 ms of kernel launches
/// per step for the 12.5 Hz model on an H100 (about 350 tensors), where the same memory traffic takes about 2 ms.
/// </summary>
/// <remarks>
/// Buckets hold at most <see cref="BucketElements"/> values, so the gradients gathered after a backward pass fit in
/// the blocks the caching allocator freed from its activations instead of reserving new memory.
/// The results are those of the per-tensor path: the same AdamW operations in the same order on each element, and
/// clipping by PyTorch's <c>clip_grad_norm_</c> formula (the total norm summed in another order). A parameter left
/// without a gradient by a backward pass is skipped by AdamW as PyTorch skips it: such a step, or one after it whose
/// step counts differ between parameters, falls back to the per-tensor path, on the same buffers.
/// </remarks>
sealed class TrainedParameters
{
    /// <summary>Most values in one bucket (64 MB of float32): a parameter larger than this gets a bucket of its own.</summary>
    public const long BucketElements = 16L << 20;

    // Consecutive masters (in layout order) whose compute copies share a dtype, with their flat buffers.
    sealed record Bucket(int First, int Count, long Elements, Tensor Values, Tensor? Compute)
    {
        public Tensor? ExpAvg, ExpAvgSq, Gradients;
    }

    readonly Parameter[] masters;        // layout order: grouped by the compute copy's dtype
    readonly Parameter[] sources;        // where backward leaves the gradients: the compute copy's parameters, or the masters
    readonly bool shadowed;
    readonly AdamW? optimizer;
    readonly AdamW.State[] states = [];
    readonly Bucket[] buckets;
    bool flat;                           // every gradient of this step so far is in the buckets' Gradients
    bool collected;                      // the buckets' Gradients hold at least one backward pass

    /// <param name="master">The float32 module the optimizer trains.</param>
    /// <param name="compute">Its lower-precision copy that runs forward and backward, or null when the master does.</param>
    /// <param name="optimizer">The AdamW over the master's trained parameters (one group), or null to only keep the copy
    /// of the master's parameters that require grad in step.</param>
    /// <param name="bucketElements">Most values per bucket.</param>
    public TrainedParameters(nn.Module master, nn.Module? compute, AdamW? optimizer, long bucketElements = BucketElements)
    {
        var trained = optimizer?.parameters() ?? master.parameters().Where(p => p.requires_grad);
        this.optimizer = optimizer;
        shadowed = compute is not null;
        var names = master.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        if (compute is not null)
            foreach (var (name, parameter) in compute.named_parameters())
                parameter.requires_grad = master.get_parameter(name)!.requires_grad;
        Parameter ComputeOf(Parameter p) => compute is null ? p : compute.get_parameter(names[p.Handle])!;

        masters = [.. trained.OrderBy(p => (int)ComputeOf(p).dtype)];
        sources = [.. masters.Select(ComputeOf)];
        using (no_grad()) buckets = [.. Partition(bucketElements).Select(range => new Bucket(range.First, range.Count, range.Elements,
            Flatten(masters, range.First, range.Count, ScalarType.Float32),
            shadowed ? Flatten(sources, range.First, range.Count, sources[range.First].dtype) : null))];

        if (optimizer is null) return;
        var options = (AdamW.Options)optimizer.ParamGroups.Cast<AdamW.ParamGroup>().Single().Options;
        if (options.amsgrad == true || options.maximize == true) return;        // the per-tensor path only
        var byHandle = optimizer.parameters().Zip(((OptimizerHelper)optimizer).state_dict().State.Cast<AdamW.State>())
            .ToDictionary(x => x.First.Handle, x => x.Second);
        states = [.. masters.Select(p => byHandle[p.Handle])];
        using (no_grad())
            foreach (var bucket in buckets)
            {
                bucket.ExpAvg = Rebind(bucket, s => s.exp_avg, (s, t) => s.exp_avg = t);
                bucket.ExpAvgSq = Rebind(bucket, s => s.exp_avg_sq, (s, t) => s.exp_avg_sq = t);
            }
        flat = true;
    }

    /// <summary>Elements in all the trained parameters.</summary>
    public long Count => buckets.Sum(b => b.Elements);

    /// <summary>Number of flat buckets.</summary>
    public int BucketCount => buckets.Length;

    bool FlatCapable => states.Length == masters.Length && masters.Length > 0;

    /// <summary>Copies every master weight into the compute copy (rounding to its dtype).</summary>
    public void PushWeights()
    {
        using var _ = no_grad();
        foreach (var bucket in buckets) bucket.Compute?.copy_(bucket.Values);
    }

    /// <summary>Clears the gradients of both sides: PyTorch's <c>zero_grad(set_to_none=True)</c>.</summary>
    public void ClearGradients()
    {
        foreach (var parameter in masters) parameter.grad = null;
        if (shadowed) foreach (var parameter in sources) parameter.grad = null;
        ReleaseGradients();
        flat = FlatCapable;
    }

    /// <summary>After a backward pass: adds its gradients (in float32) to what this step collected, and clears them from the copy.</summary>
    public void CollectGradients()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var found = sources.Select(p => p.grad).ToArray();
        if (flat && found.All(g => g is not null))
        {
            foreach (var bucket in buckets)
            {
                var joined = cat([.. found.Skip(bucket.First).Take(bucket.Count).Select(g => g!.view(-1))], 0);
                if (bucket.Gradients is not null) bucket.Gradients.add_(joined);
                else bucket.Gradients = joined.to(ScalarType.Float32).DetachFromDisposeScope();
            }
            collected = true;
            foreach (var parameter in sources) parameter.grad = null;
            return;
        }
        if (flat) SpillToMasters();
        if (!shadowed) return;                                                  // backward accumulated into the masters itself
        for (int i = 0; i < masters.Length; i++)
        {
            var gradient = found[i];
            if (gradient is null) continue;
            var existing = masters[i].grad;
            if (existing is null) masters[i].grad = gradient.to(ScalarType.Float32);
            else existing.add_(gradient);
            sources[i].grad = null;
        }
    }

    /// <summary>
    /// Clips the collected gradients to a total norm of <paramref name="maxNorm"/> (infinity: no clipping) and takes an
    /// AdamW step with the optimizer's current settings; returns the total norm before clipping (0 without gradients).
    /// </summary>
    public double ClipAndStep(double maxNorm)
    {
        if (optimizer is null) throw new InvalidOperationException("These parameters have no optimizer.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (flat && !collected) return 0;                                       // no gradient at all: AdamW skips every tensor
        if (flat && states.Any(s => s.step != states[0].step)) SpillToMasters();
        if (!flat)
        {
            var withGradients = masters.Where(p => { using var g = p.grad; return g is not null; }).ToArray();
            double norm = withGradients.Length == 0 ? 0 : nn.utils.clip_grad_norm_(withGradients, maxNorm);
            optimizer.step();
            return norm;
        }
        var total = stack([.. buckets.Select(b => SquaredNorm(b.Gradients!))]).sum().sqrt().to(ScalarType.Float32);
        if (double.IsFinite(maxNorm))
        {
            var coefficient = total.add(1e-6).reciprocal().mul_(maxNorm).clamp_max_(1.0);
            foreach (var bucket in buckets) bucket.Gradients!.mul_(coefficient);
        }
        Update();
        ReleaseGradients();
        return total.item<float>();
    }

    // Sum of squares of a (N,) float32 tensor, as a float64 scalar: norms of 4,096-value rows, added in float64. One
    // float32 reduction over millions of values drifts on the CPU (2.7e-5 relative on tiny12's gradient norm), and a
    // float64 copy of a bucket would be a new 128 MB block in the allocator's reserve.
    static Tensor SquaredNorm(Tensor values)
    {
        const long Row = 4096;
        long rows = values.shape[0] / Row, tail = values.shape[0] - rows * Row;
        var sum = zeros(1, ScalarType.Float64, values.device);
        if (rows > 0)
            sum = sum + linalg.vector_norm(values.narrow(0, 0, rows * Row).view(rows, Row), 2, [1]).to(ScalarType.Float64).square().sum();
        if (tail > 0)
            sum = sum + linalg.vector_norm(values.narrow(0, rows * Row, tail)).to(ScalarType.Float64).square();
        return sum.squeeze(0);
    }

    // TorchSharp's AdamW.step, operation for operation, over each bucket.
    void Update()
    {
        var options = (AdamW.Options)optimizer!.ParamGroups.Cast<AdamW.ParamGroup>().Single().Options;
        double lr = options.LearningRate!.Value, beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
        double weightDecay = options.weight_decay!.Value, eps = options.eps!.Value;
        foreach (var state in states) state.step++;
        long step = states[0].step;
        double correction1 = 1 - Math.Pow(beta1, step), correction2 = 1 - Math.Pow(beta2, step);
        foreach (var bucket in buckets)
        {
            using var scope = NewDisposeScope();
            var (values, gradients, expAvg, expAvgSq) = (bucket.Values, bucket.Gradients!, bucket.ExpAvg!, bucket.ExpAvgSq!);
            values.mul_(1 - lr * weightDecay);
            expAvg.mul_(beta1).add_(gradients, alpha: 1 - beta1);
            expAvgSq.mul_(beta2).addcmul_(gradients, gradients, value: 1 - beta2);
            var denominator = (expAvgSq.sqrt() / Math.Sqrt(correction2)).add_(eps);
            values.addcdiv_(expAvg, denominator, value: -lr / correction1);
        }
    }

    // The gradients collected so far become per-tensor gradients of the masters, for the per-tensor path.
    void SpillToMasters()
    {
        if (collected)
            foreach (var bucket in buckets)
            {
                long offset = 0;
                foreach (var master in masters.Skip(bucket.First).Take(bucket.Count))
                {
                    var part = bucket.Gradients!.narrow(0, offset, master.numel()).view(master.shape);
                    offset += master.numel();
                    var existing = master.grad;
                    if (existing is null) master.grad = part.clone();
                    else existing.add_(part);
                }
            }
        ReleaseGradients();
        flat = false;
    }

    void ReleaseGradients()
    {
        foreach (var bucket in buckets)
        {
            bucket.Gradients?.Dispose();
            bucket.Gradients = null;
        }
        collected = false;
    }

    // Runs of consecutive masters with one compute dtype and at most BucketElements values (or one larger parameter).
    IEnumerable<(int First, int Count, long Elements)> Partition(long bucketElements)
    {
        int first = 0;
        long elements = 0;
        for (int i = 0; i < masters.Length; i++)
        {
            long size = masters[i].numel();
            bool dtypeChanges = i > first && sources[i].dtype != sources[first].dtype;
            if (i > first && (dtypeChanges || elements + size > bucketElements))
            {
                yield return (first, i - first, elements);
                (first, elements) = (i, 0);
            }
            elements += size;
        }
        if (masters.Length > first) yield return (first, masters.Length - first, elements);
    }

    // One buffer of the given dtype holding parameters [first, first + count) end to end; each becomes a view into it.
    static Tensor Flatten(Parameter[] parameters, int first, int count, ScalarType dtype)
    {
        var members = parameters.Skip(first).Take(count).ToArray();
        var buffer = empty(members.Sum(p => p.numel()), dtype, members[0].device).DetachFromDisposeScope();
        long offset = 0;
        foreach (var parameter in members)
        {
            using var view = buffer.narrow(0, offset, parameter.numel()).view(parameter.shape);
            view.copy_(parameter);
            parameter.set_(view);
            offset += parameter.numel();
        }
        return buffer;
    }

    // The same for an optimizer state tensor of every parameter in the bucket: the state is replaced by its view.
    Tensor Rebind(Bucket bucket, Func<AdamW.State, Tensor> get, Action<AdamW.State, Tensor> set)
    {
        var buffer = empty(bucket.Elements, ScalarType.Float32, bucket.Values.device).DetachFromDisposeScope();
        long offset = 0;
        foreach (var state in states.Skip(bucket.First).Take(bucket.Count))
        {
            var old = get(state);
            var view = buffer.narrow(0, offset, old.numel()).view(old.shape).DetachFromDisposeScope();
            view.copy_(old);
            offset += old.numel();
            set(state, view);
            old.Dispose();
        }
        return buffer;
    }
}
