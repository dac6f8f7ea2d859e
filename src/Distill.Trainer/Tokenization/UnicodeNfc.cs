using System.Globalization;
using System.Text;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Unicode NFC (UAX #15: canonical decomposition, canonical ordering, canonical composition) implemented here
/// because the services run with InvariantGlobalization, where <see cref="string.Normalize()"/> silently returns
/// its input unchanged.
/// </summary>
internal static class UnicodeNfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Dictionary<int, int[]> Decompositions = ParseDecompositions();
    private static readonly Dictionary<int, int> CombiningClasses = ParseCombiningClasses();
    private static readonly Dictionary<(int, int), int> Compositions = BuildCompositions();

    public static string Normalize(string text)
    {
        // Nothing below the combining diacritics (U+0300) decomposes or combines, so most text returns at once.
        if (text.All(c => c < '\u0300'))
        {
            return text;
        }

        var code = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, code);
        }

        SortMarks(code);
        Compose(code);

        var result = new StringBuilder(code.Count);
        foreach (var value in code)
        {
            result.Append(Rune.IsValid(value) ? new Rune(value).ToString() : "\uFFFD");
        }

        return result.ToString();
    }

    private static void Decompose(int value, List<int> output)
    {
        var s = value - SBase;
        if (s is >= 0 and < SCount)
        {
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
            {
                output.Add(TBase + s % TCount);
            }
        }
        else if (Decompositions.TryGetValue(value, out var parts))
        {
            foreach (var part in parts)
            {
                Decompose(part, output);
            }
        }
        else
        {
            output.Add(value);
        }
    }

    private static int ClassOf(int value) => CombiningClasses.GetValueOrDefault(value);

    /// <summary>Stable sort of each run of combining marks by combining class.</summary>
    private static void SortMarks(List<int> code)
    {
        for (var i = 1; i < code.Count; i++)
        {
            var mark = code[i];
            var markClass = ClassOf(mark);
            if (markClass == 0)
            {
                continue;
            }

            var j = i;
            while (j > 0 && ClassOf(code[j - 1]) > markClass)
            {
                code[j] = code[j - 1];
                j--;
            }

            code[j] = mark;
        }
    }

    private static void Compose(List<int> code)
    {
        var starter = -1;
        var lastClass = 0;
        var write = 0;
        for (var read = 0; read < code.Count; read++)
        {
            var value = code[read];
            var valueClass = ClassOf(value);

            // A mark reaches the starter unless something in between has class 0 or at least its own class.
            var reachable = starter >= 0 && (write - 1 == starter || (lastClass != 0 && lastClass < valueClass));
            if (reachable && TryCompose(code[starter], value, out var composite))
            {
                code[starter] = composite;
                continue;
            }

            if (valueClass == 0)
            {
                starter = write;
            }

            lastClass = valueClass;
            code[write++] = value;
        }

        code.RemoveRange(write, code.Count - write);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        var l = first - LBase;
        var v = second - VBase;
        if (l is >= 0 and < LCount && v is >= 0 and < VCount)
        {
            composite = SBase + (l * VCount + v) * TCount;
            return true;
        }

        var s = first - SBase;
        var t = second - TBase;
        if (s is >= 0 and < SCount && s % TCount == 0 && t is > 0 and < TCount)
        {
            composite = first + t;
            return true;
        }

        return Compositions.TryGetValue((first, second), out composite);
    }

    private static Dictionary<int, int[]> ParseDecompositions() => Entries(UnicodeNfcData.Decompositions).ToDictionary(
        e => Hex(e.Key),
        e => e.Value.Split('.').Select(Hex).ToArray());

    private static Dictionary<int, int> ParseCombiningClasses()
    {
        var classes = new Dictionary<int, int>();
        foreach (var (range, value) in Entries(UnicodeNfcData.CombiningClasses))
        {
            var bounds = range.Split('-').Select(Hex).ToArray();
            for (var c = bounds[0]; c <= bounds[^1]; c++)
            {
                classes[c] = int.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return classes;
    }

    private static Dictionary<(int, int), int> BuildCompositions()
    {
        var excluded = UnicodeNfcData.CompositionExclusions.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Hex).ToHashSet();
        return Decompositions
            .Where(d => d.Value.Length == 2 && !excluded.Contains(d.Key))
            .ToDictionary(d => (d.Value[0], d.Value[1]), d => d.Key);
    }

    private static IEnumerable<KeyValuePair<string, string>> Entries(string table) =>
        table.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(entry =>
        {
            var parts = entry.Split('=');
            return KeyValuePair.Create(parts[0], parts[1]);
        });

    private static int Hex(string value) => int.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
