namespace Distill.Teachers.Tests;

public sealed class RetryAfterHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2", 2000)]
    [InlineData("0.5", 500)]
    [InlineData("Sun, 01 Mar 2026 12:00:07 GMT", 7000)]
    [InlineData("Sun, 01 Mar 2026 11:59:00 GMT", 0)]
    public void Retry_After_is_seconds_or_an_HTTP_date(string header, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterHeaders.Parse(header, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void Anything_else_is_no_hint(string? header) => Assert.Null(RetryAfterHeaders.Parse(header, Now));
}
