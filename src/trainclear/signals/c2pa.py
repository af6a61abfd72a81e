"""C2PA / CAWG training-and-data-mining assertions in a file's active C2PA manifest.

C2PA 1.x defined ``c2pa.training-mining`` (Technical Specification 1.4, 19.23); C2PA
2.x dropped it and the Creator Assertions Working Group republished it as
``cawg.training-mining`` (CAWG Training and Data Mining Assertion 1.x). Both are read,
with entries ``<prefix>.ai_training``, ``.ai_generative_training``, ``.ai_inference``
and ``.data_mining``, each ``allowed``, ``notAllowed`` or ``constrained``: "In the
absence of additional information, constrained shall be treated as equivalent to
notAllowed." See :func:`training_mining` for how entries become verdicts.

Only the *active* manifest (the last one in the store) speaks for the file; its
ingredients' manifests describe other assets. The store is read with c2pa-python under
:data:`OFFLINE_SETTINGS`, which never touch the network (see there).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any

from trainclear.signals.model import Finding, Verdict, error_finding, strictest
from trainclear.signals.xmp import jpeg_segments

SCHEME = "c2pa"
LABELS = ("c2pa.training-mining", "cawg.training-mining")
"""The C2PA 1.x and the CAWG label of the assertion (instances may add ``__N``)."""
USES = ("ai_training", "ai_generative_training", "ai_inference", "data_mining")
_CHOICES = {
    "allowed": Verdict.ALLOW,
    "notallowed": Verdict.DISALLOW,
    "constrained": Verdict.DISALLOW,
}

OFFLINE_SETTINGS: dict[str, Any] = {
    "version": 1,
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    "core": {"allowed_network_hosts": [], "decode_identity_assertions": False},
}
"""c2pa-rs settings for reading without network: no remote manifests, no OCSP, no
allowed hosts, and CAWG identity assertions left undecoded (their ``did:web`` issuers
are resolved over the network regardless of ``allowed_network_hosts``, c2pa-rs issue
1645; identity is not needed to read a training-mining assertion). Trust is checked
against the (empty) built-in trust list, so test signers read as
``signingCredential.untrusted``, which is not an integrity failure."""

_STORE_UUID = b"c2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""JUMBF content type of a C2PA manifest store (C2PA 11.1.4.1)."""
_STORE_LABEL = re.compile(rb"jumd.{16}[\x00-\x1f]c2pa\x00", re.DOTALL)
"""A JUMBF description box labelled ``c2pa`` (even if its type UUID is damaged)."""
_PNG = b"\x89PNG\r\n\x1a\n"
_REMOTE = re.compile(r"[Rr]emote.*?\b(https?://\S+)")
"""The URL in c2pa's "Remote: must fetch remote manifests from url …" error."""


class Unreadable(Exception):
    """A manifest store is present but cannot be read: the finding fails closed."""


def from_file(
    data: bytes, *, mime: str | None = None, source: str, fetched_at: datetime | None = None
) -> Finding | None:
    """The training-mining finding of a file's active C2PA manifest.

    None when the file carries no manifest store; an error finding (disallow) when a
    store is present but unreadable (corrupt JUMBF, a container that cannot be parsed
    around a store, or a manifest kept only remotely: it is never fetched, and its URL
    goes to ``detail["remote_manifest"]`` for a caller that may fetch); an unknown
    finding when the active manifest has no training-mining assertion.
    """
    try:
        store = read_store(data, mime=mime)
    except Unreadable as exc:
        failed = error_finding(SCHEME, source, str(exc), fetched_at=fetched_at)
        remote = _REMOTE.search(str(exc))
        return replace(failed, detail={"remote_manifest": remote[1]}) if remote else failed
    if store is None:
        return None
    return from_manifest_json(store, source=source, fetched_at=fetched_at)


def from_manifest_json(
    obj: Mapping[str, Any], *, source: str, fetched_at: datetime | None = None
) -> Finding:
    """The finding of a manifest store report (c2pa ``Reader.json()``) or of a single
    manifest / c2patool manifest definition (``{"assertions": [...]}``).

    A definition is unsigned input to signing: it carries no validation state, and its
    statements are read as written.
    """
    manifests = obj.get("manifests")
    if not isinstance(manifests, Mapping):
        return manifest_finding(obj, source=source, fetched_at=fetched_at)
    label = obj.get("active_manifest")
    manifest = manifests.get(label) if isinstance(label, str) else None
    if not isinstance(manifest, Mapping):
        return error_finding(
            SCHEME, source, "manifest store has no active manifest", fetched_at=fetched_at
        )
    return manifest_finding(manifest, source=source, fetched_at=fetched_at, store=obj)


