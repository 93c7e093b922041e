using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Kanade.Training.Tests.Optim;

// TorchSharp's AdamW against PyTorch's update rule (torch/optim/adamw.py, single-tensor path), worked by hand:
//   p <- p (1 - lr wd)                       decoupled weight decay, before the moment update
//   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)    eps after the bias correction
[TestClass]
public sealed class AdamWTests
{
    [TestMethod]
    public void TwoStepsMatchPyTorchsUpdateRule()
    {
        // lr 0.1, betas (0.9, 0.99), eps 1e-8, weight decay 0.01; p0 = [1, -2].
        using var p = new TorchSharp.Modules.Parameter(tensor(new float[] { 1f, -2f }));
        var optimizer = optim.AdamW([p], lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.01);

        // Step 1, g = [0.5, 1e-6]: p = [0.999, -1.998]; m = [0.05, 1e-7]; v = [0.0025, 1e-14]; bc1 = 0.1, bc2 = 0.01;
        // denominators [0.5 + 1e-8, 1e-6 + 1e-8]; p -= 1 * [0.05 / 0.50000001, 1e-7 / 1.01e-6] = [0.099999998, 0.0990099].
        // (eps before the bias correction would give 1e-7 / 1.1e-6 = 0.0909; coupled decay would add 0.01 p to g.)
        Step(optimizer, p, [0.5f, 1e-6f]);
        CollectionAssert.AreEqual(new[] { 0.899000002, -2.097009900990099 }, Values(p), new Tolerance(1e-6));

        // Step 2, g = [-0.25, 3e-6]: p = p1 * 0.999; m = [0.02, 3.9e-7]; v = [0.0031, 9.99e-14]; bc1 = 0.19, bc2 = 0.0199;
        // element 0: (0.1 / 0.19) * 0.02 / (sqrt(0.0031 / 0.0199) + 1e-8) = 0.0266700 -> 0.898101002 - 0.0266700;
        // element 1: (0.1 / 0.19) * 3.9e-7 / (sqrt(9.99e-14 / 0.0199) + 1e-8) = 0.0912054 -> -2.0949129 - 0.0912054.
        Step(optimizer, p, [-0.25f, 3e-6f]);
        CollectionAssert.AreEqual(new[] { 0.8714310597659334, -2.1861183391369745 }, Values(p), new Tolerance(1e-6));
    }

    static void Step(optim.Optimizer optimizer, TorchSharp.Modules.Parameter p, float[] gradient)
    {
        optimizer.zero_grad();
        (p * tensor(gradient)).sum().backward();    // d/dp sum(g p) = g
        optimizer.step();
    }

    static double[] Values(Tensor t) => [.. t.data<float>().Select(x => (double)x)];

    sealed class Tolerance(double absolute) : System.Collections.IComparer
    {
        public int Compare(object? x, object? y) => Math.Abs((double)x! - (double)y!) <= absolute ? 0 : 1;
    }
}
