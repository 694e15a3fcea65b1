"""zr's content-addressed task cache.

A task with ``cache = true`` gets a key hashed from everything that can
change its result (command, input files, named env vars, dependencies' keys,
platform, zr version). On a hit its outputs are restored and its log replayed
instead of running it; on a successful run its outputs and log are stored in
the local store and, if configured, a remote (:mod:`zr_plugin_cache.remote`
defines the protocol remote backends implement).
"""

__version__ = "0.1.0"
