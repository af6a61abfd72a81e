"""Reading snapshots: what one holds (``info``) and what changed between two (``diff``)."""

from __future__ import annotations

from trainclear.pipeline.loading import open_index as open_snapshot_index
from trainclear.services.platform import Platform
from trainclear.snapshot.files import load_snapshot, resolve_snapshot_path


def snapshot_info(p: Platform, *, snapshot_id: str) -> dict[str, object]:
    """What a snapshot holds: scope, counts, index size and settings, deltas."""
    path = resolve_snapshot_path(snapshot_id, p.settings.snapshot_dir)
    index = open_snapshot_index(path)
    snapshot = load_snapshot(str(path), p.settings.snapshot_dir, verify=False)
    text = index.text
    registered = sum(w.length or 0 for w in snapshot.works)
    return {
        "id": path.name,
        "scope": snapshot.scope,
        "notice_id": snapshot.notice_id,
        "purpose": snapshot.purpose,
        "as_of": snapshot.as_of,
        "works": len(snapshot.works),
        "excluded": len(snapshot.excluded_works),
        "url_rules": len(snapshot.url_rules),
        "text_entries": text.entries if text else 0,
        "text_shards": len(text.shards) if text else 0,
        "index_bytes": text.nbytes if text else 0,
        "index_bytes_per_character": round(text.nbytes / registered, 4)
        if text and registered
        else 0,
        "params": snapshot.meta.get("index", {}).get("params", {}),
        "deltas_applied": index.applied,
        "path": str(path),
    }


def diff_snapshots(p: Platform, *, old: str, new: str) -> dict[str, object]:
    """Works added, removed, newly excluded or released, and URL rules added or removed,
    from snapshot ``old`` to snapshot ``new`` (each with its deltas applied)."""
    a = open_snapshot_index(resolve_snapshot_path(old, p.settings.snapshot_dir))
    b = open_snapshot_index(resolve_snapshot_path(new, p.settings.snapshot_dir))
    shared = a.works.keys() & b.works.keys()
    rules_a = {(r.kind, r.value) for r in a.rules}
    rules_b = {(r.kind, r.value) for r in b.rules}
    return {
        "old": a.snapshot_id,
        "new": b.snapshot_id,
        "works_added": sorted(b.works.keys() - a.works.keys()),
        "works_removed": sorted(a.works.keys() - b.works.keys()),
        "newly_excluded": sorted(
            w for w in shared if b.works[w].excluded and not a.works[w].excluded
        ),
        "released": sorted(w for w in shared if a.works[w].excluded and not b.works[w].excluded),
        "url_rules_added": sorted(f"{k}:{v}" for k, v in rules_b - rules_a),
        "url_rules_removed": sorted(f"{k}:{v}" for k, v in rules_a - rules_b),
    }
