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
(backends/python/*.ts); its "store" field picks the class. Each store with a
package of its own lives in its own module (store_*.py), imported only when
chosen, so a missing package fails only the backend that needs it.
"""

import importlib
import os
import platform
import random


class NoTimeout(Exception):
    """Stands for "no timeout exception" in an except clause."""


def python_version():
    return "Python %s" % platform.python_version()


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


STORES = {
    "dict": ("stores", "DictStore"),
    "diskcache": ("store_diskcache", "DiskcacheStore"),
    "fanout": ("store_diskcache", "DiskcacheStore"),
    "django-filebased": ("store_django", "DjangoFileBasedStore"),
    "redis": ("store_redis", "RedisStore"),
    "berkeleydb": ("store_berkeleydb", "BerkeleyStore"),
}


def open_store(spec, worker, seed):
    kind = spec.get("store")
    if kind not in STORES:
        raise ValueError("unknown store %r; known: %s" % (kind, ", ".join(sorted(STORES))))
    # Django's culling draws from the random module: seeded per worker, so a seeded run repeats it.
    random.seed(seed)
    if spec.get("directory"):
        os.makedirs(spec["directory"], exist_ok=True)
    module, name = STORES[kind]
    return getattr(importlib.import_module(module), name)(spec)
