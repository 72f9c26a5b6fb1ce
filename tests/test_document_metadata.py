"""Metadata read from the document itself: printed dates, organisations named in the
header, event types from the title or opening lines, and no PDF furniture inside turns.

The expected dates come from each source's ``_index.csv`` (compiled from the publishers'
own records), never from what the parser prints.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from podium import readers
from podium.model import Document
from podium.parse import parse_document
from tests.conftest import SHARED, need_shared

CORPUS = SHARED / "data" / "transcripts"
_FURNITURE = re.compile(r"\bPage \d+ of \d+\b|^\s*\d+ of \d+\s*$|Press Conference\s+FINAL", re.MULTILINE)


def _index(source: str) -> dict[str, dict[str, str]]:
    with (CORPUS / source / "_index.csv").open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def fed() -> list[tuple[Path, Document, object]]:
    need_shared()
    out = []
    for path in sorted((CORPUS / "fed_fomc").glob("*.pdf")):
        doc = readers.read(path)
        out.append((path, doc, parse_document(doc)))
    return out


def test_fed_turns_carry_no_page_furniture(fed: list) -> None:
    assert len(fed) == 14
    for path, doc, t in fed:
        assert not _FURNITURE.search(doc.plain), path
        for turn in t.turns:
            assert not _FURNITURE.search(doc.plain[turn.span[0] : turn.span[1]]), (path, turn.id)
        assert "FINAL" in doc.metadata["running_header"], path


def test_fed_date_is_the_printed_date_not_the_file_creation_date(fed: list) -> None:
    index = _index("fed_fomc")
    for path, doc, t in fed:
        assert t.metadata.date == index[path.name]["date"], path
        assert doc.metadata["file_created"] != t.metadata.date, path  # made days later
        assert "date" not in t.analysis.get("from_catalogue", []), path  # printed, not looked up


def test_fed_organisation_from_the_pdf_author_or_the_catalogued_address(fed: list) -> None:
    orgs = {path.name: t.metadata.organisation for path, _, t in fed}
    assert set(orgs.values()) == {"Board of Governors of the Federal Reserve System"}
    # 13 files say "Federal Reserve" as their author; 2015-12-16 says nothing about it, and
    # only the address the collection's _index.csv lists for it (federalreserve.gov) names it.
    silent = {path.name: (doc, t) for path, doc, t in fed if "author" not in doc.metadata}
    assert list(silent) == ["FOMCpresconf20151216.pdf"]
    doc, t = silent["FOMCpresconf20151216.pdf"]
    assert "url" in t.analysis["from_catalogue"] and "federalreserve.gov" in (t.source.url or "")
    assert {t.metadata.event_type for _, _, t in fed} == {"press_conference"}


@pytest.mark.parametrize(
    ("name", "date"), [("press_conferences-26.txt", "2022-04-14"), ("press_conferences-8.txt", "2024-07-18")]
)
def test_ecb_dateline(name: str, date: str) -> None:
    need_shared()
    t = parse_document(readers.read(CORPUS / "ecb" / name))
    assert t.metadata.date == date == _index("ecb")[name]["date"]
    assert t.metadata.event_type == "press_conference"  # "welcome you to our press conference"


def test_state_department_is_never_the_white_house() -> None:
    need_shared()
    files = sorted((CORPUS / "us_state_department").glob("*.html"))
    assert len(files) == 15
    transcripts = {f.name: parse_document(readers.read(f)) for f in files}
    parsed = {n: t.metadata for n, t in transcripts.items()}
    # Every fragment is listed in the collection's _index.csv with its state.gov address.
    assert all(m.organisation == "U.S. Department of State" for m in parsed.values())
    index = _index("us_state_department")
    # The fragments print no date (except one): the file name's date is never taken; the
    # catalogue's date is, and the transcript says so.
    printed = {n for n, t in transcripts.items() if "date" not in t.analysis.get("from_catalogue", [])}
    assert printed == {"background-briefing-senior-officials-european-energy-security-2021-07-21.html"}
    assert all(m.date == index[n]["date"] for n, m in parsed.items())
    briefings = [m.event_type for n, m in parsed.items() if "briefing" in n]
    assert briefings.count("briefing") >= 6


def test_without_the_catalogue_state_department_fragments_have_no_date(tmp_path: Path) -> None:
    need_shared()
    files = sorted((CORPUS / "us_state_department").glob("*.html"))
    for f in files:
        (tmp_path / f.name).write_bytes(f.read_bytes())  # a copy without _index.csv beside it
    parsed = {f.name: parse_document(readers.read(tmp_path / f.name)).metadata for f in files}
    # Never "The White House"; the bureau a fragment prints on its own line is taken as printed.
    assert {m.organisation for m in parsed.values()} <= {None, "U.S. Department of State", "Office of the Spokesperson"}
    # The header byline "Antony J. Blinken, Secretary of State" is evidence; a spokesperson alone is not.
    assert sum(m.organisation == "U.S. Department of State" for m in parsed.values()) >= 7
    dated = {n: m.date for n, m in parsed.items() if m.date}
    assert dated == {"background-briefing-senior-officials-european-energy-security-2021-07-21.html": "2021-07-21"}


def test_mananera_dates_come_from_the_byline() -> None:
    need_shared()
    files = sorted((CORPUS / "mexico_mananeras").rglob("*.md"))
    files = [f for f in files if f.name != "SOURCE.md"]
    for f in files:
        doc = readers.read(f)
        assert "date" not in doc.metadata or doc.metadata["date"] == f.stem, f
        # The archive names files by date: the printed byline must agree with it.
        assert parse_document(doc).metadata.date == f.stem, f


IMF = """Transcript of the press briefing by Julie Kozack, Director, Communications Department, International Monetary Fund

