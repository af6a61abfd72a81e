"""TDMRep: every carrier, the spec's examples, the processing priority, failing closed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals import tdmrep
from trainclear.signals.model import Finding, Verdict, error_finding

INDEX = "data/signals/spec_examples/index.json"
EXPECTED = {"reserved": Verdict.DISALLOW, "not_reserved": Verdict.ALLOW, "unknown": Verdict.UNKNOWN}
WELL_KNOWN = [
    "tdmrep/well_known_tdmrep_reserve_all.json",
    "tdmrep/well_known_tdmrep_three_groups.json",
]
CARRIED = [
    "tdmrep/http_header_reserved.http",
    "tdmrep/http_header_reserved_with_policy.http",
    "tdmrep/html_meta_reserved_with_policy.html",
    "tdmrep/epub2_opf_reserved_with_policy.xml",
    "tdmrep/epub3_opf_reserved_with_policy.xml",
    "tdmrep/pdf_xmp_reserved_with_policy.xml",
]
POLICY = "https://provider.com/policies/policy.json"


def _entry(shared_dir: Path, name: str) -> dict[str, Any]:
    index = json.loads((shared_dir / INDEX).read_text())
    return next(e for e in index["files"] if e["file"] == name)


def _examples(shared_dir: Path) -> Path:
    return shared_dir / "data/signals/spec_examples"


def _http_headers(text: str) -> dict[str, str]:
    lines = text.splitlines()[1:]
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines if ":" in line)}


def _read(name: str, text: str) -> Finding | None:
    if name.endswith(".http"):
        return tdmrep.from_headers(_http_headers(text), source=name)
    if name.endswith(".html"):
        return tdmrep.from_html(text, source=name)
    if "opf" in name:
        return tdmrep.from_opf(text, source=name)
    return tdmrep.from_xmp(text, source=name)


def test_every_tdmrep_example_in_the_index_is_tested(shared_dir: Path) -> None:
    index = json.loads((shared_dir / INDEX).read_text())
    listed = {e["file"] for e in index["files"] if e["scheme"] == "tdmrep"}
    assert listed == set(WELL_KNOWN) | set(CARRIED)


@pytest.mark.parametrize("name", WELL_KNOWN)
def test_well_known_spec_examples(shared_dir: Path, name: str) -> None:
    entry = _entry(shared_dir, name)
    body = (_examples(shared_dir) / name).read_bytes()
    compiled = tdmrep.parse_well_known(body, status=200, source=name)
    for case in entry["cases"]:
        found = compiled.judge(case["url_path"])
        expected = EXPECTED[case["expected"]]
        assert (found.ai_training, found.generative_ai_training) == (expected, expected), case
        assert found.detail.get("tdm_policy") == case["tdm_policy"], case
        assert found.error is None


@pytest.mark.parametrize("name", CARRIED)
def test_carrier_spec_examples(shared_dir: Path, name: str) -> None:
    entry = _entry(shared_dir, name)
    found = _read(name, (_examples(shared_dir) / name).read_text())
    assert found is not None
    expected = EXPECTED[entry["expected"]]
    assert (found.ai_training, found.generative_ai_training) == (expected, expected)
    assert found.detail.get("tdm_policy") == entry.get("tdm_policy")
    assert found.error is None
    # the index notes which snippets are not well-formed XML: they are read tolerantly
    not_well_formed = "not well-formed" in entry.get("note", "")
    assert any("read tolerantly" in w for w in found.warnings) == not_well_formed


@pytest.mark.parametrize(
    ("pattern", "target", "matches"),
    [
        ("/", "/anything?at=all", True),
        ("/a/", "/a/b", True),
        ("/a/", "/a", False),
        ("/a$", "/a", True),
        ("/a$", "/a/", False),
        ("/a/*.jpg", "/a/b/c.jpg", True),
        ("/a/*.jpg", "/a/c.jpg?size=2", True),
        ("/a/*.jpg", "/a/c.png", False),
        ("*.pdf$", "/x/y.pdf", True),
        ("*.pdf$", "/x/y.pdf?z", False),
        ("/*/b/*/d$", "/a/b/c/d", True),
        ("/*/b/*/d$", "/a/b/d", False),
        ("/a**b", "/axxb", True),
        ("/A", "/a", False),
        ("/path/foo-%24", "/path/foo-$", True),
        ("/path/foo-$", "/path/foo-", True),
        ("/%7Euser/", "/~user/x", True),
        ("/~user/", "/%7euser/x", True),
        ("/caf\u00e9", "/caf%C3%A9", True),
        ("/caf%c3%a9", "/caf\u00e9", True),
        ("/a%2Fb", "/a/b", False),
        ("/search?q=", "/search?q=cats", True),
    ],
)
def test_location_patterns(pattern: str, target: str, matches: bool) -> None:
    assert tdmrep.compile_pattern(pattern)(tdmrep.path_target(target)) is matches


def _reference(pattern: str, target: str) -> bool:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*")) + ("$" if anchored else "")
    return re.match(regex, target, re.DOTALL) is not None


@settings(deadline=None)
@given(
    st.text("ab*/", max_size=8).map(lambda s: "/" + s), st.booleans(), st.text("ab/", max_size=10)
)
def test_fuzz_patterns_agree_with_a_regex(body: str, anchored: bool, rest: str) -> None:
    pattern = body + ("$" if anchored else "")
    target = "/" + rest
    assert tdmrep.compile_pattern(pattern)(target) is _reference(pattern, target)


def _file(rules: Any, status: int | None = 200) -> tdmrep.TdmrepFile:
    return tdmrep.parse_well_known(json.dumps(rules), status=status, source="wk")


def test_first_matching_rule_wins_even_when_later_ones_are_longer() -> None:
    compiled = _file(
        [{"location": "/", "tdm-reservation": 0}, {"location": "/private/", "tdm-reservation": 1}]
    )
    assert compiled.judge("/private/x").ai_training == Verdict.ALLOW


def test_an_invalid_value_in_the_first_match_is_unset_not_the_next_rule() -> None:
    compiled = _file(
        [{"location": "/a/", "tdm-reservation": 2}, {"location": "/", "tdm-reservation": 1}]
    )
    found = compiled.judge("/a/x")
    assert found.ai_training == Verdict.UNKNOWN
    assert any("protocol error" in w for w in found.warnings)
    assert compiled.judge("/b").ai_training == Verdict.DISALLOW


@pytest.mark.parametrize(("value", "verdict"), [(True, Verdict.DISALLOW), ("0", Verdict.ALLOW)])
def test_tolerated_value_spellings_warn(value: Any, verdict: Verdict) -> None:
    found = _file([{"location": "/", "tdm-reservation": value}]).judge("/x")
    assert found.ai_training == verdict
    assert found.warnings


def test_url_locations_and_missing_slashes_are_tolerated() -> None:
    compiled = _file(
        [
            {"location": "https://example.com/a/", "tdm-reservation": 1},
            {"location": "b/", "tdm-reservation": 0},
        ]
    )
    assert compiled.judge("https://example.com/a/x").ai_training == Verdict.DISALLOW
    assert compiled.judge("/b/x").ai_training == Verdict.ALLOW
    assert compiled.judge("/b/x").warnings


def test_judges_full_urls_and_ignores_fragments() -> None:
    compiled = _file([{"location": "/a$", "tdm-reservation": 1}])
    assert compiled.judge("https://example.com/a#top").ai_training == Verdict.DISALLOW
    assert compiled.judge("/a#top").ai_training == Verdict.DISALLOW
    assert compiled.judge("https://example.com/a?x").ai_training == Verdict.UNKNOWN


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 200),
        ('{"location": "/", "tdm-reservation": 1}', 200),
        ('[{"tdm-reservation": 1}]', 200),
        ('[{"location": "", "tdm-reservation": 1}]', 200),
        ('[{"location": 7, "tdm-reservation": 1}]', 200),
        ('["/"]', 200),
        ("[" * 100_000, 200),
        ('[{"location": "/", "tdm-reservation": 0}]', None),
        ('[{"location": "/", "tdm-reservation": 0}]', 500),
        ('[{"location": "/", "tdm-reservation": 0}]', 503),
        ('[{"location": "/", "tdm-reservation": 0}]', 429),
        ('[{"location": "/", "tdm-reservation": 0}]', 301),
    ],
)
def test_unreadable_files_fail_closed(body: str, status: int | None) -> None:
    found = tdmrep.parse_well_known(body, status=status, source="wk").judge("/x")
    assert found.error is not None
    assert (found.ai_training, found.generative_ai_training) == (Verdict.DISALLOW,) * 2


def test_undecodable_bytes_fail_closed() -> None:
    found = tdmrep.parse_well_known(b"[\xff]", status=200, source="wk").judge("/")
    assert found.error is not None
    assert found.ai_training == Verdict.DISALLOW


def test_too_many_rules_fail_closed() -> None:
    rules = [{"location": f"/{i}", "tdm-reservation": 0} for i in range(tdmrep.MAX_RULES + 1)]
    assert _file(rules).judge("/").error is not None


@pytest.mark.parametrize(
    ("body", "status", "warned"),
    [("", 404, False), ("gone", 410, False), ("", 403, False), ("", 200, True)],
)
def test_absent_files_leave_the_question_open(body: str, status: int, warned: bool) -> None:
    found = tdmrep.parse_well_known(body, status=status, source="wk").judge("/x")
    assert found.error is None
    assert found.ai_training == Verdict.UNKNOWN
    assert bool(found.warnings) is warned


def test_an_html_soft_404_is_no_file() -> None:
    body = b"\xef\xbb\xbf  <!doctype html><title>Not found</title>"
    found = tdmrep.parse_well_known(body, status=200, source="wk").judge("/x")
    assert (found.error, found.ai_training) == (None, Verdict.UNKNOWN)
    assert "HTML page" in found.warnings[0]


@pytest.mark.parametrize(
    ("headers", "verdict", "policy"),
    [
        ({"TDM-Reservation": "1"}, Verdict.DISALLOW, None),
        ({"tdm-reservation": " 0 "}, Verdict.ALLOW, None),
        ({"tdm-reservation": "0", "tdm-policy": POLICY}, Verdict.ALLOW, None),
        ({"tdm-reservation": "1", "Tdm-Policy": POLICY}, Verdict.DISALLOW, POLICY),
        ({"tdm-reservation": "1, 1"}, Verdict.DISALLOW, None),
        ({"tdm-policy": POLICY}, Verdict.UNKNOWN, POLICY),
    ],
)
def test_headers(headers: dict[str, str], verdict: Verdict, policy: str | None) -> None:
    found = tdmrep.from_headers(headers, source="h")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (verdict, verdict)
    assert found.detail.get("tdm_policy") == policy


@pytest.mark.parametrize(
    ("value", "verdict"),
    [("2", Verdict.UNKNOWN), ("yes", Verdict.UNKNOWN), ("0, 1", Verdict.DISALLOW)],
)
def test_irregular_header_values_warn(value: str, verdict: Verdict) -> None:
    found = tdmrep.from_headers({"tdm-reservation": value}, source="h")
    assert found is not None
    assert found.ai_training == verdict
    assert found.warnings


def test_no_tdm_headers_is_no_finding() -> None:
    assert tdmrep.from_headers({"content-type": "text/html"}, source="h") is None


def test_html_meta_variants() -> None:
    colon = tdmrep.from_html('<meta name="tdm:reservation" content="1">', source="p")
    assert colon is not None
    assert colon.ai_training == Verdict.DISALLOW
    assert colon.warnings
    late = '<body><meta name="tdm-reservation" content="1"></body>'
    assert tdmrep.from_html(late, source="p") is None
    pairs = [("tdm-reservation", "0")]
    from_pairs = tdmrep.from_html(pairs, source="p")
    assert from_pairs is not None
    assert from_pairs.ai_training == Verdict.ALLOW


EPUB3 = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"
    prefix="{prefix}: http://www.w3.org/ns/tdmrep#">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>T</dc:title>
    <meta property="{prefix}:reservation">{value}</meta>
  </metadata>
</package>"""


