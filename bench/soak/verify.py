"""After the load: what the database holds, against what the server acknowledged."""

import hashlib
from collections import defaultdict

from .. import db
from .people import duplicate_claims


def verify(recorder, import_dir, admin_username, env):
    """Acknowledged writes present exactly once, the import whole, the invariants kept."""
    from annotator.annotations.models import Assignment, Span
    from annotator.articles.models import Article
    from annotator.integrity import broken_invariants

    missing, doubled = [], []
    live = defaultdict(int)
    for row in Span.objects.live().values_list("assignment_id", "label_id", "start", "end"):
        live[row] += 1
    for key in recorder.spans:
        count = live.get(key, 0)
        if count == 0:
            missing.append(key)
        elif count > 1:
            doubled.append(key)
    statuses = dict(Assignment.objects.values_list("pk", "status"))
    lost_submits = [a for a in recorder.submitted if statuses.get(a) not in Assignment.HANDED_IN]
    lost_approvals = [a for a in recorder.approved if statuses.get(a) != Assignment.Status.APPROVED]
    # The import that ran through the restart: re-running it must find every file stored
    # once, whole (same sentence count as a fresh segmentation of its text).
    db.manage(env, "import_articles", str(import_dir), "--user", admin_username, "-v", "0")
    # Found by their bytes: a file is stored under its name, which other uploads may share.
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in import_dir.glob("*.txt")]
    expected_imports = len(digests)
    imported = Article.objects.filter(source_file__sha256__in=digests).count()
    broken = broken_invariants()  # the same checks the test suite runs after every test
    duplicates = duplicate_claims(recorder)
    return {
        "acknowledged_spans": len(recorder.spans),
        "missing_spans": len(missing),
        "doubled_spans": len(doubled),
        "acknowledged_submits": len(recorder.submitted),
        "lost_submits": len(lost_submits),
        "acknowledged_approvals": len(recorder.approved),
        "lost_approvals": len(lost_approvals),
        "claimed_items": len(recorder.holds),
        "duplicate_claims": len(duplicates),
        "duplicate_claim_items": duplicates[:20],
        "import_files": expected_imports,
        "import_articles_stored": imported,
        "invariants_broken": broken,
    }
