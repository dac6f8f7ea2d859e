using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class UnicodeNfcTests
{
    // Expected values from Python's unicodedata.normalize("NFC", ...), written as code points.
    [Theory]
    [InlineData("Cafe\u0301", "0043 0061 0066 00E9")]
    [InlineData("\u1E0B\u0323", "1E0D 0307")]
    [InlineData("\u1100\u1161\u11A8", "AC01")]
    [InlineData("\uAC00\u11A8", "AC01")]
    [InlineData("\u212B", "00C5")]
    [InlineData("\u0958", "0915 093C")]
    [InlineData("a\u0323\u0302", "1EAD")]
    [InlineData("e\u0302\u0323", "1EC7")]
    [InlineData("A\u030A\u0301", "01FA")]
    [InlineData("\u1E9B\u0323", "1E9B 0323")]
    [InlineData("\u03A9\u0301", "038F")]
    [InlineData("\u0F73", "0F71 0F72")]
    [InlineData("\U0001D15E", "1D157 1D165")]
    [InlineData("x\u0315\u0300\u05AE\u0300b", "0078 05AE 0300 0300 0315 0062")]
    [InlineData("\u3071\u3099", "3071 3099")]
    public void Normalises_as_python_does(string input, string expected)
    {
        var normalized = UnicodeNfc.Normalize(input);

        Assert.Equal(expected, string.Join(' ', normalized.EnumerateRunes().Select(r => r.Value.ToString("X4"))));
    }

    [Fact]
    public void Already_composed_text_is_returned_as_is()
    {
        const string text = "Hello, café 日本語 🎉 한국어";

        Assert.Equal(text, UnicodeNfc.Normalize(text));
    }
}
