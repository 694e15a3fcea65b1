"""Distributed runs for zr: one task graph across the workers of a Dask
cluster (``--executor dask://HOST:PORT``), and ``--shard k/N`` for CI
matrices. Outputs travel through the project's remote cache."""

__version__ = "0.1.0"
