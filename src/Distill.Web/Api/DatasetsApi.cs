using Azure.Storage.Blobs;
using Distill.Core.Datasets;
using Distill.Web.Datasets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Distill.Web.Api;

public sealed record VersionDetail(VersionView Version, DatasetStatistics? Statistics, IReadOnlyList<LineageStep> Lineage);

public sealed record UploadView(Guid Id, string FileName, long SizeBytes, string? Sha256);

public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/v1/datasets").WithTags("Datasets");
        datasets.MapGet("/", ListAsync).WithSummary("Every dataset with its latest version.");
        datasets.MapPost("/", CreateAsync).WithSummary("Creates an empty dataset; versions come from imports, captures, generation and curation.");
        datasets.MapGet("/{id:guid}", GetAsync).WithSummary("One dataset with its latest version.");
        datasets.MapGet("/{id:guid}/versions", VersionsAsync).WithSummary("A dataset's versions, newest first.");

        var versions = app.MapGroup("/api/v1/versions").WithTags("Datasets");
        versions.MapGet("/{id:guid}", VersionAsync).WithSummary("One version with its statistics and lineage.");
        versions.MapGet("/{id:guid}/examples", ExamplesAsync)
            .WithSummary("A page of a version's examples: full-text search (q), split, metadata (meta=key:value, repeatable), token range.");
        versions.MapGet("/{id:guid}/files/{split}", DownloadAsync).WithSummary("A ready version's split as JSONL.");
        app.MapGet("/api/v1/examples/{id:long}", ExampleAsync).WithTags("Datasets").WithSummary("One example with its content, costs and lineage.");

        app.MapPost("/api/v1/uploads", UploadAsync).WithTags("Datasets")
            .WithSummary("Streams the request body (any size) into blob storage; import it afterwards. ?fileName= names it for people.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DatasetSummary>>> ListAsync(DatasetCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    private static async Task<Results<Created<DatasetSummary>, ValidationProblem>> CreateAsync(
        DatasetInput input, DatasetCatalog catalog, CancellationToken cancellationToken)
    {
        var (dataset, errors) = await catalog.CreateAsync(input, cancellationToken);
        return dataset is null ? TypedResults.ValidationProblem(errors) : TypedResults.Created($"/api/v1/datasets/{dataset.Id}", dataset);
    }

    private static async Task<Results<Ok<DatasetSummary>, NotFound>> GetAsync(Guid id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } dataset ? TypedResults.Ok(dataset) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<VersionView>>> VersionsAsync(Guid id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.VersionsAsync(id, cancellationToken));

    private static async Task<Results<Ok<VersionDetail>, NotFound>> VersionAsync(Guid id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.VersionAsync(id, cancellationToken) is { } version
            ? TypedResults.Ok(new VersionDetail(VersionView.From(version), DatasetCatalog.Statistics(version), await catalog.LineageAsync(id, cancellationToken)))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ExamplePage>, ValidationProblem>> ExamplesAsync(
        Guid id, DatasetCatalog catalog, string? q, string? split, string[]? meta, int? minTokens, int? maxTokens, int? offset, int? limit,
        CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in meta ?? [])
        {
            var colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["meta"] = [$"'{pair}' is not key:value."] });
            }

            metadata[pair[..colon]] = pair[(colon + 1)..];
        }

        var filter = new ExampleFilter(q, split, metadata, minTokens, maxTokens);
        return TypedResults.Ok(await catalog.ExamplesAsync(id, filter, offset ?? 0, limit ?? 50, cancellationToken));
    }

    private static async Task<Results<Ok<ExampleDetail>, NotFound>> ExampleAsync(long id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.ExampleAsync(id, cancellationToken) is { } example ? TypedResults.Ok(example) : TypedResults.NotFound();

    private static async Task<IResult> DownloadAsync(Guid id, string split, DatasetCatalog catalog, BlobServiceClient blobs, CancellationToken cancellationToken)
    {
        if (!DatasetSplits.All.Contains(split))
        {
            return TypedResults.NotFound($"There is no split '{split}'; splits are {string.Join(", ", DatasetSplits.All)}.");
        }

        if (await catalog.VersionAsync(id, cancellationToken) is not { Status: DatasetVersionStatus.Ready } version)
        {
            return TypedResults.NotFound("There is no ready version with this id.");
        }

        var blob = blobs.GetBlobContainerClient(DatasetBlobs.Container).GetBlobClient(version.SplitBlobName(split));
        if (!await blob.ExistsAsync(cancellationToken))
        {
            // An empty split has no file; an empty download says the same thing.
            return TypedResults.File(Array.Empty<byte>(), "application/jsonl", $"v{version.Number}-{split}.jsonl");
        }

        return TypedResults.Stream(await blob.OpenReadAsync(cancellationToken: cancellationToken), "application/jsonl", $"v{version.Number}-{split}.jsonl");
    }

    private static async Task<Created<UploadView>> UploadAsync(HttpContext http, UploadReceiver receiver, string? fileName, CancellationToken cancellationToken)
    {
        // A dataset can be many gigabytes: the body is streamed to blob storage, never held, so no size limit applies here.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var upload = await receiver.ReceiveAsync(http.Request.Body, fileName ?? "upload", cancellationToken);
        return TypedResults.Created($"/api/v1/uploads/{upload.Id}", new UploadView(upload.Id, upload.FileName, upload.SizeBytes, upload.Sha256));
    }
}
