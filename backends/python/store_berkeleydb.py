"""Berkeley DB (Debian's python3-bsddb3) behind the worker (see stores.py for the store shape).

One database file inside one DBEnv with locking and a shared memory pool, so
several worker processes open the same environment and share the data, as
the talk's comparison needs. With transactions each operation is its own
auto-committed transaction, and the log decides what a commit survives.

Run as a script (`python3 store_berkeleydb.py '<spec json>'`) it creates the
environment and the database once, before the workers open them: Berkeley
DB's own guidance is that one process creates an environment before others
join it.
"""

import json
import os
import sys

from stores import python_version

TEXT_MARK = b"t"
BYTES_MARK = b"b"
DB_FILE = "cache.db"


def durability(transactions):
    """What a returned write survives, in backends.md's terms."""
    if transactions == "sync":
        return "fsync-per-write"  # the log is written and fsynced at each commit
    if transactions == "write-nosync":
        return "os-buffered"  # the log is written (write(2)) at each commit, not fsynced
    # No log: pages reach the file when the pool evicts them or at close; a crash
    # can leave the database inconsistent, and Berkeley DB promises no recovery.
    return "unknown"


def open_environment(spec):
    from bsddb3 import db

    flags = db.DB_CREATE | db.DB_INIT_LOCK | db.DB_INIT_MPOOL
    if spec["transactions"] != "no":
        flags |= db.DB_INIT_TXN | db.DB_INIT_LOG
    env = db.DBEnv()
    env.set_cachesize(0, spec["cacheBytes"], 1)
    # Several processes take page locks: a deadlock is broken at once by refusing one request.
    env.set_lk_detect(db.DB_LOCK_DEFAULT)
    if spec["transactions"] == "write-nosync":
        env.set_flags(db.DB_TXN_WRITE_NOSYNC, 1)
    env.open(spec["directory"], flags, 0o600)
    database = db.DB(env)
    access = db.DB_HASH if spec["access"] == "hash" else db.DB_BTREE
    open_flags = db.DB_CREATE | (db.DB_AUTO_COMMIT if spec["transactions"] != "no" else 0)
    database.open(DB_FILE, None, access, open_flags, 0o600)
    return db, env, database


class BerkeleyStore:
    """A Berkeley DB hash or B-tree database shared by every worker through one locking environment."""

    capabilities = ["incr", "pop", "add"]

    def __init__(self, spec):
        self.spec = spec
        db, self.env, self.db = open_environment(spec)
        self.bdb = db
        self.timeouts = (db.DBLockNotGrantedError,)
        self.deadlock = db.DBLockDeadlockError
        self.calls = {
            "get": self._get,
            "set": self._set,
            "delete": self._delete,
            "incr": self._incr,
            "pop": self._pop,
            "add": self._add,
            "rmw": self._rmw,
        }
        self.expiring = {}

    @staticmethod
    def _encode(value):
        return BYTES_MARK + value if isinstance(value, bytes) else TEXT_MARK + value.encode("utf-8")

    @staticmethod
    def _decode(raw):
        if raw is None:
            return None
        return raw[1:] if raw[:1] == BYTES_MARK else raw[1:].decode("utf-8")

    def _retry(self, work):
        """Runs work in its own transaction (or none), again when the deadlock detector chose it."""
        while True:
            txn = self.env.txn_begin() if self.spec["transactions"] != "no" else None
            try:
                result = work(txn)
            except self.deadlock:
                if txn is not None:
                    txn.abort()
                continue
            except BaseException:
                if txn is not None:
                    txn.abort()
                raise
            if txn is not None:
                txn.commit()
            return result

    def _get(self, key):
        return self._retry(lambda txn: self._decode(self.db.get(key.encode("utf-8"), txn=txn)))

    def _set(self, key, value):
        raw = self._encode(value)
        return self._retry(lambda txn: self.db.put(key.encode("utf-8"), raw, txn=txn) is None)

    def _delete(self, key):
        def work(txn):
            try:
                self.db.delete(key.encode("utf-8"), txn=txn)
                return True
            except self.bdb.DBNotFoundError:
                return False

        return self._retry(work)

    def _read_write(self, key, change):
        """Reads key under a write lock (DB_RMW) and writes change(previous); answers (previous, new)."""
        flags = self.bdb.DB_RMW if self.spec["transactions"] != "no" else 0

        def work(txn):
            previous = self._decode(self.db.get(key.encode("utf-8"), txn=txn, flags=flags))
            new = change(previous)
            if new is not None:
                self.db.put(key.encode("utf-8"), self._encode(new), txn=txn)
            return previous, new

        return self._retry(work)

    def _incr(self, key, delta):
        # Counters are stored as text, as Redis and the other stores keep them.
        return int(self._read_write(key, lambda previous: str(int(previous or 0) + delta))[1])

    def _pop(self, key):
        def work(txn):
            raw = self.db.get(key.encode("utf-8"), txn=txn, flags=self.bdb.DB_RMW if txn is not None else 0)
            if raw is not None:
                self.db.delete(key.encode("utf-8"), txn=txn)
            return self._decode(raw)

        return self._retry(work)

    def _add(self, key, value):
        raw = self._encode(value)

        def work(txn):
            try:
                self.db.put(key.encode("utf-8"), raw, txn=txn, flags=self.bdb.DB_NOOVERWRITE)
                return True
            except self.bdb.DBKeyExistError:
                return False

        return self._retry(work)

    def _rmw(self, key, value):
        return self._read_write(key, lambda previous: value)[0]

    def describe(self):
        major, minor, patch = self.bdb.version()
        return {
            "call_style": "sync",
            "durability": durability(self.spec["transactions"]),
            "version": "Berkeley DB %d.%d.%d, bsddb3 %s, %s" % (major, minor, patch, _bsddb3_version(), python_version()),
            "settings": {
                "access": self.spec["access"],
                "transactions": self.spec["transactions"],
                "cache_bytes": self.spec["cacheBytes"],
                "environment_flags": "DB_CREATE|DB_INIT_LOCK|DB_INIT_MPOOL" + ("|DB_INIT_TXN|DB_INIT_LOG" if self.spec["transactions"] != "no" else ""),
            },
            "instance": {"directory": self.spec["directory"]},
        }

    def clear(self):
        self._retry(lambda txn: self.db.truncate(txn=txn))

    def close(self):
        self.db.close()
        self.env.close()


def _bsddb3_version():
    import bsddb3

    return bsddb3.__version__


if __name__ == "__main__":
    given = json.loads(sys.argv[1])
    os.makedirs(given["directory"], exist_ok=True)
    _db, created_env, created = open_environment(given)
    created.close()
    created_env.close()