@dataclass(frozen=True, slots=True)
class TrainingMining:
    """What one training-mining assertion body says, per trainclear purpose."""

    ai_training: Verdict
    generative_ai_training: Verdict
    uses: dict[str, str] = field(default_factory=dict)
    """Each entry's ``use`` as written (custom entries included), for reports."""
    constraints: dict[str, str] = field(default_factory=dict)
    """Each entry's ``constraint_info``: not interpreted (constrained = notAllowed)."""
    warnings: tuple[str, ...] = ()


def training_mining(body: Any) -> TrainingMining:
    """Map one assertion body (``{"entries": {...}}``, or the entries map itself as in
    the C2PA 1.4 CDDL) to verdicts.

    * ``allowed`` allows; ``notAllowed`` and ``constrained`` disallow (constrained =
      notAllowed "in the absence of additional information"); any other or missing
      ``use`` is a statement we cannot read and also disallows, with a warning.
    * ``ai_generative_training`` decides generative training.
    * ``ai_training`` decides AI training. The specs define it as training
      "non-generative AI/ML models", so its *allow* grants nothing for generative
      training, but its reservation is read as covering generative training too when
      that is not stated (generative training is AI training; most restrictive).
    * ``data_mining`` notAllowed disallows whichever purpose no entry states (TDM
      covers training); a purpose-specific entry in the same assertion wins over it.
    * ``ai_inference`` is not training: recorded in ``uses`` only.
    """
    entries = body.get("entries", body) if isinstance(body, Mapping) else None
    if not isinstance(entries, Mapping):
        warning = "training-mining assertion has no entries map; read as notAllowed"
        return TrainingMining(Verdict.DISALLOW, Verdict.DISALLOW, warnings=(warning,))
    stated: dict[str, Verdict] = {}
    uses: dict[str, str] = {}
    constraints: dict[str, str] = {}
    warnings: list[str] = []
    for key, entry in entries.items():
        if key == "metadata" or not isinstance(key, str):
            continue
        use = entry.get("use") if isinstance(entry, Mapping) else None
        uses[key] = use if isinstance(use, str) else repr(use)
        info = entry.get("constraint_info") if isinstance(entry, Mapping) else None
        if isinstance(info, str):
            constraints[key] = info
        prefix, _, name = key.rpartition(".")
        if name not in USES or prefix not in ("c2pa", "cawg", ""):
            continue  # a custom entry: not ours to interpret
        verdict = _CHOICES.get(use.casefold()) if isinstance(use, str) else None
        if verdict is None:
            warnings.append(f"{key}: use {use!r} is not allowed/notAllowed/constrained; notAllowed")
            verdict = Verdict.DISALLOW
        stated[name] = strictest((verdict, stated.get(name, Verdict.UNKNOWN)))
    ai, gen = _effective(stated)
    return TrainingMining(ai, gen, uses, constraints, tuple(warnings))


def _effective(stated: Mapping[str, Verdict]) -> tuple[Verdict, Verdict]:
    """(AI training, generative AI training) from the stated uses; see :func:`training_mining`."""
    fallback = (
        Verdict.DISALLOW if stated.get("data_mining") == Verdict.DISALLOW else Verdict.UNKNOWN
    )
    ai = stated.get("ai_training")
    gen = stated.get("ai_generative_training")
    if gen is None:
        gen = Verdict.DISALLOW if ai == Verdict.DISALLOW else fallback
    return (fallback if ai is None else ai), gen


def manifest_finding(
    manifest: Mapping[str, Any],
    *,
    source: str,
    fetched_at: datetime | None = None,
    store: Mapping[str, Any] | None = None,
) -> Finding:
    """The finding of one manifest's training-mining assertions, combined most
    restrictively; ``store`` (the Reader report) supplies the validation results.

    Integrity failures of the active manifest (anything but untrusted credentials and
    the CAWG identity checks we skip) are reported as warnings; a reservation in such
    a manifest still counts, an allow does not (it becomes unknown).
    """
    found = [(label, training_mining(body)) for label, body in _assertions(manifest)]
    failures = _failures(store)
    broken = [code for code in failures if not _trust_only(code)]
    warnings = [w for _, tm in found for w in tm.warnings]
    detail: dict[str, Any] = {
        "active_manifest": manifest.get("label"),
        "validation_state": store.get("validation_state") if store else None,
        "validation_failures": failures,
        "assertions": {label: tm.uses for label, tm in found},
    }
    constraints = {key: info for _, tm in found for key, info in tm.constraints.items()}
    if constraints:
        detail["constraints"] = constraints
    ai = strictest(tm.ai_training for _, tm in found)
    gen = strictest(tm.generative_ai_training for _, tm in found)
    if broken:
        warnings.append("manifest failed validation (" + ", ".join(broken) + "); allows ignored")
        ai, gen = (Verdict.UNKNOWN if v == Verdict.ALLOW else v for v in (ai, gen))
    labels = [label for label, _ in found]
    scheme = "cawg" if labels and all(x.startswith("cawg.") for x in labels) else SCHEME
    rule = "; ".join(f"{label}: {_uses_text(tm.uses)}" for label, tm in found) or (
        "no training-mining assertion in the active manifest"
    )
    return Finding(scheme, source, rule, ai, gen, fetched_at, None, tuple(warnings), detail)


