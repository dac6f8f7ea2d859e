namespace Distill.Hosting.Processes;

/// <summary>Every line the launcher and its children print, each prefixed with its resource's name in its own colour.</summary>
public sealed class AppHostConsole(TextWriter output, bool color)
{
    private static readonly int[] Palette = [36, 32, 35, 33, 34, 96, 92, 95, 93, 94];
    private readonly Dictionary<string, int> _colors = [];
    private readonly Lock _gate = new();

    public static AppHostConsole Default { get; } =
        new(Console.Out, Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb");

    public int Width { get; set; } = 8;

    public void Line(string resource, string text)
    {
        lock (_gate)
        {
            var prefix = resource.PadRight(Width);
            if (color)
            {
                if (!_colors.TryGetValue(resource, out var code))
                {
                    code = Palette[_colors.Count % Palette.Length];
                    _colors[resource] = code;
                }

                output.WriteLine($"\u001b[{code}m{prefix}|\u001b[0m {text}");
            }
            else
            {
                output.WriteLine($"{prefix}| {text}");
            }

            output.Flush();
        }
    }

    public void Say(string text) => Line("apphost", text);

    /// <summary>Unprefixed, for lines scripts look for.</summary>
    public void Plain(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}
