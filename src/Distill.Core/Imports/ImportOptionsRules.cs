namespace Distill.Core.Imports;

/// <summary>Refuses option combinations that cannot work, before any byte is read.</summary>
public static class ImportOptionsRules
{
    public static void Validate(ImportOptions options)
    {
        if (!Enum.IsDefined(options.Format))
        {
            throw new ArgumentException($"Unknown import format {options.Format}.", nameof(options));
        }

        if (options.MaxLineBytes is < 1 or > 1 << 30)
        {
            throw new ArgumentException("MaxLineBytes must be between 1 byte and 1 GiB.", nameof(options));
        }

        if (options.ExcerptBytes < 0 || options.ChunkBytes < 1)
        {
            throw new ArgumentException("ExcerptBytes cannot be negative and ChunkBytes must be positive.", nameof(options));
        }

        if (options.MaxEstimatedTokens is < 1)
        {
            throw new ArgumentException("MaxEstimatedTokens must be positive when set.", nameof(options));
        }

        if (options.Format != ImportFormat.Csv)
        {
            return;
        }

        if (options.Csv is not { } csv)
        {
            throw new ArgumentException("A CSV import needs CsvImportOptions naming at least the prompt column.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(csv.PromptColumn))
        {
            throw new ArgumentException("The CSV prompt column must be named.", nameof(options));
        }

        if (csv.Delimiter is '"' or '\r' or '\n' or > '\x7F')
        {
            throw new ArgumentException($"The CSV delimiter must be an ASCII character other than a quote or a line break, not '{csv.Delimiter}'.", nameof(options));
        }
    }
}
