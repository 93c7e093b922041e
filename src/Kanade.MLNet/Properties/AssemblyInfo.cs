using System.Runtime.CompilerServices;

// The tests count model calls and read the batching seam.
[assembly: InternalsVisibleTo("Kanade.MLNet.Tests")]
