"""The stores behind cachebench's Python worker (worker.py), one class each.

Every store exposes:
  calls        action -> callable timed by the worker (get, set, delete, incr,
               pop, add, rmw, get_many; call-only: set_many, delete_many)
  expiring     action -> callable(key, value, seconds) for set/add with expiry
  timeouts     exception types that mean "gave up waiting" (counted as timeouts)
  capabilities cachebench capability names (backends/backend.ts)
  describe()   {call_style, durability, version, settings, instance}
  clear(), close()

The spec is the JSON the TypeScript factory's provision produced
(backends/python/*.ts); its "store" field picks the class.
"""

import json
import os
import platform
import random
import sqlite3


class NoTimeout(Exception):
    """Stands for "no timeout exception" in an except clause."""


def python_version():
    return "Python %s" % platform.python_version()


def sqlite_durability(journal_mode, synchronous):
    """Same rule as backends/sqlite-info.ts: what a committed write survives."""
    if journal_mode in ("memory", "off"):
        return "unknown"
    if synchronous == 0:
        return "os-buffered"
    if journal_mode == "wal" and synchronous == 1:
        return "fsync-at-checkpoint"
    return "fsync-per-write"


class DictStore:
    """An in-process dict: the protocol's own floor (what the worker adds to any store)."""

    capabilities = ["incr", "pop", "add"]
    timeouts = (NoTimeout,)

    def __init__(self, spec):
        data = self.data = {}
        self.calls = {
            "get": data.get,
            "set": self._set,
            "delete": self._delete,
            "incr": self._incr,
            "pop": self._pop,
            "add": self._add,
            "rmw": self._rmw,
        }
        self.expiring = {}

    def _set(self, key, value):
        self.data[key] = value
        return True

    def _delete(self, key):
        return self.data.pop(key, None) is not None

    def _incr(self, key, delta):
        value = self.data.get(key, 0) + delta
        self.data[key] = value
        return value

    def _pop(self, key):
        return self.data.pop(key, None)

    def _add(self, key, value):
        if key in self.data:
            return False
        self.data[key] = value
        return True

    def _rmw(self, key, value):
        previous = self.data.get(key)
        self.data[key] = value
        return previous

    def describe(self):
        return {"call_style": "sync", "durability": "never", "version": python_version(), "settings": {}}

    def clear(self):
        self.data.clear()

    def close(self):
        pass


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


class DjangoFileBasedStore:
    """Django's own FileBasedCache, configured as python-diskcache's benchmark_djangocache."""

    capabilities = ["expire", "add", "getMany", "setMany", "deleteMany"]
    timeouts = (NoTimeout,)

    def __init__(self, spec):
        import django
        from django.conf import settings

        if not settings.configured:
            settings.configure(
                CACHES={
                    "default": {
                        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                        "LOCATION": spec["directory"],
                        "TIMEOUT": spec["timeout"],
                        "OPTIONS": {"MAX_ENTRIES": spec["max_entries"], "CULL_FREQUENCY": spec["cull_frequency"]},
                    }
                }
            )
            django.setup()
        from django.core.cache import caches

        self.cache = cache = caches["default"]
        self.spec = spec
        self.version = "Django %s, %s" % (django.get_version(), python_version())
        self.calls = {
            "get": cache.get,
            "set": self._set,
            "delete": cache.delete,
            "add": cache.add,
            "rmw": self._rmw,
            "get_many": self._get_many,
            "set_many": self._set_many,
            "delete_many": self._delete_many,
        }
        self.expiring = {
            "set": lambda key, value, seconds: self._set(key, value, seconds),
            "add": lambda key, value, seconds: cache.add(key, value, timeout=seconds),
        }

    def _set(self, key, value, timeout=None):
        # Django's set answers None; the benchmark counts a write as a miss only when it answers False.
        if timeout is None:
            self.cache.set(key, value)
        else:
            self.cache.set(key, value, timeout=timeout)
        return True

    def _rmw(self, key, value):
        previous = self.cache.get(key)
        self.cache.set(key, value)
        return previous

    def _get_many(self, keys):
        found = self.cache.get_many(keys)
        return [found.get(key) for key in keys]

    def _set_many(self, entries):
        failed = self.cache.set_many(dict(entries))
        return len(entries) - len(failed)

    def _delete_many(self, keys):
        # Django's delete_many answers nothing; count the deletions the way delete does.
        return sum(1 for key in keys if self.cache.delete(key))

    def describe(self):
        return {
            "call_style": "sync",
            # FileBasedCache writes a temp file and renames it into place; it never fsyncs.
            "durability": "os-buffered",
            "version": self.version,
            "settings": {
                "max_entries": self.spec["max_entries"],
                "cull_frequency": self.spec["cull_frequency"],
                "timeout": self.spec["timeout"],
            },
            "instance": {"directory": self.spec["directory"]},
        }

    def clear(self):
        self.cache.clear()

    def close(self):
        self.cache.close()


