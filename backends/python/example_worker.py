"""A minimal cachebench foreign worker (protocol 1): a dict, get/set/delete.

The smallest complete worker, to copy when writing one in another language;
docs/worker-protocol.md describes every message. It runs closed-loop batches
only (an open-loop "schedule" is refused), which is all a scenario without
--rate needs. The tests run it through the harness.

    python3 example_worker.py      # speaks JSON lines on stdin/stdout
"""

import base64
import json
import sys
import time

PROTOCOL = 1
clock = time.perf_counter_ns  # monotonic, nanoseconds


def decode(value):
    return base64.b64decode(value["b64"]) if isinstance(value, dict) else value


def encode(value):
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode("ascii")}
    return value


class Store:
    def __init__(self):
        self.data = {}

    def get(self, key):
        return self.data.get(key)  # None is a miss

    def set(self, key, value):
        self.data[key] = value
        return True

    def delete(self, key):
        return self.data.pop(key, None) is not None  # False is a miss


def run_batch(store, message):
    """Times each operation of the batch with a clock pair around the call alone."""
    calls = {"get": store.get, "set": store.set, "delete": store.delete}
    ops = []
    for op in message["ops"]:
        if op[0] not in calls:
            raise ValueError("cannot run %r" % op[0])
        args = (op[1], decode(op[2])) if len(op) > 2 else (op[1],)
        ops.append((calls[op[0]], args))
    if message.get("schedule") is not None:
        raise ValueError("this example runs closed-loop batches only")
    at, until = message.get("at_ns"), message.get("until_ns")
    if at is not None:
        while clock() < at:  # the start barrier, on this worker's clock
            pass
    ns, ends, outcomes, errors = [], [], [], {}
    for index, (call, args) in enumerate(ops):
        if until is not None and clock() >= until:
            break
        t0 = clock()
        try:
            result = call(*args)
        except Exception as error:
            t1 = clock()
            outcomes.append("e")
            errors[str(index)] = str(error)
        else:
            t1 = clock()
            outcomes.append("m" if result is None or result is False else "h")
        ns.append(t1 - t0)
        ends.append(t1)
    return {"type": "timings", "count": len(outcomes), "ns": ns, "end_ns": ends, "outcomes": "".join(outcomes), "errors": errors}


def call_once(store, message):
    op = message["op"]
    if op[0] == "clear":
        store.data.clear()
        return {"type": "result", "value": None}
    if op[0] == "describe":
        return {"type": "result", "value": describe()}
    try:
        method = {"get": store.get, "set": store.set, "delete": store.delete}[op[0]]
        args = (op[1], decode(op[2])) if len(op) > 2 else (op[1],)
        return {"type": "result", "value": encode(method(*args))}
    except Exception as error:
        return {"type": "result", "error": str(error)}


def describe():
    return {"call_style": "sync", "durability": "never", "version": "example worker", "settings": {}}


def main(run_batch=run_batch):
    store = None
    for line in sys.stdin:
        message = json.loads(line)
        kind = message["type"]
        if kind == "open":
            if message["protocol"] != PROTOCOL:
                reply = {"type": "failed", "message": "this worker speaks protocol %d" % PROTOCOL}
            else:
                store = Store()
                reply = {"type": "opened", "protocol": PROTOCOL, "capabilities": [], "description": describe()}
        elif kind == "clock":
            reply = {"type": "clock", "now_ns": clock()}
        elif kind == "batch":
            reply = run_batch(store, message)
        elif kind == "call":
            reply = call_once(store, message)
        elif kind == "close":
            reply = {"type": "closed"}
        else:
            reply = {"type": "failed", "message": "unknown message %r" % kind}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        if kind == "close" or reply["type"] == "failed":
            return


if __name__ == "__main__":
    main()
