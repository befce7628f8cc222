"""Scenario 6, adversarial uploads: files made to stall a parser, through the upload's path.

Each file is generated here (nothing binary is committed) and stored with
`ingest.ingest_file`, the upload view's unit of work, in a child process of its own
(`python -m bench.scenario_adversarial CASE MB USER`): its peak memory is then its own,
measured from the kernel's high-water mark after resetting it. Per case: seconds, seconds
per MB, RSS growth, and what became of the file (stored or refused, and why).

Each case runs REPEATS times, each file made different by a first line of its own (so a
stored one is stored again, not found a duplicate): the work is deterministic and other
processes can only add to it, so the fastest run is the case's figure; the RSS growth is
the largest. The floor is an ordinary article of the same size (txt-ordinary: French
paragraphs and sentences of every day), through the same path in the same run: no file
may cost much more per MB than that.

Seconds per MB are counted on the input, or on what it unpacks to for a .zip or a .docx
when that is larger: a 15 KB .docx may hold 10 MB of XML, and that is what a worker reads.
"""

import io
import json
import sys
import time
import zipfile
from collections import Counter

from . import db

MB = 1024 * 1024

# (case, format): the builders below, by name.
CASES = (
    ("txt-ordinary", "floor"),
    ("md-unclosed-bold", "md"),
    ("md-nested-brackets", "md"),
    ("md-unclosed-links", "md"),
    ("md-backtick-underscore-runs", "md"),
    ("html-nested", "html"),
    ("html-paragraphs", "html"),
    ("txt-one-line", "txt"),
    ("jsonl-nested", "jsonl"),
    ("jsonl-bad-lines", "jsonl"),
    ("jsonl-tiny-articles", "jsonl"),
    ("zip-many-members", "zip"),
    ("docx-inflated", "docx"),
    ("docx-at-the-cap", "docx"),
    ("html-at-the-budget", "html"),
)


