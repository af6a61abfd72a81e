"""The worked example of docs/remuneration.md and docs/remuneration.zh-CN.md, reproduced exactly."""

from __future__ import annotations

from datetime import date

import pytest

from tests.royalties.example import DOCS, Example, load, tables


@pytest.fixture(scope="module")
def example() -> Example:
    return load()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_table_in_the_document_is_what_the_engine_computed(
    example: Example, lang: str
) -> None:
    document = DOCS[lang].read_text()
    for name, table in tables(example, lang).items():
        assert table.rstrip("\n") in document, f"{DOCS[lang].name}: table {name!r} differs"


def test_the_figures_the_prose_quotes(example: Example) -> None:
    invoice, s = example.invoice, example.result.summary
    text = {c.work_type: c.price for c in invoice.charges}
    assert (text["text"].exact, text["text"].amount) == (35378.125, 35378)
    assert (text["image"].rounded, text["image"].top_up, text["image"].amount) == (240, 760, 1000)
    assert invoice.total == 36378
    assert [(c.cmo_id, c.amount) for c in invoice.by_cmo()] == [(1, 34894), (2, 1484)]
    assert (s.collected, s.fee, s.net, s.attribution_pool, s.use_pool) == (
        34894,
        3592,
        31302,
        3000,
        28302,
    )
    shares = {(w, h): a for w, h, _, _, a in example.result.shares.rows()}
    assert (shares[(1, 11)], shares[(1, 12)], shares[(3, -1)]) == (11901, 5950, 2707)
    accounts = {h: rest for h, *rest in example.result.holders.rows()}
    assert accounts[12] == [350, 5950, 0, 6300, 6300, 0]
    assert accounts[14] == [0, 811, 0, 811, 0, 811]
    assert (s.paid_out, s.carried_out, s.reserved) == (28134, 811, 2707)
    assert s.reserve_expires_on == date(2028, 3, 31)
    assert s.collected + s.carried_in == s.fee + s.paid_out + s.carried_out + s.reserved
    assert example.release.summary.released_reserve == 2707
    assert "#2 characters: 440000 < 450250 (-10250)" in example.refusal.message("en")


def test_the_example_is_reproducible(example: Example) -> None:
    again = load()
    assert again.result.digest == example.result.digest
    assert again.invoice.key == example.invoice.key


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_code_in_the_document_runs(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = DOCS[lang].read_text()
    code = document.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, str(DOCS[lang]), "exec"), {})
    assert "收取的使用费,360" in capsys.readouterr().out
