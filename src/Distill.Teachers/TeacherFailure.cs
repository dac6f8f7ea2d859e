using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;
using Distill.Core.Teachers;

namespace Distill.Teachers;

/// <summary>
/// Why a call to a teacher failed, whether trying again can help, and a one-sentence message saying what to fix.
/// Messages are ours, never the exception's: a service's error body may quote the key it was sent.
/// </summary>
public sealed record TeacherFailure(TeacherFailureKind Kind, int? Status, TimeSpan? RetryAfter, string Message)
{
    private const int MaxDetailLength = 300;

    public bool Retryable => Kind is TeacherFailureKind.RateLimited or TeacherFailureKind.ServerError or TeacherFailureKind.Timeout or TeacherFailureKind.Connection;

    /// <summary>
    /// The failure an exception from a teacher call stands for; null for exceptions that are not about the call
    /// (bugs, the caller's own cancellation), which should propagate unchanged.
    /// </summary>
    public static TeacherFailure? Classify(Exception exception, TeacherAuth auth, DateTimeOffset now) => exception switch
    {
        TeacherException teacher => teacher.Failure,
        ClientResultException { Status: 0 } transport => FromTransport(transport.InnerException ?? transport),
        ClientResultException service => FromStatus(service, auth, now),
        _ => FromTransport(exception),
    };

    /// <summary>The message once retrying has given up.</summary>
    public string GaveUp(int attempts) => Kind switch
    {
        TeacherFailureKind.RateLimited => $"The teacher kept rate limiting us (429) through {attempts} attempts: lower the teacher's requests or tokens per minute, or raise its quota.",
        TeacherFailureKind.ServerError => $"The teacher kept failing ({Status}) through {attempts} attempts: the service is in trouble, try again later.",
        TeacherFailureKind.Timeout => $"The teacher did not answer within the network timeout through {attempts} attempts: raise the timeout or lower the maximum output tokens.",
        TeacherFailureKind.Connection => $"{Message.TrimEnd('.')} (tried {attempts} times).",
        _ => Message,
    };

    private static TeacherFailure? FromTransport(Exception exception) => exception switch
    {
        TimeoutException or OperationCanceledException => new(TeacherFailureKind.Timeout, null, null, "The teacher did not answer within the network timeout: raise the timeout or lower the maximum output tokens."),
        HttpRequestException or SocketException or IOException =>
            new(TeacherFailureKind.Connection, null, null, $"Could not reach the teacher ({Detail(exception.Message)}): check the endpoint URL and the network."),
        _ => null,
    };

    private static TeacherFailure FromStatus(ClientResultException exception, TeacherAuth auth, DateTimeOffset now)
    {
        var status = exception.Status;
        var response = exception.GetRawResponse();
        var detail = response is null ? null : ServiceMessage(response.Content);
        return status switch
        {
            429 => new(TeacherFailureKind.RateLimited, status, response is null ? null : RetryAfterHeaders.Read(response.Headers, now), "The teacher is rate limiting us (429)."),
            500 or 502 or 503 or 504 => new(TeacherFailureKind.ServerError, status, response is null ? null : RetryAfterHeaders.Read(response.Headers, now), $"The teacher failed ({status})."),
            408 => new(TeacherFailureKind.Timeout, status, null, "The teacher timed out (408): raise the timeout or lower the maximum output tokens."),
            400 => new(TeacherFailureKind.BadRequest, status, null, $"The teacher rejected the request as invalid (400): {detail ?? "check the parameters this model accepts"}."),
            401 => new(TeacherFailureKind.Unauthorized, status, null, auth switch
            {
                TeacherAuth.EntraId => "The teacher rejected the Entra ID token (401): check that the signed-in identity is allowed to use this resource.",
                TeacherAuth.None => "The teacher requires credentials (401): set an API key for this teacher.",
                _ => "The teacher rejected the API key (401): enter the key that belongs to this endpoint.",
            }),
            403 => new(TeacherFailureKind.Forbidden, status, null, "The teacher refused access (403): give this key or identity access to the resource, or check its network rules."),
            404 => new(TeacherFailureKind.NotFound, status, null, "The teacher has no such endpoint, deployment or model (404): check the endpoint URL, the model or deployment name and the API version."),
            _ => new(TeacherFailureKind.Other, status, null, $"The teacher refused the request ({status}): {detail ?? "see the service's documentation for this status"}."),
        };
    }

    /// <summary>The service's own explanation (<c>error.message</c>), shortened and with anything key-like masked.</summary>
    private static string? ServiceMessage(BinaryData? content)
    {
        if (content is null || content.ToMemory().Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e : root;
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return Detail(message.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): not worth quoting.
        }

        return null;
    }

    private static string Detail(string text)
    {
        var detail = SecretRedaction.Redact(text.ReplaceLineEndings(" ").Trim()).TrimEnd('.');
        return detail.Length <= MaxDetailLength ? detail : detail[..MaxDetailLength] + "…";
    }
}