@pytest.mark.parametrize(
    ("prefix", "value", "verdict"),
    [("tdm", "1", Verdict.DISALLOW), ("tdm", "0", Verdict.ALLOW), ("t", " 1 ", Verdict.DISALLOW)],
)
def test_well_formed_epub3(prefix: str, value: str, verdict: Verdict) -> None:
    found = tdmrep.from_opf(EPUB3.format(prefix=prefix, value=value), source="book.opf")
    assert found is not None
    assert found.ai_training == verdict
    assert found.warnings == ()


def test_epub_prefix_bound_elsewhere_is_not_tdmrep() -> None:
    text = EPUB3.format(prefix="tdm", value="1").replace("ns/tdmrep#", "ns/other#")
    assert tdmrep.from_opf(text, source="book.opf") is None


def test_epub_without_tdm_metadata_is_no_finding() -> None:
    assert (
        tdmrep.from_opf(
            '<package><metadata><meta name="cover" content="c"/></metadata></package>', source="b"
        )
        is None
    )


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:tdm="{ns}" {attribute}>
   {element}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


@pytest.mark.parametrize(
    ("ns", "attribute", "element", "verdict", "warned"),
    [
        (tdmrep.PDF_NS, "", "<tdm:reservation>1</tdm:reservation>", Verdict.DISALLOW, False),
        (tdmrep.PDF_NS, 'tdm:reservation="0"', "", Verdict.ALLOW, False),
        (tdmrep.EPUB_NS, "", "<tdm:reservation>1</tdm:reservation>", Verdict.DISALLOW, True),
    ],
)
def test_well_formed_xmp(
    ns: str, attribute: str, element: str, verdict: Verdict, warned: bool
) -> None:
    found = tdmrep.from_xmp(XMP.format(ns=ns, attribute=attribute, element=element), source="a.pdf")
    assert found is not None
    assert found.ai_training == verdict
    assert bool(found.warnings) is warned


