"""Load generator: Locust (FastHttpUser, as a library), run in its own process.

    python -m bench.load SPEC.json RESULT.json

SPEC holds the server's address, the number of users (closed loop, no think time), the
warm-up and measured durations, the scenario kind and one "slot" per user (its session
cookie, CSRF token and the requests it makes). Every request's latency is taken from
Locust's request event (perf_counter, in ms, not rounded as Locust's own stats are);
requests started during the warm-up are not counted. The process stops itself after
warm-up + duration seconds.
"""

import json
import sys
import time
import uuid

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

SPEC = {}
RECONNECT_EVERY = 20
RECORDS = []  # (name, start_time, response_time_ms, ok)
CLAIMS = []  # review: (item, reviewer slot, claim answered at, release sent at)
ERROR_SAMPLES = []
EXHAUSTED = [0]  # users whose planned requests ran out before the end (plan too small)
_next_slot = iter(range(10**9))


@events.request.add_listener
def _record(name, response_time, exception, start_time=0.0, **_kwargs):
    RECORDS.append((name, start_time, response_time, exception is None))
    if exception is not None and len(ERROR_SAMPLES) < 10:
        ERROR_SAMPLES.append(f"{name}: {exception}")


class BenchUser(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 10.0

    def on_start(self):
        self.slot_index = next(_next_slot)
        self.slot = SPEC["slots"][self.slot_index % len(SPEC["slots"])]
        self._headers = dict(self.slot["headers"])
        self._closing = {**self._headers, "Connection": "close"}
        self._sent = 0
        self.position = 0

    @property
    def headers(self):
        """The slot's headers; every RECONNECT_EVERY-th request also closes the connection.

        A browser's keep-alive connection lasts while its user keeps pressing keys, and
        gunicorn (keepalive = 5 s) drops it after a pause. Clients that never pause would
        keep their first connection for the whole run, so that when a worker is recycled
        (max_requests) all of them pile onto the other one and stay there. Reconnecting now
        and then spreads them over the workers as real traffic does; the floor pays it too.
        """
        self._sent += 1
        if SPEC.get("new_connection_each_request") or self._sent % RECONNECT_EVERY == 0:
            return self._closing
        return self._headers

    def _next(self):
        items = self.slot["requests"]
        if self.position >= len(items):
            if not SPEC.get("cycle"):
                EXHAUSTED[0] += 1
                raise StopUser
            self.position = 0  # the floor writes nothing: the same bodies can go again
        item = items[self.position]
        self.position += 1
        return item

    def _check(self, response, expected):
        if response.status_code != expected:
            response.failure(f"{response.status_code} (expected {expected})")
            return False
        return True

    @task
    def act(self):
        kind = SPEC["kind"]
        if kind == "get":
            path = self.slot["path"]
            with self.client.get(
                path, name=SPEC["name"], headers=self.headers, catch_response=True
            ) as response:
                self._check(response, 200)
        elif kind == "post":
            path, body = self._next()
            body = f"{body}&action_id={uuid.uuid4()}"
            with self.client.post(
                path, name=SPEC["name"], data=body, headers=self.headers, catch_response=True
            ) as response:
                self._check(response, 200)
        elif kind == "review":
            self._claim_and_release()

    def _claim_and_release(self):
        with self.client.post(
            "/review/start/",
            name="claim",
            data="",
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            answered = time.perf_counter()
            if not self._check(response, 302):
                return
            location = response.headers.get("Location", "")
            parts = [p for p in location.split("/") if p]
            if len(parts) < 3 or parts[-2] != "items":
                response.failure(f"claim gave no item: {location}")
                return
        item = int(parts[-1])
        sent = time.perf_counter()
        CLAIMS.append((item, self.slot_index, answered, sent))
        with self.client.post(
            f"/review/items/{item}/release/",
            name="release",
            data="",
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._check(response, 302)


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, int(-(-q * len(sorted_values) // 100)))  # ceil(q/100 * n)
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(records, window_start, window_end):
    by_name = {}
    for name, start, ms, ok in records:
        if window_start <= start < window_end:
            entry = by_name.setdefault(name, {"ok": [], "errors": 0})
            if ok:
                entry["ok"].append(ms)
            else:
                entry["errors"] += 1
    seconds = window_end - window_start
    out = {}
    for name, entry in by_name.items():
        values = sorted(entry["ok"])
        out[name] = {
            "requests": len(values),
            "errors": entry["errors"],
            "rps": round(len(values) / seconds, 1),
            "mean_ms": round(sum(values) / len(values), 2) if values else None,
            "p50_ms": round(percentile(values, 50), 2) if values else None,
            "p95_ms": round(percentile(values, 95), 2) if values else None,
            "p99_ms": round(percentile(values, 99), 2) if values else None,
            "max_ms": round(values[-1], 2) if values else None,
        }
    return out


def overlapping_claims(claims):
    """Pairs of claims of one item by two reviewers whose holds certainly overlapped.

    A hold certainly spans [claim answered, release sent]: the claim had committed before
    its answer, and the release had not started. Two such intervals of different reviewers
    on the same item that intersect mean both held it at once: a duplicate claim.
    """
    by_item = {}
    for item, reviewer, answered, sent in claims:
        by_item.setdefault(item, []).append((answered, sent, reviewer))
    duplicates = 0
    for holds in by_item.values():
        holds.sort()
        latest_end, latest_reviewer = None, None
        for start, end, reviewer in holds:
            if latest_end is not None and start < latest_end and reviewer != latest_reviewer:
                duplicates += 1
            if latest_end is None or end > latest_end:
                latest_end, latest_reviewer = end, reviewer
    return duplicates, len(by_item)


def main(spec_path, result_path):
    with open(spec_path, encoding="utf-8") as spec:
        SPEC.update(json.load(spec))
    users, warmup, duration = SPEC["users"], SPEC["warmup"], SPEC["duration"]
    env = Environment(user_classes=[BenchUser], events=events, host=SPEC["host"])
    runner = env.create_local_runner()
    started = time.time()
    runner.start(users, spawn_rate=max(users * 100, 100))
    gevent.spawn_later(warmup + duration, runner.quit)
    runner.greenlet.join()
    window_start = started + warmup
    window_end = min(time.time(), started + warmup + duration)
    result = {
        "users": users,
        "warmup_s": warmup,
        "duration_s": round(window_end - window_start, 2),
        "requests": summarise(RECORDS, window_start, window_end),
        "errors_total": sum(1 for r in RECORDS if not r[3]),
        # Warm-up included: what the server was asked to write, to check against the rows.
        "ok_total": sum(1 for r in RECORDS if r[3]),
        "error_samples": ERROR_SAMPLES,
        "users_out_of_work": EXHAUSTED[0],
    }
    if SPEC["kind"] == "review":
        duplicates, items = overlapping_claims(CLAIMS)
        result["claims"] = len(CLAIMS)
        result["overlapping_claims"] = duplicates
        result["distinct_items"] = items
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
