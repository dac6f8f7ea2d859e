using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Distill.Testing.FakeTeacher;

/// <summary>
/// TEST FIXTURE: a fake teacher LLM. A real Kestrel server on 127.0.0.1 (a free port) speaking OpenAI's and Azure
/// OpenAI's chat completions wire formats, so the official SDKs can be tested unchanged. Answers are deterministic
/// (see <see cref="FakeTeacherAnswer"/>); faults are scripted; counters tell tests what the "service" saw.
/// Paths: <c>POST /v1/chat/completions</c> (OpenAI, bearer key), <c>POST /openai/deployments/{d}/chat/completions?api-version=</c>
/// and <c>POST /openai/v1/chat/completions</c> (Azure, <c>api-key</c> header), and the stored-completion lists
/// <c>GET /v1/chat/completions</c>, <c>GET /openai/v1/chat/completions</c>, <c>GET /openai/chat/completions?api-version=</c>.
/// </summary>
public sealed class FakeTeacherServer : IAsyncDisposable
{
    /// <summary>How long the server spent on a request, in milliseconds, so a benchmark can subtract it.</summary>
    public const string HandlingTimeHeader = "x-fake-teacher-handling-ms";

    private const string AzureDeploymentsPrefix = "/openai/deployments/";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeTeacherFault> _faults = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private long _requests;
    private long _chatRequests;
    private long _answersDelivered;
    private long _handlingTicks;
    private long _nextId;
    private int _concurrent;
    private int _maxConcurrent;

    private FakeTeacherServer(WebApplication app, FakeTeacherOptions options)
    {
        _app = app;
        Options = options;
    }

