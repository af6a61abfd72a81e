"""C2PA / CAWG training-mining assertions: the real signed fixtures, the spec examples
and the mapping rules, corrupted stores (fail closed) and fuzzing."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainclear.signals import c2pa
from trainclear.signals.model import Verdict

A, D, U = Verdict.ALLOW, Verdict.DISALLOW, Verdict.UNKNOWN
FIXTURES = Path("data/signals/c2pa")
SPEC = Path("data/signals/spec_examples")
AT = datetime(2026, 3, 2, tzinfo=UTC)

C2PA_1_4_EXAMPLE = {
    "entries": {
        "c2pa.ai_training": {"use": "allowed"},
        "c2pa.ai_generative_training": {"use": "notAllowed"},
        "c2pa.data_mining": {
            "use": "constrained",
            "constraint_info": "may only be mined on days whose names end in 'y'",
        },
    }
}
"""c2pa_1.4_training_mining_example.cbordiag as a Python dict (the file is not valid
CBOR diagnostic notation: the entries map lacks its opening brace)."""
CAWG_EXAMPLE = {
    "entries": {
        "cawg.ai_training": {"use": "allowed"},
        "cawg.ai_generative_training": {"use": "notAllowed"},
        "cawg.data_mining": {
            "use": "constrained",
            "constraint_info": "may only be mined on days whose names end in 'y'",
        },
    }
}
"""cawg_training_mining_example.cbordiag as a Python dict."""
EXAMPLES = {
    "c2pa/c2pa_1.4_training_mining_example.cbordiag": C2PA_1_4_EXAMPLE,
    "c2pa/cawg_training_mining_example.cbordiag": CAWG_EXAMPLE,
}
OUTCOME = {"reserved": D, "not_reserved": A, "unknown": U}


def fixture_index(shared: Path) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = json.loads((shared / FIXTURES / "index.json").read_text())[
        "files"
    ]
    return files


def spec_index(shared: Path, scheme: str) -> list[dict[str, Any]]:
    index = json.loads((shared / SPEC / "index.json").read_text())
    return [f for f in index["files"] if f["scheme"] == scheme]


def use(entry: str, value: str) -> dict[str, Any]:
    return {"entries": {entry: {"use": value}}}


def app11_payload_start(data: bytes) -> int:
    """Offset of the first APP11 (JUMBF) payload in a JPEG, after the length field."""
    pos = 2
    while data[pos + 1] != 0xEB:
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return pos + 4


# --- the real signed fixtures -------------------------------------------------------


def test_every_fixture_is_listed(shared_dir: Path) -> None:
    listed = {f["file"] for f in fixture_index(shared_dir)}
    assert listed == {p.name for p in (shared_dir / FIXTURES).glob("*.jpg")}


@pytest.mark.parametrize("index", range(4))
def test_fixture_outcome_matches_index(shared_dir: Path, index: int) -> None:
    case = fixture_index(shared_dir)[index]
    data = (shared_dir / FIXTURES / case["file"]).read_bytes()
    found = c2pa.from_file(data, mime="image/jpeg", source=case["file"], fetched_at=AT)
    assert found is not None
    assert found.error is None
    assert found.warnings == ()
    assert found.fetched_at == AT
    assert found.detail["active_manifest"] == case["active_manifest"]
    assert found.detail["validation_state"] == "Valid"
    assert found.detail["validation_failures"] == ["signingCredential.untrusted"]
    expected = OUTCOME[case["expected"]]
    if expected == D:
        assert found.reserved
    else:
        assert D not in (found.ai_training, found.generative_ai_training)
        assert found.generative_ai_training == expected
    stated = {
        label: {entry: body["use"] for entry, body in assertion["entries"].items()}
        for label, assertion in case["training_mining_assertions"].items()
    }
    assert found.detail["assertions"] == stated


def test_cawg_not_allowed_fixture_reserves_generative_only(shared_dir: Path) -> None:
    data = (shared_dir / FIXTURES / "cawg_training_mining_not_allowed.jpg").read_bytes()
    found = c2pa.from_file(data, source="t")
    assert found is not None
    assert found.scheme == "cawg"
    assert (found.ai_training, found.generative_ai_training) == (U, D)


@pytest.mark.parametrize(
    "name",
    [
        "c2pa_and_cawg_training_mining_allowed.jpg",
        "two_manifests_active_training_mining_allowed.jpg",
    ],
)
def test_allowed_fixtures_allow_generative_and_leave_ai_training_unknown(
    shared_dir: Path, name: str
) -> None:
    found = c2pa.from_file((shared_dir / FIXTURES / name).read_bytes(), source=name)
    assert found is not None
    assert found.scheme == "c2pa"
    assert (found.ai_training, found.generative_ai_training) == (U, A)


def test_manifest_without_assertion_is_an_unknown_finding(shared_dir: Path) -> None:
    data = (shared_dir / FIXTURES / "manifest_without_training_mining.jpg").read_bytes()
    found = c2pa.from_file(data, source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (U, U)
    assert found.rule == "no training-mining assertion in the active manifest"


def test_file_without_manifest_is_none(shared_dir: Path) -> None:
    data = (shared_dir / SPEC / "iptc/IPTC-PhotometadataRef-Std2023.2.jpg").read_bytes()
    assert c2pa.from_file(data, mime="image/jpeg", source="t") is None


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"%PDF-1.4\n%%EOF", b"\xff\xd8\xff", b"PK\x03\x04"]
)
def test_unparseable_bytes_without_a_store_are_none(data: bytes) -> None:
    assert c2pa.from_file(data, source="t") is None


def test_reading_is_configured_offline() -> None:
    settings = c2pa.OFFLINE_SETTINGS
    assert settings["verify"] == {"remote_manifest_fetch": False, "ocsp_fetch": False}
    assert settings["core"]["allowed_network_hosts"] == []
    assert settings["core"]["decode_identity_assertions"] is False


def test_identity_assertions_are_not_resolved(shared_dir: Path) -> None:
    """With default settings c2pa resolves the fixture's did:web issuer over the network
    (offline: cawg.ica.did_unavailable, state Invalid); ours never tries."""
    data = (shared_dir / FIXTURES / "c2pa_and_cawg_training_mining_allowed.jpg").read_bytes()
    store = c2pa.read_store(data)
    assert store is not None
    assert store["validation_state"] == "Valid"
    assert not any(s["code"].startswith("cawg.") for s in store["validation_status"])


# --- corrupted stores fail closed ---------------------------------------------------


def corrupt_copy(shared: Path, tmp_path: Path, name: str, offset: int) -> bytes:
    """A copy of fixture ``name`` with 4 bytes flipped ``offset`` bytes into its JUMBF."""
    data = bytearray((shared / FIXTURES / name).read_bytes())
    start = app11_payload_start(bytes(data)) + offset
    data[start : start + 4] = bytes(b ^ 0xFF for b in data[start : start + 4])
    corrupt = tmp_path / name
    corrupt.write_bytes(bytes(data))
    return corrupt.read_bytes()


@pytest.mark.parametrize(
    ("offset", "why"),
    [
        (12, "unreadable: Verify: invalid JUMBF header"),
        (16, "unreadable: Verify: unexpected end of file"),
        (24, "present but not recognised"),
    ],
    ids=["superbox-type", "description-length", "store-uuid"],
)
def test_corrupt_jumbf_is_an_error_finding(
    shared_dir: Path, tmp_path: Path, offset: int, why: str
) -> None:
    """Offsets into the APP11 payload: 8-byte JPEG-XT header, then the store superbox
    (length, ``jumb``), its description box (length, ``jumd``, type UUID, label)."""
    name = "cawg_training_mining_not_allowed.jpg"
    data = corrupt_copy(shared_dir, tmp_path, name, offset)
    found = c2pa.from_file(data, mime="image/jpeg", source=name, fetched_at=AT)
    assert found is not None
    assert found.error is not None
    assert found.error.endswith(why)
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.fetched_at == AT


def test_unreadable_store_with_remote_reference_is_not_fetched(
    shared_dir: Path, tmp_path: Path
) -> None:
    """This fixture's XMP also points at a remote copy of its manifest: c2pa falls back
    to it when the embedded store is unrecognisable, and our settings forbid fetching."""
    name = "c2pa_and_cawg_training_mining_allowed.jpg"
    found = c2pa.from_file(corrupt_copy(shared_dir, tmp_path, name, 24), source=name)
    assert found is not None
    assert found.error is not None
    assert "must fetch remote manifests" in found.error
    assert found.reserved
    assert found.detail == {
        "remote_manifest": "https://cai-manifests-stage.adobe.com/manifests/"
        "urn-uuid-19e83793-4427-4161-b682-a53b975a6f72"
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("c2pa_and_cawg_training_mining_allowed.jpg", (U, U)),
        ("cawg_training_mining_not_allowed.jpg", (U, D)),
    ],
)
def test_hash_mismatch_keeps_reservations_and_drops_allows(
    shared_dir: Path, tmp_path: Path, name: str, expected: tuple[Verdict, Verdict]
) -> None:
    data = bytearray((shared_dir / FIXTURES / name).read_bytes())
    data[-200:-192] = bytes(b ^ 0xFF for b in data[-200:-192])  # inside the image data
    (tmp_path / name).write_bytes(bytes(data))
    found = c2pa.from_file((tmp_path / name).read_bytes(), source=name)
    assert found is not None
    assert found.error is None
    assert (found.ai_training, found.generative_ai_training) == expected
    assert found.detail["validation_state"] == "Invalid"
    assert "assertion.dataHash.mismatch" in found.warnings[0]


def png(*chunks: tuple[bytes, bytes]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    middle = b"".join(chunk(kind, body) for kind, body in chunks)
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + middle + idat + chunk(b"IEND", b"")


def test_png_without_store_is_none() -> None:
    assert c2pa.from_file(png(), mime="image/png", source="t") is None


def test_png_with_damaged_store_chunk_fails_closed() -> None:
    found = c2pa.from_file(png((b"caBX", b"\x00\x00\x00\x10jumbdamaged!")), source="t")
    assert found is not None
    assert found.error is not None
    assert found.error.startswith("C2PA manifest store unreadable")


# --- spec examples ------------------------------------------------------------------


def test_c2patool_do_not_train_definition(shared_dir: Path) -> None:
    (case,) = [c for c in spec_index(shared_dir, "c2pa") if c["file"].endswith(".json")]
    definition = json.loads((shared_dir / SPEC / case["file"]).read_text())
    found = c2pa.from_manifest_json(definition, source=case["file"])
    assert case["expected"] == "reserved"
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.detail["assertions"] == {"c2pa.training-mining": case["preferences"]}
    assert found.detail["validation_state"] is None


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_cbordiag_dicts_are_the_published_examples(shared_dir: Path, name: str) -> None:
    text = (shared_dir / SPEC / name).read_text()
    repaired = text.replace('"entries":', '"entries": {', 1) + "}"
    assert json.loads(repaired) == EXAMPLES[name]


@pytest.mark.parametrize("scheme", ["c2pa", "cawg"])
def test_cbordiag_examples_per_entry_and_combined(shared_dir: Path, scheme: str) -> None:
    (case,) = [c for c in spec_index(shared_dir, scheme) if c["file"].endswith(".cbordiag")]
    body = EXAMPLES[case["file"]]
    for entry, reading in case["preferences"].items():
        alone = c2pa.training_mining({"entries": {entry: body["entries"][entry]}})
        purpose = (
            alone.ai_training if entry.endswith(".ai_training") else alone.generative_ai_training
        )
        assert purpose == OUTCOME[reading.split("-> ")[1].split(" ")[0]], entry
    combined = c2pa.training_mining(body)
    assert (combined.ai_training, combined.generative_ai_training) == (A, D)
    manifest = {"assertions": [{"label": f"{scheme}.training-mining", "data": body}]}
    found = c2pa.from_manifest_json(manifest, source=case["file"])
    assert found.scheme == scheme
    assert (found.ai_training, found.generative_ai_training) == (A, D)
    assert found.detail["constraints"] == {
        f"{scheme}.data_mining": "may only be mined on days whose names end in 'y'"
    }


# --- mapping rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (use("c2pa.ai_training", "notAllowed"), (D, D)),
        (use("cawg.ai_training", "allowed"), (A, U)),
        (use("c2pa.ai_training", "constrained"), (D, D)),
        (use("cawg.ai_generative_training", "notAllowed"), (U, D)),
        (use("cawg.ai_generative_training", "allowed"), (U, A)),
        (use("c2pa.data_mining", "notAllowed"), (D, D)),
        (use("c2pa.data_mining", "allowed"), (U, U)),
        (use("cawg.ai_inference", "notAllowed"), (U, U)),
        (use("com.example.custom", "notAllowed"), (U, U)),
        (use("c2pa.ai_training", "NOTALLOWED"), (D, D)),
        (use("c2pa.ai_training", "maybe"), (D, D)),
        ({"entries": {"c2pa.ai_training": "allowed"}}, (D, D)),
        ({"c2pa.ai_training": {"use": "allowed"}, "metadata": {}}, (A, U)),
        ({"entries": {}}, (U, U)),
        ([], (D, D)),
        (
            {
                "entries": {
                    "c2pa.ai_training": {"use": "notAllowed"},
                    "c2pa.ai_generative_training": {"use": "allowed"},
                }
            },
            (D, A),
        ),
        (
            {
                "entries": {
                    "c2pa.ai_training": {"use": "allowed"},
                    "c2pa.data_mining": {"use": "notAllowed"},
                }
            },
            (A, D),
        ),
        (
            {
                "entries": {
                    "c2pa.ai_training": {"use": "allowed"},
                    "cawg.ai_training": {"use": "notAllowed"},
                }
            },
            (D, D),
        ),
    ],
    ids=[
        "ai-notallowed",
        "ai-allowed-says-nothing-for-genai",
        "constrained",
        "genai-notallowed",
        "genai-allowed",
        "mining-notallowed",
        "mining-allowed",
        "inference-only",
        "custom-entry",
        "case-insensitive",
        "unknown-use",
        "entry-not-a-map",
        "flat-1.4-cddl",
        "no-entries",
        "body-not-a-map",
        "specific-genai-wins",
        "specific-ai-wins-over-mining",
        "duplicate-strictest",
    ],
)
def test_training_mining_mapping(body: Any, expected: tuple[Verdict, Verdict]) -> None:
    found = c2pa.training_mining(body)
    assert (found.ai_training, found.generative_ai_training) == expected


def test_unreadable_use_warns() -> None:
    assert c2pa.training_mining(use("c2pa.ai_training", "maybe")).warnings == (
        "c2pa.ai_training: use 'maybe' is not allowed/notAllowed/constrained; notAllowed",
    )


def store(failures: list[str], *, label: str = "c2pa.training-mining__1") -> dict[str, Any]:
    manifest = {
        "label": "urn:test",
        "assertions": [{"label": label, "data": use("c2pa.ai_training", "allowed")}],
    }
    return {
        "active_manifest": "urn:test",
        "manifests": {"urn:test": manifest, "urn:parent": {"assertions": []}},
        "validation_state": "Invalid" if failures else "Valid",
        "validation_results": {
            "activeManifest": {"failure": [{"code": c} for c in failures]},
        },
    }


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        ([], A),
        (["signingCredential.untrusted", "timeStamp.untrusted", "cawg.ica.did_unavailable"], A),
        (["claimSignature.mismatch"], U),
        (["signingCredential.untrusted", "assertion.hashedURI.mismatch"], U),
    ],
    ids=["valid", "untrusted-only", "signature-mismatch", "hashed-uri-mismatch"],
)
def test_integrity_failures_void_allows(failures: list[str], expected: Verdict) -> None:
    found = c2pa.from_manifest_json(store(failures), source="t")
    assert found.ai_training == expected
    assert found.detail["active_manifest"] == "urn:test"
    assert len(found.warnings) == (expected == U)


def test_store_without_active_manifest_fails_closed() -> None:
    broken = store([]) | {"active_manifest": "urn:missing"}
    found = c2pa.from_manifest_json(broken, source="t")
    assert found.error == "manifest store has no active manifest"
    assert found.reserved


def test_older_reports_fall_back_to_validation_status() -> None:
    old = store([]) | {"validation_status": [{"code": "claimSignature.mismatch"}]}
    del old["validation_results"]
    assert c2pa.from_manifest_json(old, source="t").ai_training == U


def test_unrelated_assertion_labels_are_ignored() -> None:
    found = c2pa.from_manifest_json(store([], label="c2pa.training-mining-extra"), source="t")
    assert found.rule == "no training-mining assertion in the active manifest"


# --- fuzzing ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_fuzz_from_file_never_raises(data: bytes) -> None:
    found = c2pa.from_file(data, source="fuzz")
    assert found is None or found.scheme in ("c2pa", "cawg")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_damaged_fixture_never_raises(shared_dir: Path, data: st.DataObject) -> None:
    original = (shared_dir / FIXTURES / "cawg_training_mining_not_allowed.jpg").read_bytes()
    at = data.draw(st.integers(0, len(original) - 1))
    junk = data.draw(st.binary(min_size=1, max_size=64))
    damaged = original[:at] + junk + original[at + len(junk) :]
    found = c2pa.from_file(damaged, mime="image/jpeg", source="fuzz")
    assert found is None or found.generative_ai_training != A


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_fuzz_mapping_never_raises(body: Any) -> None:
    manifest = {"assertions": [{"label": "cawg.training-mining", "data": body}]}
    found = c2pa.from_manifest_json(manifest, source="fuzz")
    assert found.scheme == "cawg"
    c2pa.training_mining(body)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=20), JSON, max_size=6))
def test_fuzz_store_reports_never_raise(obj: dict[str, Any]) -> None:
    c2pa.from_manifest_json(obj, source="fuzz")
