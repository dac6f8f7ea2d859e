namespace Distill.Core.Curation;

/// <summary>What makes a run of digits a payment card number rather than an order number.</summary>
public static class PaymentCardNumber
{
    /// <summary>
    /// 13 to 19 digits, a first digit of 2 to 6 (Mastercard's 2-series, Amex, JCB and Diners, Visa, Mastercard,
    /// Discover, UnionPay and Maestro: every network in use; a 1, 7, 8, 9 or 0 is an account or order number),
    /// and the Luhn check digit, which a random number passes only one time in ten.
    /// </summary>
    public static bool IsValid(string text)
    {
        var digits = text.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        return digits.Length is >= 13 and <= 19 && digits[0] is >= 2 and <= 6 && PassesLuhn(digits);
    }

    public static bool PassesLuhn(IReadOnlyList<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Count; i++)
        {
            var digit = digits[digits.Count - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
