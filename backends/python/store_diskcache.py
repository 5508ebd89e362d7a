"""python-diskcache's Cache and FanoutCache behind the worker (see stores.py for the store shape)."""

import json
import sqlite3

from stores import python_version


def sqlite_durability(journal_mode, synchronous):
    """Same rule as backends/sqlite-info.ts: what a committed write survives."""
    if journal_mode in ("memory", "off"):
        return "unknown"
    if synchronous == 0:
        return "os-buffered"
    if journal_mode == "wal" and synchronous == 1:
        return "fsync-at-checkpoint"
    return "fsync-per-write"


class DiskcacheStore:
    """python-diskcache's Cache, or FanoutCache when the spec names shards."""

    capabilities = ["expire", "incr", "pop", "add"]

    def __init__(self, spec):
        import diskcache

        # A BackendSpec is flat JSON, so the settings travel as one JSON text.
        settings = json.loads(spec.get("settings") or "{}")
        if spec["store"] == "fanout":
            self.cache = diskcache.FanoutCache(spec["directory"], shards=spec["shards"], timeout=spec["timeout"], **settings)
        else:
            self.cache = diskcache.Cache(spec["directory"], timeout=spec["timeout"], **settings)
        self.kind = spec["store"]
        self.version = "python-diskcache %s, SQLite %s, %s" % (diskcache.__version__, sqlite3.sqlite_version, python_version())
        # FanoutCache answers a timeout as a miss (set -> False, get -> default) and raises nothing.
        self.timeouts = (diskcache.Timeout,)
        cache = self.cache
        self.calls = {
            "get": cache.get,
            "set": cache.set,
            "delete": cache.delete,
            "incr": cache.incr,
            "pop": cache.pop,
            "add": cache.add,
            "rmw": self._rmw,
        }
        self.expiring = {
            "set": lambda key, value, seconds: cache.set(key, value, expire=seconds),
            "add": lambda key, value, seconds: cache.add(key, value, expire=seconds),
        }

    def _rmw(self, key, value):
        previous = self.cache.get(key)
        self.cache.set(key, value)
        return previous

    def describe(self):
        cache = self.cache
        settings = {
            "timeout": self.cache.timeout if self.kind == "fanout" else self.cache._timeout,
            "size_limit": cache.size_limit,
            "cull_limit": cache.cull_limit,
            "eviction_policy": cache.eviction_policy,
            "statistics": bool(cache.statistics),
            "tag_index": bool(cache.tag_index),
            "sqlite_journal_mode": cache.sqlite_journal_mode,
            "sqlite_synchronous": cache.sqlite_synchronous,
            "sqlite_mmap_size": cache.sqlite_mmap_size,
            "sqlite_cache_size": cache.sqlite_cache_size,
            "disk_min_file_size": cache.disk_min_file_size,
        }
        if self.kind == "fanout":
            settings["shards"] = cache._count
        return {
            "call_style": "sync",
            "durability": sqlite_durability(cache.sqlite_journal_mode, cache.sqlite_synchronous),
            "version": self.version,
            "settings": settings,
            "instance": {"directory": cache.directory},
        }

    def clear(self):
        self.cache.clear()

    def close(self):
        self.cache.close()