def _uses_text(uses: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={use}" for key, use in uses.items()) or "(no entries)"


def _assertions(manifest: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """(label, data) of each training-mining assertion; instance suffixes ``__N`` dropped."""
    assertions = manifest.get("assertions")
    for assertion in assertions if isinstance(assertions, list) else []:
        label = assertion.get("label") if isinstance(assertion, Mapping) else None
        if isinstance(label, str) and label.split("__", 1)[0] in LABELS:
            yield label, assertion.get("data")


def _failures(store: Mapping[str, Any] | None) -> list[str]:
    """Failure codes for the active manifest (all failures in older reports)."""
    if store is None:
        return []
    results = store.get("validation_results")
    active = results.get("activeManifest") if isinstance(results, Mapping) else None
    entries = active.get("failure") if isinstance(active, Mapping) else None
    if entries is None:
        entries = store.get("validation_status")
    entries = entries if isinstance(entries, list) else []
    codes = (e.get("code") for e in entries if isinstance(e, Mapping))
    return [code for code in codes if isinstance(code, str)]


def _trust_only(code: str) -> bool:
    """Codes about who signed (trust lists, CAWG identity), not whether the claim is intact."""
    return code.endswith(".untrusted") or code.startswith("cawg.")


def read_store(data: bytes, *, mime: str | None = None) -> dict[str, Any] | None:
    """The manifest store report of ``data`` as c2pa-python gives it, read offline.

    Raises:
        Unreadable: a store is present but could not be read.
    """
    import c2pa  # type: ignore[import-untyped]  # native library: loaded on first use

    try:
        reader = c2pa.Reader.try_create(_format(mime), io.BytesIO(data), None, _context())
        if reader is None:
            if _embedded_store(data):
                raise Unreadable("C2PA manifest store present but not recognised")
            return None
        with reader:
            text = reader.json()
    except (c2pa.C2paError.NotSupported, c2pa.C2paError.Other, c2pa.C2paError.Io) as exc:
        if _embedded_store(data) or _STORE_UUID in data:
            raise Unreadable(f"C2PA manifest store unreadable: {exc}") from exc
        return None  # the container could not be parsed, and it carries no store
    except c2pa.C2paError as exc:  # Remote/RemoteManifest included: we never fetch
        raise Unreadable(f"C2PA manifest store unreadable: {exc}") from exc
    try:
        store = json.loads(text)
    except ValueError as exc:
        raise Unreadable(f"manifest store report is not JSON: {exc}") from exc
    if not isinstance(store, dict):
        raise Unreadable("manifest store report is not a JSON object")
    return store


def _context() -> Any:
    """One offline c2pa Context per process (native handles do not survive a fork)."""
    return _context_for(os.getpid())


@cache
def _context_for(pid: int) -> Any:
    import c2pa

    return c2pa.Context.from_dict(OFFLINE_SETTINGS)


@cache
def _supported_formats() -> frozenset[str]:
    import c2pa

    return frozenset(c2pa.Reader.get_supported_mime_types())


def _format(mime: str | None) -> str | None:
    """A MIME type c2pa knows, else None so that it detects the format from the bytes."""
    if mime is None:
        return None
    base = mime.split(";", 1)[0].strip().lower()
    return base if base in _supported_formats() else None


def _embedded_store(data: bytes) -> bool:
    """Whether a C2PA store sits where JPEG (APP11 JUMBF) or PNG (``caBX`` chunk) keep it."""
    if data.startswith(_PNG):
        return _png_has_store(data)
    return any(
        marker == 0xEB and payload.startswith(b"JP") and _store_mark(payload)
        for marker, payload in jpeg_segments(data)
    )


def _store_mark(payload: bytes) -> bool:
    return _STORE_UUID in payload or _STORE_LABEL.search(payload) is not None


def _png_has_store(data: bytes) -> bool:
    pos = len(_PNG)
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"caBX":
            return True
        if kind == b"IEND":
            return False
        pos += 12 + length
    return False
