"""Django's own FileBasedCache behind the worker (see stores.py for the store shape)."""

from stores import NoTimeout, python_version


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
