// libtorch keeps one global random generator (manual_seed) and one thread pool: tests that seed it must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
