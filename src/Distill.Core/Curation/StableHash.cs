namespace Distill.Core.Curation;

/// <summary>
/// 64-bit hashes that are the same in every process and on every machine, unlike <see cref="HashCode"/> and
/// <see cref="string.GetHashCode()"/>: seeds, splits and samples must come out the same when a job is re-run.
/// </summary>
public static class StableHash
{
    private const ulong FnvOffset = 0xcbf29ce484222325;
    private const ulong FnvPrime = 0x100000001b3;

    /// <summary>The murmur3 64-bit finalizer: a bijection whose every output bit depends on every input bit.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccd;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53;
        value ^= value >> 33;
        return value;
    }

    public static ulong Of(long seed, long value) => Mix(Mix((ulong)seed + 0x9e3779b97f4a7c15) ^ (ulong)value);

    public static ulong Of(long seed, ReadOnlySpan<char> text)
    {
        var hash = FnvOffset ^ Mix((ulong)seed);
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash ^ (ulong)text.Length);
    }

    /// <summary>The n-th value of the SplitMix64 sequence from a seed: independent-looking constants from one number.</summary>
    public static ulong Sequence(long seed, int index) => Mix((ulong)seed + (ulong)(index + 1) * 0x9e3779b97f4a7c15);
}
