namespace Distill.Core.Curation;

/// <summary>Disjoint sets over item indexes; the root of a set is always its smallest index, which is the item kept.</summary>
internal sealed class UnionFind
{
    private readonly int[] parent;

    public UnionFind(int count)
    {
        parent = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
        }
    }

    public int Find(int index)
    {
        var root = index;
        while (parent[root] != root)
        {
            root = parent[root];
        }

        while (parent[index] != root)
        {
            (parent[index], index) = (root, parent[index]);
        }

        return root;
    }

    public bool Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB)
        {
            return false;
        }

        if (rootA < rootB)
        {
            parent[rootB] = rootA;
        }
        else
        {
            parent[rootA] = rootB;
        }

        return true;
    }
}
