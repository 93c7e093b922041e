using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Kanade.MLNet.Tests;

[TestClass]
public sealed class SchemaTests
{
    static readonly MLContext ml = new(seed: 1);

    [TestMethod]
    public void LoadAudioRejectsANonTextPathColumnNamingBothTypes()
    {
        var data = new DataFrame(new SingleDataFrameColumn("Path", [1f, 2f]));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.Transforms.LoadAudio("Waveform", "Path", 24000).Fit(data));
        StringAssert.Contains(error.Message, "Schema mismatch for input column 'Path': expected Text, got Single", StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public void EstimatorSchemaCheckNamesAMissingColumnAndTheColumnsFound()
    {
        var shape = SchemaShapeOf(new DataFrame(new StringDataFrameColumn("File", ["a.wav"])));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio("Waveform", "Path", 24000).GetOutputSchema(shape));
        StringAssert.Contains(error.Message, "could not find input column 'Path'");
        StringAssert.Contains(error.Message, "'File'");
    }

    [TestMethod]
    public void EncodeRejectsATextWaveformColumnAtPipelineBuildingTime()
    {
        var shape = SchemaShapeOf(new DataFrame(new StringDataFrameColumn("Waveform", ["x"])));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.KanadeEncode(TestData.Tiny12).GetOutputSchema(shape));
        StringAssert.Contains(error.Message, "input column 'Waveform': expected Vector<Single>, got Text");
    }

    [TestMethod]
    public void ChainedEstimatorsPropagateEachStepsColumnShapes()
    {
        var shape = SchemaShapeOf(new DataFrame(new StringDataFrameColumn("Path", ["a.wav"])));
        var pipeline = ml.Transforms.LoadAudio("Waveform", "Path", 24000)
            .Append(ml.Transforms.KanadeEncode(TestData.Tiny12))
            .Append(ml.Transforms.KanadeDecode(TestData.Tiny12));
        var output = pipeline.GetOutputSchema(shape).ToDictionary(c => c.Name);
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, output["Waveform"].Kind);
        Assert.AreEqual(NumberDataViewType.Int32, output["Tokens"].ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, output["GlobalEmbedding"].Kind);
        Assert.AreEqual(NumberDataViewType.Single, output["Mel"].ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Scalar, output["MelFrames"].Kind);
        Assert.IsTrue(output.ContainsKey("Path"));
    }

    [TestMethod]
    public void TransformerSchemaHasFixedGlobalSizeKeyTokensAndAnnotations()
    {
        IDataView input = new DataFrame(new StringDataFrameColumn("Path", ["a.wav"]));
        var loaded = ml.Transforms.LoadAudio("Waveform", "Path", 24000).Fit(input).GetOutputSchema(input.Schema);
        var schema = ml.Transforms.KanadeEncode(TestData.Tiny12, new KanadeEncodingOptions { TokensAsKeys = true, ContentEmbeddingColumnName = "Content" })
            .Fit(new EmptyView(loaded)).GetOutputSchema(loaded);
        var model = TestData.Tiny12;
        var tokens = (VectorDataViewType)schema["Tokens"].Type;
        Assert.AreEqual((ulong)model.VocabularySize, ((KeyDataViewType)tokens.ItemType).Count);
        Assert.AreEqual(model.GlobalDim, ((VectorDataViewType)schema["GlobalEmbedding"].Type).Size);
        double rate = 0;
        schema["Tokens"].Annotations.GetValue(KanadeAnnotations.TokenRate, ref rate);
        Assert.AreEqual(model.TokenRate, rate);
        VBuffer<int> levels = default;
        schema["Tokens"].Annotations.GetValue(KanadeAnnotations.FsqLevels, ref levels);
        CollectionAssert.AreEqual(model.Definition.LocalQuantizer.Levels.ToArray(), levels.DenseValues().ToArray());
        int contentDim = 0;
        schema["Content"].Annotations.GetValue(KanadeAnnotations.ContentDim, ref contentDim);
        Assert.AreEqual(model.ContentDim, contentDim);
    }

    [TestMethod]
    public void DecodeRejectsAGlobalEmbeddingOfAnotherSize()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Tokens", new VectorDataViewType(NumberDataViewType.Int32));
        builder.AddColumn("GlobalEmbedding", new VectorDataViewType(NumberDataViewType.Single, 7));
        var view = new EmptyView(builder.ToSchema());
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.KanadeDecode(TestData.Tiny12).Fit(view));
        StringAssert.Contains(error.Message, $"expected Vector<Single, {TestData.Tiny12.GlobalDim}>");
        StringAssert.Contains(error.Message, "got Vector<Single, 7>");
    }

    // Tests build input shapes with ML.NET's own (internal) factory, as its estimators do.
    static SchemaShape SchemaShapeOf(IDataView data) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [data.Schema])!;
}

/// <summary>An empty view of a given schema (to fit estimators on a schema alone).</summary>
internal sealed class EmptyView(DataViewSchema schema) : IDataView
{
    public DataViewSchema Schema => schema;
    public bool CanShuffle => false;
    public long? GetRowCount() => 0;
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => throw new NotSupportedException();
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => throw new NotSupportedException();
}
