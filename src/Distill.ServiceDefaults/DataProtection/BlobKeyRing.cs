using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Distill.ServiceDefaults.DataProtection;

/// <summary>
/// The Data Protection key ring as one XML blob, shared by every instance of Web and Worker, so a teacher key one
/// process encrypted can be decrypted by any other. (Azure.Extensions.AspNetCore.DataProtection.Blobs does this
/// too, but it is not on our package feed.) Writers append under the blob's ETag, so concurrent key creation
/// never loses a key.
/// </summary>
internal sealed class BlobKeyRing(BlobServiceClient blobs) : IXmlRepository
{
    public const string Container = "dataprotection";
    public const string BlobName = "keys.xml";

    private BlobClient Blob => blobs.GetBlobContainerClient(Container).GetBlobClient(BlobName);

    public IReadOnlyCollection<XElement> GetAllElements() => Read().Document?.Root?.Elements().ToArray() ?? [];

    public void StoreElement(XElement element, string friendlyName)
    {
        blobs.GetBlobContainerClient(Container).CreateIfNotExists();
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = Read();
            document ??= new XDocument(new XElement("repository"));
            document.Root!.Add(element);
            var conditions = etag is { } current ? new BlobRequestConditions { IfMatch = current } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                using var content = new MemoryStream();
                document.Save(content);
                content.Position = 0;
                Blob.Upload(content, new BlobUploadOptions { Conditions = conditions });
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
                // Another instance wrote a key between our read and write: read again and append to theirs.
            }
        }
    }

    private (XDocument? Document, ETag? ETag) Read()
    {
        try
        {
            var download = Blob.DownloadContent();
            return (XDocument.Load(download.Value.Content.ToStream()), download.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }
}