    public FakeTeacherOptions Options { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>; also the Azure resource endpoint.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public Uri AzureEndpoint => BaseUri;

    /// <summary>The base URL an OpenAI-compatible client is given: <c>…/v1</c>.</summary>
    public Uri OpenAIEndpoint => new(BaseUri, "v1");

    public FakeTeacherStore Store { get; } = new();

    /// <summary>Added before every answer (not before faults).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>A per-request delay, added to <see cref="Delay"/>.</summary>
    public Func<FakeTeacherRequest, TimeSpan>? DelayFor { get; set; }

    /// <summary>A fault for the n-th chat completion request (1-based) or for a given request, consulted when no scripted fault is queued.</summary>
    public Func<long, FakeTeacherRequest, FakeTeacherFault?>? FaultPlan { get; set; }

    /// <summary>Every HTTP request, whatever its path or outcome.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Chat completion requests that passed authentication, faulted or not.</summary>
    public long ChatRequests => Interlocked.Read(ref _chatRequests);

    public long AnswersDelivered => Interlocked.Read(ref _answersDelivered);

    public int MaxConcurrentRequests => Volatile.Read(ref _maxConcurrent);

    /// <summary>The sum of the times reported in <see cref="HandlingTimeHeader"/>.</summary>
    public TimeSpan TotalHandlingTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _handlingTicks));

    public FakeTeacherRequest? LastRequest { get; private set; }

    /// <summary>Answers completely delivered, by example key (see <see cref="FakeTeacherRequest.ExampleKey"/>).</summary>
    public IReadOnlyDictionary<string, int> AnswersByExample => new Dictionary<string, int>(_answers, StringComparer.Ordinal);

    public static async Task<FakeTeacherServer> StartAsync(FakeTeacherOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new FakeTeacherServer(app, options ?? new FakeTeacherOptions());
        ((IApplicationBuilder)app).Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public int AnswersFor(string exampleKey) => _answers.TryGetValue(exampleKey, out var count) ? count : 0;

    /// <summary>The next <paramref name="count"/> chat completion requests get <paramref name="fault"/>.</summary>
    public void FailNext(int count, FakeTeacherFault fault)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(fault);
        }
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _chatRequests, 0);
        Interlocked.Exchange(ref _answersDelivered, 0);
        Interlocked.Exchange(ref _handlingTicks, 0);
        Volatile.Write(ref _maxConcurrent, 0);
        _answers.Clear();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var azure = path.StartsWith("/openai/", StringComparison.Ordinal);
        var flavor = azure ? FakeTeacherFlavor.Azure : FakeTeacherFlavor.OpenAI;
        string? deployment = null;
        var chat = false;
        var list = false;
        if (path.StartsWith(AzureDeploymentsPrefix, StringComparison.Ordinal) && path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            deployment = path[AzureDeploymentsPrefix.Length..^"/chat/completions".Length];
            chat = HttpMethods.IsPost(request.Method) && !deployment.Contains('/');
        }
        else if (path is "/v1/chat/completions" or "/openai/v1/chat/completions" or "/openai/chat/completions")
        {
            chat = HttpMethods.IsPost(request.Method) && path != "/openai/chat/completions";
            list = HttpMethods.IsGet(request.Method);
        }

        // Azure's classic paths need an api-version; without one Azure answers 404, so does the fake.
        var needsApiVersion = deployment is not null || path == "/openai/chat/completions";
        if ((!chat && !list) || (needsApiVersion && string.IsNullOrEmpty(request.Query["api-version"])))
        {
            await WriteErrorAsync(context, flavor, 404, azure ? "Resource not found" : $"Invalid URL ({request.Method} {path})", started);
            return;
        }

        if (!Authenticated(request, flavor, out var presented))
        {
            // OpenAI echoes a masked key; the fake echoes it whole, so tests prove the key never reaches our messages.
            var message = azure
                ? "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."
                : $"Incorrect API key provided: {presented}. You can find your API key at https://platform.openai.com/account/api-keys.";
            await WriteErrorAsync(context, flavor, 401, message, started, azure ? "401" : "invalid_api_key");
            return;
        }

        if (list)
        {
            await ListAsync(context, started);
            return;
        }

        var concurrent = Interlocked.Increment(ref _concurrent);
        try
        {
            int max;
            while (concurrent > (max = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, concurrent, max) != max)
            {
            }

            await ChatAsync(context, flavor, deployment, started);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    private bool Authenticated(HttpRequest request, FakeTeacherFlavor flavor, out string presented)
    {
        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        presented = flavor == FakeTeacherFlavor.Azure ? request.Headers["api-key"].ToString() : bearer ?? "";
        if (Options.ApiKey is null)
        {
            return true;
        }

        return flavor == FakeTeacherFlavor.Azure
            ? presented == Options.ApiKey || (Options.EntraToken is not null && bearer == Options.EntraToken)
            : bearer == Options.ApiKey;
    }

    private async Task ChatAsync(HttpContext context, FakeTeacherFlavor flavor, string? deployment, long started)
    {
        var number = Interlocked.Increment(ref _chatRequests);
        FakeTeacherRequest parsed;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var apiVersion = context.Request.Query["api-version"].ToString();
            parsed = FakeTeacherRequest.Parse(flavor, context.Request.Path.Value!, apiVersion.Length > 0 ? apiVersion : null, deployment, await reader.ReadToEndAsync(context.RequestAborted));
        }
        catch (System.Text.Json.JsonException)
        {
            await WriteErrorAsync(context, flavor, 400, "We could not parse the JSON body of your request.", started);
            return;
        }

        LastRequest = parsed;
        var fault = _faults.TryDequeue(out var next) ? next : FaultPlan?.Invoke(number, parsed);
        if (fault is { Status: not 200 })
        {
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            if (fault.RetryAfterMs is not null)
            {
                context.Response.Headers["retry-after-ms"] = fault.RetryAfterMs;
            }

            await WriteErrorAsync(context, flavor, fault.Status, fault.Message ?? DefaultMessage(fault.Status), started);
            return;
        }

        try
        {
            var delay = Delay + (DelayFor?.Invoke(parsed) ?? TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var answer = FakeTeacherAnswer.For(parsed);
        var id = $"chatcmpl-fake{Interlocked.Increment(ref _nextId):x8}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var model = flavor == FakeTeacherFlavor.Azure ? Options.Model : parsed.Model ?? Options.Model;
        if (parsed.Store)
        {
            Store.Add(id, model, parsed.Metadata, FakeTeacherWire.Completion(id, created, model, parsed, answer, withMetadata: true));
        }

        if (fault?.DropAfterStoring == true)
        {
            context.Abort();
            return;
        }

        var delivered = parsed.Stream
            ? await StreamAsync(context, id, created, model, parsed, answer, started)
            : await WriteJsonAsync(context, 200, FakeTeacherWire.Completion(id, created, model, parsed, answer, withMetadata: false), started);
        if (delivered)
        {
            Interlocked.Increment(ref _answersDelivered);
            _answers.AddOrUpdate(parsed.ExampleKey, 1, (_, n) => n + 1);
        }
    }

    private async Task<bool> StreamAsync(HttpContext context, string id, long created, string model, FakeTeacherRequest request, FakeTeacherAnswer answer, long started)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        Record(context, started);
        try
        {
            for (var position = -1; position <= answer.Tokens.Count; position++)
            {
                await WriteEventAsync(response, FakeTeacherWire.Chunk(id, created, model, request, answer, position), context.RequestAborted);
            }

            if (request.IncludeUsage)
            {
                await WriteEventAsync(response, FakeTeacherWire.UsageChunk(id, created, model, answer), context.RequestAborted);
            }

            await response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private async Task ListAsync(HttpContext context, long started)
    {
        var query = context.Request.Query;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (key.StartsWith("metadata[", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                metadata[key["metadata[".Length..^1]] = value.ToString();
            }
        }

        var limit = int.TryParse(query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 20;
        var after = string.IsNullOrEmpty(query["after"]) ? null : query["after"].ToString();
        var model = string.IsNullOrEmpty(query["model"]) ? null : query["model"].ToString();
        var (page, hasMore) = Store.List(metadata, model, after, limit, query["order"] == "desc");
        await WriteJsonAsync(context, 200, FakeTeacherWire.List(page.Select(c => c.Json).ToList(), page.Select(c => c.Id).ToList(), hasMore), started);
    }

    private Task WriteErrorAsync(HttpContext context, FakeTeacherFlavor flavor, int status, string message, long started, string? code = null) =>
        WriteJsonAsync(context, status, FakeTeacherWire.Error(flavor, status, message, code), started);

    private async Task<bool> WriteJsonAsync(HttpContext context, int status, byte[] body, long started)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        Record(context, started);
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private void Record(HttpContext context, long started)
    {
        var elapsed = Stopwatch.GetTimestamp() - started;
        Interlocked.Add(ref _handlingTicks, elapsed);
        context.Response.Headers[HandlingTimeHeader] = Stopwatch.GetElapsedTime(0, elapsed).TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture);
    }

    private static string DefaultMessage(int status) => status switch
    {
        429 => "Rate limit reached for requests. Please retry after the time the Retry-After header gives.",
        400 => "Invalid request.",
        _ => "The server had an error while processing your request. Sorry about that!",
    };
}