def test_xmp_without_tdm_is_no_finding() -> None:
    text = XMP.format(ns="http://example.com/other/", attribute="", element="<tdm:x>1</tdm:x>")
    assert tdmrep.from_xmp(text, source="a.pdf") is None


@pytest.mark.parametrize("reader", [tdmrep.from_opf, tdmrep.from_xmp])
@pytest.mark.parametrize("text", ["", "not xml at all", "<a><b></a>", b"%PDF-1.7 \x00\xff"])
def test_unreadable_metadata_fails_closed(reader: Any, text: str | bytes) -> None:
    found = reader(text, source="f")
    assert found is not None
    assert found.error is not None
    assert found.ai_training == Verdict.DISALLOW


def test_entity_declarations_are_not_expanded() -> None:
    bomb = (
        '<!DOCTYPE p [<!ENTITY a "1">]><package><metadata>'
        '<meta name="tdm:reservation" content="&a;"/></metadata></package>'
    )
    found = tdmrep.from_opf(bomb, source="b")
    assert found is not None
    assert found.ai_training != Verdict.ALLOW


# --- processing priority ------------------------------------------------------------------


def _at(carrier: str, value: int | None, policy: str | None = None) -> Finding:
    if carrier == "header":
        headers = {"tdm-reservation": str(value)} if value is not None else {}
        found = tdmrep.from_headers(
            headers | ({"tdm-policy": policy} if policy else {}), source=carrier
        )
    elif carrier == "well-known":
        rule = {"location": "/"} | ({"tdm-reservation": value} if value is not None else {})
        found = _file([rule | ({"tdm-policy": policy} if policy else {})]).judge("/x")
    else:
        html = f'<meta name="tdm-reservation" content="{value}">' if value is not None else ""
        html += f'<meta name="tdm-policy" content="{policy}">' if policy else ""
        found = tdmrep.from_html(html, source=carrier)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("layers", "verdict", "source"),
    [
        ({"well_known": ("well-known", 1), "header": ("header", 0)}, Verdict.ALLOW, "header"),
        ({"well_known": ("well-known", 0), "header": ("header", 1)}, Verdict.DISALLOW, "header"),
        ({"header": ("header", 1), "html": ("html", 0)}, Verdict.ALLOW, "html"),
        ({"well_known": ("well-known", 0), "html": ("html", 1)}, Verdict.DISALLOW, "html"),
        ({"well_known": ("well-known", 1), "document": ("html", 0)}, Verdict.ALLOW, "html"),
        (
            {"well_known": ("well-known", 1), "header": ("header", None, POLICY)},
            Verdict.DISALLOW,
            "wk",
        ),
    ],
)
def test_later_carriers_supersede_earlier_ones(
    layers: dict[str, tuple[Any, ...]], verdict: Verdict, source: str
) -> None:
    found = tdmrep.resolve(**{slot: _at(*spec) for slot, spec in layers.items()})
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (verdict, verdict)
    assert found.source == source


