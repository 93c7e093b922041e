namespace Kanade.Tests.Model;

[TestClass]
public sealed class CudnnAttentionTests
{
    [TestMethod]
    public void TheSwitchReachesLibtorchAndReadsBack()
    {
        bool before = CudnnAttention.Enabled;
        try
        {
            CudnnAttention.Enabled = false;
            Assert.IsFalse(CudnnAttention.Enabled);
            CudnnAttention.Enabled = true;
            Assert.IsTrue(CudnnAttention.Enabled);
        }
        finally
        {
            CudnnAttention.Enabled = before;
        }
    }
}
