using Azure.Storage.Blobs;
using Distill.ServiceDefaults.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class DataProtectionExtensions
{
    /// <summary>
    /// Data Protection with one key ring in blob storage and one application name, so Web and Worker (and every
    /// replica) share keys: a teacher key saved by Web is readable by the Worker that calls the teacher.
    /// Requires <see cref="BlobExtensions.AddDistillBlobs{TBuilder}"/>.
    /// </summary>
    public static TBuilder AddDistillDataProtection<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddDataProtection().SetApplicationName("distill");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<BlobServiceClient>((options, blobs) => options.XmlRepository = new BlobKeyRing(blobs));
        builder.Services.AddSingleton<TeacherKeyProtector>();
        return builder;
    }
}
