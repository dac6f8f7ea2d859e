using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Projects;

namespace Distill.Web.Datasets;

/// <summary>
/// Streams an uploaded file straight into blob storage: memory holds a few blocks at a time whatever the file's
/// size, and the sha256 is computed on the way through.
/// </summary>
public sealed class UploadReceiver(DistillDbContext db, BlobServiceClient blobs)
{
    // Four 8 MiB blocks in flight: fast enough to keep up with a LAN upload, small enough for many at once.
    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = 8 * 1024 * 1024,
        MaximumTransferSize = 8 * 1024 * 1024,
        MaximumConcurrency = 4,
    };

    public async Task<Upload> ReceiveAsync(Stream body, string fileName, CancellationToken cancellationToken)
    {
        var upload = new Upload { Id = Guid.CreateVersion7(), ProjectId = Project.DefaultId, FileName = SafeDisplayName(fileName), CreatedAt = DateTime.UtcNow };
        db.Uploads.Add(upload);
        await db.SaveChangesAsync(cancellationToken);

        var container = blobs.GetBlobContainerClient(DatasetBlobs.Uploads);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient(upload.BlobName);
        try
        {
            await using var hashing = new HashingReadStream(body);
            await blob.UploadAsync(hashing, new BlobUploadOptions { TransferOptions = Transfer }, cancellationToken);
            upload.SizeBytes = hashing.BytesRead;
            upload.Sha256 = Convert.ToHexStringLower(hashing.Hash());
            upload.Complete = true;
            await db.SaveChangesAsync(CancellationToken.None);
            return upload;
        }
        catch
        {
            // A broken upload leaves nothing behind that could be imported by mistake.
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            db.Uploads.Remove(upload);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private static string SafeDisplayName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return string.IsNullOrEmpty(name) ? "upload" : name[..Math.Min(name.Length, 255)];
    }

    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long BytesRead { get; private set; }

        public byte[] Hash() => _sha.GetHashAndReset();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _sha.AppendData(buffer.Span[..read]);
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            _sha.AppendData(buffer, offset, read);
            BytesRead += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}
