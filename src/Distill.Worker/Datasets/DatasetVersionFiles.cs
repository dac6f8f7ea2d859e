using Azure.Storage.Blobs;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.Worker.Datasets;

/// <summary>
/// Writes a version as one JSONL file per split (the OpenAI fine-tuning shape plus metadata) and computes its
/// content hash: <see cref="DatasetContentHash"/> over every example with its split, in train/validation/test and
/// ordinal order, which is the sha256 of the version written as one canonical file. Same content, same hash,
/// whichever job or machine made it.
/// </summary>
internal sealed class DatasetVersionFiles(DatasetVersionReader reader, BlobServiceClient blobs)
{
    public async Task<(long Count, string Hash)> MaterialiseAsync(DatasetVersion version, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(DatasetBlobs.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var hash = new DatasetContentHash();
        long count = 0;
        string? currentSplit = null;
        Stream? file = null;
        try
        {
            await foreach (var example in reader.ReadAsync(version.Id, cancellationToken))
            {
                if (example.Split != currentSplit)
                {
                    if (file is not null)
                    {
                        await file.DisposeAsync();
                    }

                    currentSplit = example.Split;
                    file = await container.GetBlobClient(version.SplitBlobName(currentSplit)).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
                }

                hash.Append(example.Record, example.Split);
                await file!.WriteAsync(CanonicalJsonl.LineBytes(example.Record), cancellationToken);
                count++;
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }

        return (count, hash.Finish());
    }
}
