namespace Distill.Core.Curation;

/// <summary>The signatures of many examples in one flat array: 100k x 128 values without 100k small arrays.</summary>
internal sealed class MinHashSignatures(int count, int permutations)
{
    private readonly uint[] values = new uint[count * permutations];

    public int Count => count;

    public int Permutations => permutations;

    /// <summary>False for an example without any text to compare.</summary>
    public bool[] Present { get; } = new bool[count];

    public Span<uint> Of(int index) => values.AsSpan(index * permutations, permutations);
}
