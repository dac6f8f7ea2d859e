using System.Text.Json;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class PiiRedactionTests
{
    [Theory]
    [InlineData("Write to jane.doe+news@example.co.uk today.", "Write to [EMAIL] today.")]
    [InlineData("Contact: JOSÉ@Exämple.org", "Contact: [EMAIL]")]
    [InlineData("Call +1 (415) 555-2671 now", "Call [PHONE] now")]
    [InlineData("London office +44 20 7946 0958.", "London office [PHONE].")]
    [InlineData("Berlin: +49 30 1234567", "Berlin: [PHONE]")]
    [InlineData("mobile +4915112345678", "mobile [PHONE]")]
    [InlineData("from abroad 0044 20 7946 0958", "from abroad [PHONE]")]
    [InlineData("ring 415-555-2671 or 415.555.2671", "ring [PHONE] or [PHONE]")]
    [InlineData("(415) 555-2671", "[PHONE]")]
    [InlineData("toll free 1-800-555-0199", "toll free [PHONE]")]
    [InlineData("UK 020 7946 0958, mobile 07700 900123", "UK [PHONE], mobile [PHONE]")]
    [InlineData("Paris 01 23 45 67 89", "Paris [PHONE]")]
    [InlineData("Berlin (030) 1234567", "Berlin [PHONE]")]
    [InlineData("Amsterdam 06-12345678", "Amsterdam [PHONE]")]
    [InlineData("card 4111 1111 1111 1111 exp 12/25", "card [CARD] exp 12/25")]
    [InlineData("card 4111-1111-1111-1111", "card [CARD]")]
    [InlineData("card 4111111111111111.", "card [CARD].")]
    [InlineData("amex 3782 822463 10005", "amex [CARD]")]
    [InlineData("mc 5500 0000 0000 0004 and discover 6011111111111117", "mc [CARD] and discover [CARD]")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [IBAN] please")]
    [InlineData("GB82WEST12345698765432", "[IBAN]")]
    [InlineData("iban: fr14 2004 1010 0505 0001 3m02 606.", "iban: [IBAN].")]
    [InlineData("NL91ABNA0417164300 and 12 more", "[IBAN] and 12 more")]
    [InlineData("server 192.168.1.20:8080", "server [IP]:8080")]
    [InlineData("from 8.8.8.8, then 255.255.255.0", "from [IP], then [IP]")]
    [InlineData("host 2001:db8:85a3::8a2e:370:7334 up", "host [IP] up")]
    [InlineData("[2001:0db8:0000:0000:0000:ff00:0042:8329]", "[[IP]]")]
    [InlineData("link-local fe80::1ff:fe23:4567:890a%eth0", "link-local [IP]%eth0")]
    [InlineData("mapped ::ffff:192.0.2.128", "mapped [IP]")]
    [InlineData("the address 1.2.3.4 is odd", "the address [IP] is odd")]
    [InlineData("SSN 123-45-6789", "SSN [NATIONAL_ID]")]
    [InlineData("NI number AB 12 34 56 C", "NI number [NATIONAL_ID]")]
    [InlineData("NINO: CE123456D.", "NINO: [NATIONAL_ID].")]
    public void Personal_data_becomes_its_placeholder(string text, string expected) =>
        Assert.Equal(expected, PiiRedactor.Default.Redact(text).Text);

    [Theory]
    [InlineData("A card-like number failing Luhn: 4111 1111 1111 1112")]
    [InlineData("Order 1000 0000 0000 0008 passes Luhn but no card network starts with 1")]
    [InlineData("Your order number is 100234561234, tracking 1234567890123456")]
    [InlineData("Shipped on 2024-01-15 at 10:30:00")]
    [InlineData("Dates: 15/01/2024, 01.02.2024, 01/02/2024 12 units, 2024/01/15")]
    [InlineData("Use version 1.2.3.4, v1.2.3.4, Version: 10.0.1.2 or release 4.3.2.1")]
    [InlineData("Semver 1.2.3, .NET 10.0.401, 1.2.3.4.5 and 2.0.0.0.1")]
    [InlineData("Octets too large: 999.1.1.1 and 256.10.10.10")]
    [InlineData("Years 1999 and 2024, zip 12345, 5 minutes, a score of 98.6, room 101")]
    [InlineData("Invalid SSNs: 000-12-3456, 666-12-3456, 923-45-6789, 123-00-4567, 123-45-0000")]
    [InlineData("Not NI numbers: QQ 12 34 56 C, GB 12 34 56 A, AB 12 34 56 E")]
    [InlineData("Bad IBAN check digits: DE89 3704 0044 0532 0130 01")]
    [InlineData("ISBN 978-3-16-148410-0 and ISBN 9780316148410")]
    [InlineData("C++: std::vector<int> and Foo::Bar, time 12:30:45, ratio 3:2:1, loopback ::1")]
    [InlineData("user@localhost is not an address on the internet; neither is name at example dot com")]
    [InlineData("Math: 1+1=2, +5 points, 3 + 4, x = 555 1234")]
    [InlineData("Prices 1 234 567 euros, 12,345,678 dollars, 0.5 and 0,25")]
    [InlineData("Part numbers 0123456789 and 00123456789 without separators")]
    public void Look_alikes_stay(string text)
    {
        var redacted = PiiRedactor.Default.Redact(text);
        Assert.Equal(text, redacted.Text);
        Assert.False(redacted.Changed);
    }

    [Fact]
    public void Counts_are_per_kind()
    {
        var redacted = PiiRedactor.Default.Redact("a@b.io, c@d.io, +44 20 7946 0958 and 10.0.0.1");
        Assert.Equal("[EMAIL], [EMAIL], [PHONE] and [IP]", redacted.Text);
        Assert.Equal(2, redacted.Counts[PiiKind.Email]);
        Assert.Equal(1, redacted.Counts[PiiKind.Phone]);
        Assert.Equal(1, redacted.Counts[PiiKind.Ip]);
        Assert.False(redacted.Counts.ContainsKey(PiiKind.Card));
    }

    [Fact]
    public void Every_message_and_tool_arguments_are_redacted_and_the_operation_counts_per_kind()
    {
        var withTool = new ExampleRecord(
            [
                new ExampleMessage(ExampleMessage.User, "Email bob@example.com about card 4111 1111 1111 1111"),
                new ExampleMessage(ExampleMessage.Assistant, null, ToolCalls: [new ExampleToolCall("call_1", "send_mail", "{\"to\":\"bob@example.com\",\"phone\":\"+1 415 555 2671\"}")]),
                new ExampleMessage(ExampleMessage.Tool, "sent", ToolCallId: "call_1"),
            ],
            ExampleRecord.NoMetadata);
        var clean = Examples.Item(2, "What is 2 + 2?", "4");
        var result = PiiRedaction.Run([Examples.Item(1, withTool), clean], new PiiRedactionParameters());

        var record = result.Items[0].Record;
        Assert.Equal("Email [EMAIL] about card [CARD]", record.Messages[0].Content);
        var arguments = record.Messages[1].ToolCalls![0].Arguments;
        Assert.Equal("{\"to\":\"[EMAIL]\",\"phone\":\"[PHONE]\"}", arguments);
        using var _ = JsonDocument.Parse(arguments);
        Assert.Same(clean, result.Items[1]);
        Assert.Equal(2, result.Counts.Tallies["email"]);
        Assert.Equal(1, result.Counts.Tallies["card"]);
        Assert.Equal(1, result.Counts.Tallies["phone"]);
        Assert.Equal(0, result.Counts.Tallies["iban"]);
        Assert.Equal(1, result.Counts.Tallies["redacted_examples"]);
        Assert.Equal(2, result.Counts.After);
        Assert.Empty(result.Removed);
    }

    [Fact]
    public void Only_the_chosen_kinds_are_redacted_and_tool_arguments_can_be_left_alone()
    {
        var record = new ExampleRecord(
            [new ExampleMessage(ExampleMessage.Assistant, "mail a@b.io from 10.0.0.1", ToolCalls: [new ExampleToolCall("c", "f", "{\"ip\":\"10.0.0.2\"}")])],
            ExampleRecord.NoMetadata);
        var result = PiiRedaction.Run([Examples.Item(1, record)], new PiiRedactionParameters([PiiKind.Ip], IncludeToolArguments: false));

        var message = result.Items[0].Record.Messages[0];
        Assert.Equal("mail a@b.io from [IP]", message.Content);
        Assert.Equal("{\"ip\":\"10.0.0.2\"}", message.ToolCalls![0].Arguments);
        Assert.False(result.Counts.Tallies.ContainsKey("email"));
    }

    [Fact]
    public void The_national_id_table_is_open_to_more_countries()
    {
        // A Canadian SIN: nine digits in threes, Luhn-checked.
        var sin = PiiPattern.Create(PiiKind.NationalId, "ca-sin", "(?<![0-9-])[1-9][0-9]{2}-[0-9]{3}-[0-9]{3}(?![0-9-])", s => PaymentCardNumber.PassesLuhn(s.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray()));
        var redactor = new PiiRedactor([.. PiiPatterns.Default, sin]);

        Assert.Equal("SIN [NATIONAL_ID]", redactor.Redact("SIN 130-692-544").Text);
        Assert.Equal("SIN 130-692-545", redactor.Redact("SIN 130-692-545").Text);
    }
}
