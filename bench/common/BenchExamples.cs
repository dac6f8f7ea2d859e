using Azure.Storage.Blobs;
using Distill.Core.Datasets;
using Distill.Worker.Datasets;

namespace Distill.Bench.Common;

public static class BenchExamples
{
    /// <summary>The Worker's own version writer; the benchmarks never complete versions, so its files go nowhere.</summary>
    internal static DatasetVersionWriter Writer(BenchDatabase database)
    {
        var db = database.Open();
        return new DatasetVersionWriter(db, database.DataSource, new DatasetVersionFiles(new DatasetVersionReader(db), new BlobServiceClient(new Uri("http://unused.invalid"))));
    }

    /// <summary>Splits 80/10/10 by index, so every run has the same split sizes.</summary>
    public static string SplitOf(long index) => (index % 10) switch { 8 => DatasetSplits.Validation, 9 => DatasetSplits.Test, _ => DatasetSplits.Train };
}
