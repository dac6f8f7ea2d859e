using System.Numerics;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// Shingles an example and computes its MinHash signature. Every shingle is hashed once to 64 bits; the permutations
/// are seeded 32-bit mixes of that value, evaluated for a whole vector of permutations at a time, which is what makes
/// 128 hash functions over ~900 shingles per example cheap enough for 100k examples in seconds.
/// </summary>
internal sealed class MinHashSketcher
{
    private const ulong FnvOffset = 0xcbf29ce484222325;
    private const ulong FnvPrime = 0x100000001b3;

    private readonly MinHashSettings settings;
    private readonly uint[] seeds;

    public MinHashSketcher(MinHashSettings settings)
    {
        this.settings = settings;
        var width = Vector<uint>.Count;
        seeds = new uint[(settings.Permutations + width - 1) / width * width];
        for (var i = 0; i < seeds.Length; i++)
        {
            seeds[i] = (uint)StableHash.Sequence(settings.Seed, i);
        }
    }

    public int Permutations => settings.Permutations;

    /// <summary>Per-thread buffers, so signing allocates nothing per example.</summary>
    public sealed class Scratch
    {
        public char[] Text = new char[4096];
        public uint[] Shingles = new uint[4096];
        public uint[] Padded = [];
    }

    public Scratch NewScratch() => new() { Padded = new uint[seeds.Length] };

    /// <summary>Signs every record; a record without any word character has no signature and is never a near duplicate.</summary>
    public MinHashSignatures SignAll(IReadOnlyList<ExampleRecord> records, int maxDegreeOfParallelism = -1)
    {
        var signatures = new MinHashSignatures(records.Count, Permutations);
        Parallel.For(
            0,
            records.Count,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            NewScratch,
            (i, _, scratch) =>
            {
                signatures.Present[i] = TrySign(records[i], signatures.Of(i), scratch);
                return scratch;
            },
            _ => { });
        return signatures;
    }

    public bool TrySign(ExampleRecord record, Span<uint> signature, Scratch scratch)
    {
        var length = NearDuplicateText.Normalize(record, settings.Scope, settings.IncludeSystemMessages, ref scratch.Text);
        var count = ShingleCount(length);
        if (count == 0)
        {
            signature.Fill(uint.MaxValue);
            return false;
        }

        if (scratch.Shingles.Length < count)
        {
            scratch.Shingles = new uint[Math.Max(count, scratch.Shingles.Length * 2)];
        }

        var text = scratch.Text.AsSpan(0, length);
        for (var i = 0; i < count; i++)
        {
            var hash = ShingleHash(text.Slice(i, Math.Min(settings.ShingleSize, length)));
            scratch.Shingles[i] = (uint)(hash ^ (hash >> 32));
        }

        Sign(scratch.Shingles.AsSpan(0, count), scratch.Padded);
        scratch.Padded.AsSpan(0, Permutations).CopyTo(signature);
        return true;
    }

    /// <summary>The distinct 64-bit shingle hashes, sorted: what exact Jaccard similarity is computed over.</summary>
    public ulong[] ShingleSet(ExampleRecord record)
    {
        var buffer = new char[1024];
        var length = NearDuplicateText.Normalize(record, settings.Scope, settings.IncludeSystemMessages, ref buffer);
        var count = ShingleCount(length);
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = ShingleHash(buffer.AsSpan(i, Math.Min(settings.ShingleSize, length)));
        }

        Array.Sort(hashes);
        var distinct = 0;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (i == 0 || hashes[i] != hashes[distinct - 1])
            {
                hashes[distinct++] = hashes[i];
            }
        }

        return hashes[..distinct];
    }

    /// <summary>|A ∩ B| / |A ∪ B| of two sorted distinct sets; two empty texts are not similar, they are nothing.</summary>
    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)common / (a.Length + b.Length - common);
    }

    /// <summary>The share of equal MinHash values: an unbiased estimate of the Jaccard similarity.</summary>
    public static double Estimate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var equal = 0;
        var width = Vector<uint>.Count;
        var i = 0;
        for (; i + width <= a.Length; i += width)
        {
            equal -= (int)Vector.Sum(Vector.AsVectorInt32(Vector.Equals(new Vector<uint>(a[i..]), new Vector<uint>(b[i..]))));
        }

        for (; i < a.Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return (double)equal / a.Length;
    }

    // A text shorter than one shingle is still a text: it becomes a single shingle of its own.
    private int ShingleCount(int length) => length == 0 ? 0 : Math.Max(1, length - settings.ShingleSize + 1);

    private static ulong ShingleHash(ReadOnlySpan<char> shingle)
    {
        var hash = FnvOffset;
        foreach (var c in shingle)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return StableHash.Mix(hash);
    }

    private void Sign(ReadOnlySpan<uint> shingles, uint[] padded)
    {
        var width = Vector<uint>.Count;
        var c1 = new Vector<uint>(0x85ebca6b);
        var c2 = new Vector<uint>(0xc2b2ae35);
        for (var block = 0; block < seeds.Length; block += width)
        {
            var seed = new Vector<uint>(seeds, block);
            var min = new Vector<uint>(uint.MaxValue);
            foreach (var shingle in shingles)
            {
                // murmur3's fmix32 of the shingle xor a per-permutation seed: a bijection, so distinct shingles never tie.
                var v = new Vector<uint>(shingle) ^ seed;
                v ^= v >>> 16;
                v *= c1;
                v ^= v >>> 13;
                v *= c2;
                v ^= v >>> 16;
                min = Vector.Min(min, v);
            }

            min.CopyTo(padded, block);
        }
    }
}
