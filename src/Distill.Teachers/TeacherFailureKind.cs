namespace Distill.Teachers;

public enum TeacherFailureKind
{
    /// <summary>429: too many requests or tokens; retried after the service's Retry-After.</summary>
    RateLimited,

    /// <summary>500, 502, 503, 504: the service's trouble; retried.</summary>
    ServerError,

    /// <summary>No answer within the network timeout (or 408); retried.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke; retried.</summary>
    Connection,

    /// <summary>400: the request itself is wrong; not retried.</summary>
    BadRequest,

    /// <summary>401: the key or token was rejected; not retried.</summary>
    Unauthorized,

    /// <summary>403: the identity may not use this resource; not retried.</summary>
    Forbidden,

    /// <summary>404: wrong endpoint, deployment, model or API version; not retried.</summary>
    NotFound,

    /// <summary>Anything else the service refused; not retried.</summary>
    Other,
}
