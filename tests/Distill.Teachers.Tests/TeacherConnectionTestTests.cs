using Distill.Testing.FakeTeacher;
using static Distill.Teachers.Tests.TeacherTestKit;

namespace Distill.Teachers.Tests;

public sealed class TeacherConnectionTestTests
{
    [Fact]
    public async Task A_working_teacher_reports_ok_with_its_latency_and_stores_nothing()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        using var client = Client(server, AzureTeacher(server));

        var result = await TeacherConnectionTest.RunAsync(client);

        Assert.True(result.Ok, result.Error);
        Assert.True(result.Latency > TimeSpan.Zero);
        Assert.Equal(server.Options.Model, result.Model);
        Assert.False(server.LastRequest!.Store);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_wrong_key_reports_the_one_sentence_reason()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        using var client = Client(server, OpenAITeacher(server), apiKey: "sk-nope-0123456789abcdefghijklmnopqrstuvwxyz");

        var result = await TeacherConnectionTest.RunAsync(client);

        Assert.False(result.Ok);
        Assert.Equal(TeacherFailureKind.Unauthorized, result.FailureKind);
        Assert.Equal("The teacher rejected the API key (401): enter the key that belongs to this endpoint.", result.Error);
    }
}
