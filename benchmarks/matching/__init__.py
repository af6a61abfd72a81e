"""The matching benchmark of issue 3: a labelled corpus, peer matchers and the runner.

``python -m benchmarks.matching.run`` generates the corpus (:mod:`.corpus`), runs our
text index and the MinHash peers (:mod:`.peers`) on it in one process, and prints recall,
false positives, throughput and index size. See ``docs/benchmarks.md``.
"""
