"""Use a registry snapshot inside other data tools: thin wrappers over the same index.

- :mod:`.hf`: ``dataset.filter(keep_fn(snapshot))`` for Hugging Face ``datasets``;
- :mod:`.datatrove`: a datatrove filter step (``pip install 'trainclear[datatrove]'``);
- :mod:`.ray_data`: a ``map_batches`` callable class for Ray Data (``trainclear[ray]``).

Each takes a snapshot file (loaded lazily, once per worker process, so the wrapper
pickles as a path) or an already built
:class:`~trainclear.snapshot.index.SnapshotIndex`, and drops a record exactly when
:func:`trainclear.pipeline.run_filter` would. Each imports its tool only when used.
"""
