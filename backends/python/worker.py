"""cachebench foreign worker, protocol version 1 (docs/worker-protocol.md).

Reads one JSON message per line on stdin and answers one per line on stdout.
The parent decides every operation; this process only runs them against a
store (stores.py, store_*.py) and times each call with time.perf_counter_ns, which on
Linux is clock_gettime(CLOCK_MONOTONIC).

Run by cachebench as: python3 worker.py
"""

import base64
import json
import sys
import time
import warnings

# The worker may live in a read-only package directory: compile the stores in memory only.
sys.dont_write_bytecode = True

PROTOCOL = 1
clock = time.perf_counter_ns


def decode(value):
    """Wire value -> Python: text stays str, {"b64": ...} becomes bytes."""
    if isinstance(value, dict):
        return base64.b64decode(value["b64"])
    return value


def encode(value):
    """Python value -> wire value: None is a miss, bytes travel as base64."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


# Which results are misses, per action: no value for reads, False for writes that declined.
def read_miss(result):
    return result is None


def write_miss(result):
    return result is False


def many_miss(result):
    return None in result


def never_miss(_result):
    return False


MISS = {
    "get": read_miss,
    "pop": read_miss,
    "rmw": read_miss,
    "set": write_miss,
    "delete": write_miss,
    "add": write_miss,
    "get_many": many_miss,
    "incr": never_miss,
}


def first_line(error):
    text = str(error).split("\n")[0] or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def prepare(store, ops):
    """Wire ops -> (action, bound call, args), decoded before any timing starts."""
    prepared = []
    for op in ops:
        action = op[0]
        call = store.calls.get(action)
        if call is None:
            raise ValueError("this store cannot run %r" % action)
        if action == "get_many":
            args = (op[1],)
        elif action == "incr":
            args = (op[1], op[2] if len(op) > 2 else 1)
        elif len(op) > 2:
            args = (op[1], decode(op[2]))
        else:
            args = (op[1],)
        prepared.append((action, call, args))
    return prepared


def wait_until(target_ns):
    """Sleeps, then spins the last stretch: sleeping alone wakes up late by the timer slack."""
    left = target_ns - clock()
    if left > 2_000_000:
        time.sleep((left - 1_000_000) / 1e9)
    while clock() < target_ns:
        pass


def run_batch(store, message):
    """Runs a batch back to back, timing each call and nothing else."""
    prepared = prepare(store, message["ops"])
    timeout_types = store.timeouts
    until = message.get("until_ns")
    schedule = message.get("schedule")
    if message.get("at_ns") is not None:
        wait_until(message["at_ns"])
    latencies, ends, services, outcomes, errors, values = [], [], [], [], {}, {}
    if until is not None and schedule is None and clock() >= until:
        prepared = []  # time was up before this batch began
    for index, (action, call, args) in enumerate(prepared):
        if schedule is not None:
            intended = schedule["start_ns"] + round(schedule["offset_ns"] + (schedule["first"] + index) * schedule["period_ns"])
            if until is not None and intended >= until:
                break
            wait_until(intended)
        t0 = clock()
        try:
            result = call(*args)
        except timeout_types:
            t1 = clock()
            outcome = "t"
        except Exception as error:  # every failure is counted, never fatal
            t1 = clock()
            outcome = "e"
            errors[str(index)] = first_line(error)
        else:
            t1 = clock()
            outcome = "m" if MISS[action](result) else "h"
            if action == "pop" and result is not None:
                values[str(index)] = encode(result)
        if schedule is not None:
            latencies.append(t1 - intended)
            services.append(t1 - t0)
        else:
            latencies.append(t1 - t0)
        ends.append(t1)
        outcomes.append(outcome)
        if until is not None and schedule is None and t1 >= until:
            break
    reply = {"type": "timings", "count": len(outcomes), "ns": latencies, "end_ns": ends, "outcomes": "".join(outcomes), "errors": errors}
    if schedule is not None:
        reply["service_ns"] = services
    if values:
        reply["values"] = values
    return reply


def call_once(store, message):
    """One untimed call (the parent's Backend object, conformance checks, finalize)."""
    op = message["op"]
    action = op[0]
    try:
        if action == "clear":
            store.clear()
            return {"type": "result", "value": None}
        if action == "describe":
            return {"type": "result", "value": store.describe()}
        call = store.calls.get(action)
        if call is None:
            raise ValueError("this store cannot run %r" % action)
        if action in ("get_many", "delete_many"):
            args = (op[1],)
        elif action == "set_many":
            args = ([(key, decode(value)) for key, value in op[1]],)
        elif action == "incr":
            args = (op[1], op[2])
        elif len(op) > 2:
            args = (op[1], decode(op[2]))
        else:
            args = (op[1],)
        expire = message.get("expire")
        if expire is not None:
            expiring = store.expiring.get(action)
            if expiring is None:
                raise ValueError("this store cannot %s with an expiry" % action)
            result = expiring(args[0], args[1], expire)
        else:
            result = call(*args)
        return {"type": "result", "value": encode(result)}
    except store.timeouts as error:
        return {"type": "result", "error": first_line(error), "timeout": True}
    except Exception as error:
        return {"type": "result", "error": first_line(error)}


def main():
    # Django warns about keys memcached could not hold; they are valid for the stores here.
    warnings.simplefilter("ignore")
    read = sys.stdin.buffer.readline
    out = sys.stdout.buffer

    def send(message):
        out.write(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n")
        out.flush()

    store = None
    while True:
        line = read()
        if not line:
            break  # the parent went away
        message = json.loads(line)
        kind = message["type"]
        if kind == "open":
            if message.get("protocol") != PROTOCOL:
                send({"type": "failed", "message": "protocol %r requested; this worker speaks %d" % (message.get("protocol"), PROTOCOL)})
                return 1
            try:
                import stores

                store = stores.open_store(message["spec"], message.get("worker", 0), message.get("seed", 0))
            except Exception as error:
                send({"type": "failed", "message": first_line(error)})
                return 1
            send({"type": "opened", "protocol": PROTOCOL, "capabilities": store.capabilities, "description": store.describe()})
        elif kind == "clock":
            send({"type": "clock", "now_ns": clock()})
        elif kind == "batch":
            try:
                reply = run_batch(store, message)
            except Exception as error:  # a batch the store cannot run: nothing was timed
                send({"type": "failed", "message": first_line(error)})
                return 1
            send(reply)
        elif kind == "call":
            send(call_once(store, message))
        elif kind == "close":
            if store is not None:
                store.close()
            send({"type": "closed"})
            return 0
        else:
            send({"type": "failed", "message": "unknown message type %r" % kind})
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
