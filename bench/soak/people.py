"""The simulated people (annotators, reviewers, an exporter), one thread each, and the
Recorder of every answer they got and every write the server acknowledged to them."""

import random
import re
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings

from ..server import request


class Recorder:
    """Every request's latency and status, and every write the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)  # kind -> [(answered at, ms)]
        self.statuses = defaultdict(int)
        self.server_errors = []  # (time, kind, status)
        self.spans = set()  # (assignment, label, start, end) acknowledged live
        self.submitted, self.approved = set(), set()
        # item -> [(reviewer, claim answered at, approval sent at)]: times the reviewer
        # surely held it (the server granted it before the answer, released it after the
        # approval was sent), so two reviewers' holds that overlap are a duplicate claim.
        self.holds = defaultdict(list)
        self.approved_by = defaultdict(set)  # item -> reviewers whose approval was acknowledged
        self.failures = []  # (time, kind, status): actions the person saw fail

    def failed(self, kind, status):
        with self.lock:
            self.failures.append((time.monotonic(), kind, status))

    def note(self, kind, started, status):
        now = time.monotonic()
        with self.lock:
            self.latency[kind].append((now, (now - started) * 1000))
            self.statuses[status] += 1
            if status >= 500 or status == 0:
                self.server_errors.append((now, kind, status))


def post(server, headers, path, values, recorder, kind):
    """POST a form as the page does under htmx, retries included (same action id, so it
    lands at most once). An action still failing after the retries, or answered with any
    other 5xx (which the page shows at once), is one the person saw fail."""
    # As app.js: after 503 (the database not answering) or no answer (a worker killed),
    # again after each of these delays, in seconds.
    delays = settings.ACTION_RETRY_DELAYS
    body = urlencode(values, doseq=True)
    all_headers = {
        **headers,
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    for attempt in range(len(delays) + 1):
        started = time.monotonic()
        try:
            status, response_headers, _data = request(
                server.port, "POST", path, body=body, headers=all_headers, timeout=30
            )
        except OSError:
            status, response_headers, _data = 0, {}, b""  # a killed worker, a restart
        recorder.note(kind, started, status)
        if status and status < 500:
            return status, response_headers, _data
        if status not in (0, 503) or attempt == len(delays):
            break
        time.sleep(delays[attempt])
    recorder.failed(kind, status)
    return status, response_headers, b""


def annotator(server, headers, plan, labels, required, deadline, recorder, rng, scale):
    """Tag spans in each assignment of the plan, then submit it; stop at the deadline."""
    time.sleep(rng.uniform(0, scale.start_within_s))
    for assignment_id, sentences in plan:
        if time.monotonic() > deadline:
            return
        done = 0
        while done < scale.spans_before_submit and time.monotonic() < deadline:
            start, end, text = rng.choice(sentences)
            label = rng.choice(labels)
            status, _, body = post(
                server,
                headers,
                f"/annotate/{assignment_id}/spans/",
                {
                    "label": label,
                    "start": start,
                    "end": end,
                    "text": text,
                    "action_id": str(uuid.uuid4()),
                },
                recorder,
                "span",
            )
            if status == 200:
                with recorder.lock:
                    recorder.spans.add((assignment_id, label, start, end))
                done += 1
                span_id = _new_span(body, start, end)
                if label in required and span_id is not None:
                    # As the attribute panel the tag opened: its required fields, saved.
                    post(
                        server,
                        headers,
                        f"/annotate/{assignment_id}/spans/attributes/",
                        {"span": span_id, "action_id": str(uuid.uuid4()), **required[label]},
                        recorder,
                        "values",
                    )
            time.sleep(rng.uniform(*scale.pace_s))
        if time.monotonic() < deadline:
            status, _, _ = post(
                server, headers, f"/annotate/{assignment_id}/submit/", {}, recorder, "submit"
            )
            if status in {200, 302}:
                with recorder.lock:
                    recorder.submitted.add(assignment_id)


def reviewer(server, name, headers, deadline, recorder, rng, scale):
    """Claim the next item, approve all its spans, approve it; until the deadline."""
    time.sleep(rng.uniform(0, scale.start_within_s))
    while time.monotonic() < deadline:
        status, response_headers, _ = post(server, headers, "/review/start/", {}, recorder, "claim")
        item = _item_from(response_headers.get("Location", "") if status == 302 else "")
        if item is None:
            time.sleep(1)
            continue
        claimed_at = time.monotonic()
        post(
            server,
            headers,
            f"/review/items/{item}/approve-all/",
            {"action_id": str(uuid.uuid4())},
            recorder,
            "decide",
        )
        approving_at = time.monotonic()
        status, _, _ = post(
            server,
            headers,
            f"/review/items/{item}/approve/",
            {"action_id": str(uuid.uuid4())},
            recorder,
            "approve",
        )
        with recorder.lock:
            recorder.holds[item].append((name, claimed_at, approving_at))
            if status in {200, 302}:
                recorder.approved.add(item)
                recorder.approved_by[item].add(name)
        time.sleep(rng.uniform(*scale.pace_s))


def duplicate_claims(recorder):
    """Items two reviewers held at once, or both approved."""
    items = {item for item, names in recorder.approved_by.items() if len(names) > 1}
    for item, holds in recorder.holds.items():
        for i, (name, start, end) in enumerate(holds):
            if any(o != name and s < end and start < e for o, s, e in holds[i + 1 :]):
                items.add(item)
    return sorted(items)


def _new_span(body, start, end):
    """The id of the span a tag made, from the row the answer adds to the span list."""
    pattern = rf'data-span="(\d+)" data-start="{start}" data-end="{end}"'
    match = re.search(pattern.encode(), body)
    return int(match.group(1)) if match else None


def _item_from(location):
    """The item a claim landed on, from the redirect to its page (/review/items/N/)."""
    match = re.search(r"/review/items/(\d+)/", location)
    return int(match.group(1)) if match else None


def exporter(server, headers, deadline, recorder, scale):
    """Download every approved span as CSV, again and again."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _h, _data = request(
                server.port,
                "GET",
                "/exports/download/?status=approved",
                headers=headers,
                timeout=120,
            )
        except OSError:
            status = 0
        recorder.note("export", started, status)
        time.sleep(scale.export_every_s)


def crowd(server, sessions, world, scale, deadline, recorder):
    """One thread per person, not started; each with its own seeded random source."""
    threads = [
        threading.Thread(
            target=annotator,
            args=(
                server,
                sessions[name],
                world["plans"][name],
                world["labels"],
                world["required"],
                deadline,
                recorder,
                random.Random(i),
                scale,
            ),
        )
        for i, name in enumerate(world["analysts"])
    ]
    threads += [
        threading.Thread(
            target=reviewer,
            args=(server, name, sessions[name], deadline, recorder, random.Random(1000 + i), scale),
        )
        for i, name in enumerate(world["reviewers"])
    ]
    threads.append(
        threading.Thread(
            target=exporter,
            args=(server, sessions[world["exporter"]], deadline, recorder, scale),
        )
    )
    return threads
