using Distill.AppHost;
using Distill.Hosting;

try
{
    return await DistillTopology.CreateBuilder(args).Declare().Build().RunAsync();
}
catch (DistillHostException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