BYTES_MARK = b"\xff"


class RedisStore:
    """redis-py against the run's Redis; values encoded as backends/redis.ts does, so both read each other's."""

    capabilities = ["expire", "incr", "pop", "add", "getMany", "setMany", "deleteMany"]

    def __init__(self, spec):
        import redis

        timeout = spec["commandTimeoutMs"] / 1000
        self.client = client = redis.Redis.from_url(spec["url"], socket_timeout=timeout, socket_connect_timeout=spec["connectTimeoutMs"] / 1000)
        client.ping()
        self.spec = spec
        self.prefix = prefix = spec["prefix"]
        self.timeouts = (redis.exceptions.TimeoutError,)
        self.client_version = redis.__version__
        encode, decode = self._encode, self._decode
        get, set_, delete, getdel = client.get, client.set, client.delete, client.getdel
        self.calls = {
            "get": lambda key: decode(get(prefix + key)),
            "set": lambda key, value: set_(prefix + key, encode(value)) is True,
            "delete": lambda key: delete(prefix + key) > 0,
            "incr": lambda key, delta: client.incrby(prefix + key, delta),
            "pop": lambda key: decode(getdel(prefix + key)),
            "add": lambda key, value: set_(prefix + key, encode(value), nx=True) is True,
            "rmw": self._rmw,
            "get_many": lambda keys: [decode(v) for v in client.mget([prefix + k for k in keys])] if keys else [],
            "set_many": self._set_many,
            "delete_many": lambda keys: delete(*[prefix + k for k in keys]) if keys else 0,
        }
        self.expiring = {
            "set": lambda key, value, seconds: set_(prefix + key, encode(value), px=max(1, round(seconds * 1000))) is True,
            "add": lambda key, value, seconds: set_(prefix + key, encode(value), px=max(1, round(seconds * 1000)), nx=True) is True,
        }

    @staticmethod
    def _encode(value):
        return BYTES_MARK + value if isinstance(value, bytes) else value.encode("utf-8")

    @staticmethod
    def _decode(raw):
        if raw is None:
            return None
        return raw[1:] if raw[:1] == BYTES_MARK else raw.decode("utf-8")

    def _rmw(self, key, value):
        previous = self.calls["get"](key)
        self.calls["set"](key, value)
        return previous

    def _set_many(self, entries):
        if not entries:
            return 0
        self.client.mset({self.prefix + key: self._encode(value) for key, value in entries})
        return len(entries)

    def _config(self):
        settings = {}
        for name in ("save", "appendonly", "appendfsync", "maxmemory", "maxmemory-policy"):
            try:
                settings.update(self.client.config_get(name))
            except Exception:
                pass  # CONFIG may be disabled on a managed server
        return settings

    def describe(self):
        config = self._config()
        if config.get("appendonly") == "yes":
            durability = "fsync-per-write" if config.get("appendfsync") == "always" else "fsync-at-checkpoint"
        elif config.get("appendonly") == "no" and config.get("save") == "":
            durability = "never"
        else:
            durability = "unknown"
        server = self.client.info("server").get("redis_version", "unknown")
        settings = {"private_server": self.spec["private"], "prefix": self.prefix, "command_timeout_ms": self.spec["commandTimeoutMs"]}
        settings.update(config)
        return {
            "call_style": "sync",
            "durability": durability,
            "version": "Redis %s, redis-py %s, %s" % (server, self.client_version, python_version()),
            "settings": settings,
            "instance": {"server_pid": self.spec.get("serverPid")},
        }

    def clear(self):
        if self.spec["private"]:
            self.client.flushdb()
            return
        # A shared server: remove only this run's prefix.
        for key in self.client.scan_iter(match=self.prefix + "*", count=1000):
            self.client.unlink(key)

    def close(self):
        self.client.close()


STORES = {
    "dict": DictStore,
    "diskcache": DiskcacheStore,
    "fanout": DiskcacheStore,
    "django-filebased": DjangoFileBasedStore,
    "redis": RedisStore,
}


def open_store(spec, worker, seed):
    kind = spec.get("store")
    if kind not in STORES:
        raise ValueError("unknown store %r; known: %s" % (kind, ", ".join(sorted(STORES))))
    # Django's culling draws from the random module: seeded per worker, so a seeded run repeats it.
    random.seed(seed)
    if spec.get("directory"):
        os.makedirs(spec["directory"], exist_ok=True)
    return STORES[kind](spec)
