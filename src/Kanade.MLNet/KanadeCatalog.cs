// The Kanade steps of mlContext.Transforms, as ImageEstimatorsCatalog adds LoadImages and TorchSharpCatalog its trainers.
using Microsoft.ML;

namespace Kanade.MLNet;

/// <summary>
/// Kanade's extension methods on <see cref="TransformsCatalog"/> (<c>mlContext.Transforms</c>): <c>LoadAudio</c> (path
/// -> waveform), <c>KanadeEncode</c> (waveform -> tokens + global embedding), <c>KanadeDecode</c> (tokens + global
/// embedding -> mel) and <c>Vocode</c> (mel -> waveform). Each has a flat overload and an options overload.
/// </summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// IDataView manifest = ml.Data.LoadFromTextFile&lt;AudioManifestRow&gt;("train.csv", hasHeader: true, separatorChar: ',', allowQuoting: true);
/// var pipeline = ml.Transforms.LoadAudio("Waveform", "Path", sampleRate: 24000, audioRoot: root)
///     .Append(ml.Transforms.KanadeEncode(model))
///     .Append(ml.Transforms.KanadeDecode(model))
///     .Append(ml.Transforms.Vocode(vocoder));
/// IDataView tokens = pipeline.Fit(manifest).Transform(manifest);
/// </code>
/// </example>
public static class KanadeCatalog
{
    /// <summary>
    /// Loads the audio file named in each row as a mono waveform: decoded (WAV, FLAC, OGG, MP3... through libsndfile),
    /// averaged over channels, resampled to <paramref name="sampleRate"/> and divided by its peak, as <see cref="AudioFile.Load"/> does.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column to create: a variable-length Vector&lt;Single&gt; (the waveform), annotated with its sample rate.</param>
    /// <param name="inputColumnName">Text column of file paths, absolute or relative to <paramref name="audioRoot"/>.</param>
    /// <param name="sampleRate">Sample rate of the waveforms in Hz (the model's, <c>model.Config.SampleRate</c>: 24000).</param>
    /// <param name="audioRoot">Folder relative paths are resolved against; null for the current directory.</param>
    /// <param name="errorPolicy">What to do with an unreadable file: throw naming the path and row (default), skip the row,
    /// or emit an empty waveform and a Text error column named <see cref="KanadeColumns.AudioError"/>.</param>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, int sampleRate,
        string? audioRoot = null, AudioErrorPolicy errorPolicy = AudioErrorPolicy.Throw)
        => LoadAudio(catalog, new AudioLoadingOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, SampleRate = sampleRate, AudioRoot = audioRoot, ErrorPolicy = errorPolicy,
        });

    /// <summary>Loads audio files as waveforms, with chunk offsets and lengths from columns and a choice of error policy.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="options">Columns (Text paths in, Vector&lt;Single&gt; out; optional Int32/Int64 offset and frame columns),
    /// sample rate, audio root and error policy.</param>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, AudioLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AudioLoadingEstimator(options);
    }

    /// <summary>
    /// Encodes waveforms into content tokens and a global embedding with a Kanade model, in batches on the model's device.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">The Kanade model (move it to a device first to run there).</param>
    /// <param name="inputColumnName">Vector&lt;Single&gt; column of waveforms at the model's sample rate.</param>
    /// <param name="tokensColumnName">Column to create: the content tokens, a variable-length Vector&lt;Int32&gt; of ids in
    /// [0, vocabulary); null for none.</param>
    /// <param name="globalEmbeddingColumnName">Column to create: the global embedding, a Vector&lt;Single, GlobalDim&gt;; null for none.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static KanadeEncodingEstimator KanadeEncode(this TransformsCatalog catalog, KanadeModel model,
        string inputColumnName = KanadeColumns.Waveform, string? tokensColumnName = KanadeColumns.Tokens,
        string? globalEmbeddingColumnName = KanadeColumns.GlobalEmbedding, int batchSize = 8)
        => KanadeEncode(catalog, model, new KanadeEncodingOptions
        {
            InputColumnName = inputColumnName, TokensColumnName = tokensColumnName, GlobalEmbeddingColumnName = globalEmbeddingColumnName, BatchSize = batchSize,
        });

    /// <summary>Encodes waveforms with a Kanade model: tokens (Int32 or key type), global embedding, optional content embedding, batching.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">The Kanade model (move it to a device first to run there).</param>
    /// <param name="options">Columns (Vector&lt;Single&gt; waveform in; tokens, global and content embeddings out), token type and batching.</param>
    public static KanadeEncodingEstimator KanadeEncode(this TransformsCatalog catalog, KanadeModel model, KanadeEncodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanadeEncodingEstimator(model, options);
    }

    /// <summary>
    /// Decodes content tokens and a global embedding into a mel spectrogram with a Kanade model, in batches on the model's device.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">The Kanade model.</param>
    /// <param name="tokensColumnName">Column of content tokens: Vector&lt;Int32&gt;, Vector&lt;Int64&gt; or Vector&lt;Key&lt;UInt32&gt;&gt;.</param>
    /// <param name="globalEmbeddingColumnName">Column of global embeddings: Vector&lt;Single&gt; of the model's GlobalDim.</param>
    /// <param name="melColumnName">Column to create: the mel, a variable-length Vector&lt;Single&gt; of n_mels x frames in row-major
    /// order, annotated with n_mels (<see cref="KanadeAnnotations.MelBins"/>).</param>
    /// <param name="melFramesColumnName">Column to create: the frame count (Int32); null for none.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static KanadeDecodingEstimator KanadeDecode(this TransformsCatalog catalog, KanadeModel model,
        string tokensColumnName = KanadeColumns.Tokens, string globalEmbeddingColumnName = KanadeColumns.GlobalEmbedding,
        string melColumnName = KanadeColumns.Mel, string? melFramesColumnName = KanadeColumns.MelFrames, int batchSize = 8)
        => KanadeDecode(catalog, model, new KanadeDecodingOptions
        {
            TokensColumnName = tokensColumnName, GlobalEmbeddingColumnName = globalEmbeddingColumnName,
            MelColumnName = melColumnName, MelFramesColumnName = melFramesColumnName, BatchSize = batchSize,
        });

    /// <summary>Decodes tokens and global embeddings into mels, with an optional target-length column and batching options.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="model">The Kanade model.</param>
    /// <param name="options">Columns (tokens, Vector&lt;Single&gt; global embedding and optional Int32/Int64 audio length in;
    /// Vector&lt;Single&gt; mel and Int32 frame count out) and batching.</param>
    public static KanadeDecodingEstimator KanadeDecode(this TransformsCatalog catalog, KanadeModel model, KanadeDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KanadeDecodingEstimator(model, options);
    }

    /// <summary>Turns mel spectrograms into waveforms with a vocoder (Vocos or HiFT).</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="vocoder">The vocoder (<see cref="Kanade.Vocoder.FromPretrained(string, string?, string)"/>).</param>
    /// <param name="inputColumnName">Column of mels: Vector&lt;Single&gt; of n_mels x frames, row-major, n_mels = <see cref="IVocoder.MelBins"/>.</param>
    /// <param name="outputColumnName">Column to create: the waveform, a variable-length Vector&lt;Single&gt; at the vocoder's sample rate.</param>
    /// <param name="batchSize">Rows (of equal frame count) per forward pass.</param>
    public static VocodingEstimator Vocode(this TransformsCatalog catalog, IVocoder vocoder,
        string inputColumnName = KanadeColumns.Mel, string outputColumnName = KanadeColumns.Resynthesized, int batchSize = 8)
        => Vocode(catalog, vocoder, new VocodingOptions { InputColumnName = inputColumnName, OutputColumnName = outputColumnName, BatchSize = batchSize });

    /// <summary>Turns mel spectrograms into waveforms with a vocoder, with batching options.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="vocoder">The vocoder.</param>
    /// <param name="options">Columns (Vector&lt;Single&gt; mel in, Vector&lt;Single&gt; waveform out) and batching.</param>
    public static VocodingEstimator Vocode(this TransformsCatalog catalog, IVocoder vocoder, VocodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new VocodingEstimator(vocoder, options);
    }
}