def test_absence_does_not_reset_the_policy() -> None:
    found = tdmrep.resolve(well_known=_at("well-known", 1, POLICY), header=_at("header", 1))
    assert found is not None
    assert found.detail["tdm_policy"] == POLICY
    assert found.detail["carriers"] == ["well-known", "header"]


def test_a_policy_is_dropped_when_rights_are_not_reserved() -> None:
    found = tdmrep.resolve(well_known=_at("well-known", 1, POLICY), html=_at("html", 0))
    assert found is not None
    assert found.ai_training == Verdict.ALLOW
    assert "tdm_policy" not in found.detail


def test_an_invalid_header_does_not_reset_the_file() -> None:
    header = tdmrep.from_headers({"tdm-reservation": "2"}, source="header")
    found = tdmrep.resolve(well_known=_at("well-known", 1), header=header)
    assert found is not None
    assert found.ai_training == Verdict.DISALLOW
    assert any("protocol error" in w for w in found.warnings)


def test_an_unreadable_file_decides_unless_superseded() -> None:
    broken = tdmrep.parse_well_known("{", status=200, source="wk").judge("/x")
    alone = tdmrep.resolve(well_known=broken, header=tdmrep.from_headers({}, source="h"))
    assert alone is broken
    found = tdmrep.resolve(well_known=broken, header=_at("header", 0))
    assert found is not None
    assert found.ai_training == Verdict.ALLOW
    assert any("superseded" in w for w in found.warnings)


