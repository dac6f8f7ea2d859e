using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Distill.Core.Datasets;

namespace Distill.Worker.Datasets;

/// <summary>
/// Writes a version as one JSONL file per split (the OpenAI fine-tuning shape plus metadata) and computes its
/// content hash: sha256 over, for each split in train/validation/test order, the split's name and a newline, then
/// its file's bytes. The same content always gives the same hash, whichever job or machine made it.
/// </summary>
internal sealed class DatasetVersionFiles(DatasetVersionReader reader, BlobServiceClient blobs)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task<(long Count, string Hash)> MaterialiseAsync(DatasetVersion version, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(DatasetBlobs.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
                    hash.AppendData(Encoding.UTF8.GetBytes(currentSplit + "\n"));
                    file = await container.GetBlobClient(version.SplitBlobName(currentSplit)).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
                }

                var line = ExampleJson.Line(example.Record);
                hash.AppendData(line);
                hash.AppendData(NewLine);
                await file!.WriteAsync(line, cancellationToken);
                await file.WriteAsync(NewLine, cancellationToken);
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

        return (count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
