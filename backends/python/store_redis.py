"""redis-py behind the worker (see stores.py for the store shape)."""

from stores import python_version

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