def test_an_unreadable_higher_carrier_fails_closed() -> None:
    broken = error_finding("tdmrep", "book.opf", "package document unreadable")
    found = tdmrep.resolve(header=_at("header", 0), document=broken)
    assert found is broken


def test_nothing_to_resolve() -> None:
    assert tdmrep.resolve() is None
    unset = tdmrep.resolve(well_known=_file([{"location": "/a"}]).judge("/b"))
    assert unset is not None
    assert unset.ai_training == Verdict.UNKNOWN


# --- TDM Policies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "duty", "warned"),
    [
        ("tdmrep/tdm_policy_obtain_consent.jsonld", "obtainConsent", False),
        ("tdmrep/tdm_policy_compensate_non_research.jsonld", "compensate", True),
    ],
)
def test_policies_are_read_for_information(
    shared_dir: Path, name: str, duty: str, warned: bool
) -> None:
    policy = tdmrep.parse_policy((_examples(shared_dir) / name).read_bytes())
    assert policy is not None
    assert policy.uid == "https://provider.com/policies/1"
    assert policy.permissions[0].action == "tdm:mine"
    assert policy.permissions[0].duties == (duty,)
    assert ("trailing commas removed" in policy.warnings) is warned
    assert policy.to_dict()["assigner"]["vcard:fn"] == "Provider"


@pytest.mark.parametrize("body", ["", "[]", "nope", b"\xff\xfe", '"string"'])
def test_unreadable_policies_are_none(body: str | bytes) -> None:
    assert tdmrep.parse_policy(body) is None


# --- fuzzing --------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=16), inner, max_size=4)
    ),
    max_leaves=12,
)
RULE = st.fixed_dictionaries(
    {"location": st.text("/ab*$", max_size=6)},
    optional={"tdm-reservation": JSON, "tdm-policy": JSON},
)


@settings(deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300), st.text(max_size=30))
def test_fuzz_well_known_text(body: str | bytes, path: str) -> None:
    found = tdmrep.parse_well_known(body, status=200, source="wk").judge("/" + path)
    assert isinstance(found, Finding)
    if found.error is not None:
        assert found.ai_training == found.generative_ai_training == Verdict.DISALLOW
    if found.ai_training == Verdict.ALLOW:
        assert "0" in (body.decode("utf-8", "replace") if isinstance(body, bytes) else body)


@settings(deadline=None)
@given(st.lists(RULE, max_size=5) | JSON, st.text("/ab", max_size=8))
def test_fuzz_well_known_structures(rules: Any, path: str) -> None:
    found = _file(rules).judge("/" + path)
    assert isinstance(found, Finding)
    assert found.ai_training == found.generative_ai_training
    if not isinstance(rules, list):
        assert found.error is not None
        assert found.ai_training == Verdict.DISALLOW


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["tdm-reservation", "TDM-Policy", "x"]) | st.text(max_size=10),
        st.text(max_size=20),
    )
)
def test_fuzz_headers(headers: dict[str, str]) -> None:
    found = tdmrep.from_headers(headers, source="h")
    assert found is None or found.ai_training == found.generative_ai_training


@settings(deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_fuzz_embedded_metadata(text: str | bytes) -> None:
    for reader in (tdmrep.from_html, tdmrep.from_opf, tdmrep.from_xmp):
        found = reader(text, source="f")
        assert found is None or isinstance(found, Finding)
        if found is not None and found.error is not None:
            assert found.ai_training == Verdict.DISALLOW


@settings(deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_fuzz_policies(body: str | bytes) -> None:
    policy = tdmrep.parse_policy(body)
    assert policy is None or isinstance(policy.to_dict(), dict)
