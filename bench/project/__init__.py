"""The benchmark's own Django project: one settings module, one level per process.

The instrumentation level is chosen by the ``BENCH_LEVEL`` environment variable
(see :mod:`bench.levels`), because most of the peers patch Django at start-up and
cannot be switched off again: every level runs in a process of its own.
"""