def _repeat(unit, size):
    return unit * max(1, size // len(unit))


REPEATS = 3

# Written for the floor: ordinary reporting, several sentence shapes, French typography.
ORDINARY = (
    "Le conseil municipal de Vernay-sur-Loue s’est réuni jeudi soir pour examiner le budget"
    " de l’an prochain. Selon le maire, « la dépense reste maîtrisée », mais l’opposition"
    " dénonce une hausse de 3,5 % des impôts locaux.\n\n"
    "Environ 1\u00a0200 habitants ont signé une pétition en ligne. M. Perrot, conseiller"
    " d’opposition, demande un référendum local ; la préfecture n’a pas répondu.\n\n"
    "Le vote aura lieu le 14 janvier. D’ici là, trois réunions publiques sont prévues, dont"
    " une à la salle des fêtes du hameau des Granges !\n\n"
)


def build(case, size, variant=0):
    """(file name, bytes, unpacked bytes) for a case whose big part is about `size` bytes;
    `variant` makes a file differ from the same case's other runs."""
    name, data, unpacked = _build(case, size, variant)
    if name.endswith((".md", ".txt", ".html")):
        data = f"Essai {variant}.\n".encode() + data
    return name, data, unpacked


def _build(case, size, variant):
    if case == "txt-ordinary":
        return "ordinaire.txt", _repeat(ORDINARY.encode(), size), 0
    if case == "md-unclosed-bold":
        return "gras.md", _repeat(b"**a ", size), 0
    if case == "md-nested-brackets":
        half = size // 2
        return "crochets.md", b"[" * half + b"a" + b"](" * (half // 2), 0
    if case == "md-unclosed-links":
        return "liens.md", _repeat(b"![a](<https://a [b](", size), 0
    if case == "md-backtick-underscore-runs":
        return "runs.md", _repeat(b"`" * 500 + b" a " + b"_" * 500 + b"__a ", size), 0
    if case == "html-nested":
        depth = min(100_000, size // 11)
        page = b"<html><body>" + b"<div>" * depth + b"Un mot." + b"</div>" * depth
        return "profond.html", page + b"</body></html>", 0
    if case == "html-paragraphs":
        body = _repeat("<p>Le conseil municipal s’est réuni jeudi soir.</p>\n".encode(), size)
        return "long.html", b"<html><body><article>" + body + b"</article></body></html>", 0
    if case == "html-at-the-budget":  # the most elements trafilatura is given, and text
        from annotator.articles.extraction import html_element_budget

        count = html_element_budget(size) - 10
        words = _repeat("Le conseil municipal s’est réuni. ".encode(), size // count - 11)
        body = (b"<div>" + words + b"</div>") * count
        return "dense.html", b"<html><body><article>" + body + b"</article></body></html>", 0
    if case == "txt-one-line":
        return "ligne.txt", _repeat("Un mot, puis l’autre ".encode(), size), 0
    if case == "jsonl-nested":
        half = size // 2
        return "profond.jsonl", b'{"text": "a", "x": ' + b"[" * half + b"]" * half + b"}\n", 0
    if case == "jsonl-bad-lines":
        return "lignes.jsonl", _repeat(b"{}\n", size), 0
    if case == "jsonl-tiny-articles":
        count = size // 20
        lines = (f'{{"text": "Mot {i}."}}\n' for i in range(count))
        return "articles.jsonl", "".join(lines).encode(), 0
    if case == "zip-many-members":
        return _zip("lot.zip", {f"a{i}.txt": b"a" for i in range(10_000)})
    if case == "docx-inflated":  # the attack: 25 MB of empty paragraphs in a few KB
        return _docx("gonfle.docx", 25 * MB, variant)
    if case == "docx-at-the-cap":  # just under the cap (UPLOAD_MAX_FILE_BYTES), so read
        from django.conf import settings

        size = min(size * 10, settings.UPLOAD_MAX_FILE_BYTES) - 1024
        return _docx("plein.docx", size, variant)
    raise ValueError(case)


def _zip(name, members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return name, buffer.getvalue(), sum(len(c) for c in members.values())


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(name, xml_size, variant=0):
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    tail = f"<w:p><w:r><w:t>Essai {variant}.</w:t></w:r></w:p></w:body></w:document>".encode()
    document = head + _repeat(b"<w:p/>", xml_size - len(head) - len(tail)) + tail
    return _zip(name, {"word/document.xml": document})


# --- the child: one case ----------------------------------------------------------------


def _peak_rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak():
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets VmHWM to the current RSS (Linux 4.0+)


def measure(case, size, username, repeats):
    import django

    django.setup()
    import psutil
    from django.contrib.auth.models import User

    from annotator.articles.ingest import ingest_file, prepare

    user = User.objects.get(username=username)
    # Warm: the database connection, lazy imports, the catalogue; not the case's to pay.
    name = build(case, 16)[0]
    warm = {"docx": _docx("a.docx", 1000)[1], "zip": _zip("a.zip", {"a.txt": b"a"})[1]}
    prepare("a" + name[-5:], warm.get(name.rsplit(".", 1)[1], b"<p>Un mot.</p>"), user)
    runs = []
    for _ in range(repeats):
        name, data, unpacked = build(case, size, time.time_ns())
        _reset_peak()
        before = psutil.Process().memory_info().rss
        started = time.perf_counter()
        outcomes = ingest_file(name, data, user)
        seconds = time.perf_counter() - started
        # The high-water mark is kept in kB, the RSS in bytes: a few bytes below 0 is 0.
        runs.append((seconds, max(0, _peak_rss() - before), outcomes))
    seconds = min(seconds for seconds, _, _ in runs)
    growth = max(growth for _, growth, _ in runs)
    statuses = Counter(str(o.status) for o in runs[0][2])
    reasons = Counter(o.reason for o in runs[0][2] if o.reason)
    return {
        "input_bytes": len(data),
        "unpacked_bytes": unpacked,
        "seconds": round(seconds, 3),
        "runs": [round(seconds, 3) for seconds, _, _ in runs],
        "rss_growth_mb": round(growth / MB, 1),
        "outcomes": dict(statuses),
        "reason": reasons.most_common(1)[0][0] if reasons else "",
    }


# --- the parent: every case, and the worst per format ---------------------------------------


def run(env, size_mb, username, repeats=REPEATS):
    size = int(size_mb * MB)
    cases = {}
    for case, kind in CASES:
        arguments = (case, str(size), username, str(repeats))
        result = db.python(env, "-m", "bench.scenario_adversarial", *arguments)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        mb = max(figures["input_bytes"], figures["unpacked_bytes"]) / MB
        figures["format"] = kind
        figures["s_per_mb"] = round(figures["seconds"] / mb, 3)
        cases[case] = figures
    floor = cases.pop("txt-ordinary")
    worst = {}
    for case, figures in cases.items():
        kind = figures["format"]
        mine = worst.setdefault(kind, {"s_per_mb": 0.0, "rss_growth_mb": 0.0, "cases": []})
        mine["cases"].append(case)
        if figures["s_per_mb"] >= mine["s_per_mb"]:
            mine["s_per_mb"], mine["slowest"] = figures["s_per_mb"], case
        mine["rss_growth_mb"] = max(mine["rss_growth_mb"], figures["rss_growth_mb"])
    return {"size_mb": size_mb, "cases": cases, "worst": worst, "floor": floor}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))