Washington, DC, January 21, 2026

MS. KOZACK: Good morning, everyone, and welcome to this press briefing.

Q  Thank you. A question on the outlook for growth.

MS. KOZACK: Thanks for the question. Our outlook is unchanged.

SENIOR ADMINISTRATION OFFICIAL: We spoke with Press Secretary colleagues at the White House about it.
"""


def test_imf_like_briefing_is_not_claimed_by_the_white_house() -> None:
    doc = Document(plain=IMF, format="text", sha256="0" * 64)
    m = parse_document(doc).metadata
    assert m.organisation == "International Monetary Fund"  # named in the header line
    assert m.date == "2026-01-21"  # the dateline
    assert m.event_type == "briefing"


def test_white_house_named_in_the_header_still_claims() -> None:
    text = IMF.replace("International Monetary Fund", "The White House").replace(
        "Transcript of the press briefing", "Press Briefing by Press Secretary Julie Kozack"
    )
    m = parse_document(Document(plain=text, format="text", sha256="0" * 64)).metadata
    assert m.organisation == "The White House"


def test_published_line_is_the_date_and_no_organisation_is_made_up() -> None:
    text = "Harbour safety press conference\n\nPublished: January 21, 2026\n\nMODERATOR: Welcome.\n\nQ: When?\n"
    m = parse_document(Document(plain=text, format="text", sha256="0" * 64)).metadata
    assert (m.date, m.organisation, m.event_type) == ("2026-01-21", None, "press_conference")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Secretary Antony J. Blinken And Foreign Minister Lapid At a Joint Press Availability", "joint_press_conference"),
        ("Secretary Antony J. Blinken at a Press Availability", "press_conference"),
        ("Transcript of Chair Powell’s Press Conference Call", "press_conference"),
        ("Telephonic Press Briefing with Juan Gonzalez", "briefing"),
        ("Background Briefing on European Energy Security", "briefing"),
        ("Department Press Briefing – June 22, 2022", "briefing"),
    ],
)
def test_event_type_from_title(title: str, kind: str) -> None:
    doc = Document(plain=f"{title}\n\nMODERATOR: Welcome.\n", format="text", sha256="0" * 64, metadata={"title": title})
    assert parse_document(doc).metadata.event_type == kind


def test_fed_one_chair_as_principal_and_only_the_press_officer_moderates(fed: list) -> None:
    index = _index("fed_fomc")
    for path, _, t in fed:
        principals = [p for p in t.participants if p.role == "principal"]
        # "CHAIRIMAN POWELL", "CHAIMRAN POWELL": typos of the office are the same Chair.
        assert [p.name for p in principals] == [index[path.name]["chair"]], path
        moderators = {p.name for p in t.participants if p.role == "moderator"}
        # Reporters who address the Chair ("Nick Timiraos with the Wall Street Journal. Chair
        # Powell, …") never chair the questions; from 2020 the press officer does.
        assert moderators <= {"Michelle Smith"}, (path, moderators)
        if t.metadata.date >= "2020-03-15" and path.name != "FOMCpresconf20250917.pdf":
            assert moderators == {"Michelle Smith"}, path
