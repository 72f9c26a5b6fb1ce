"""Facts a document does not print: from the publisher's catalogue beside it, and marked so."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium import readers
from podium.parse import parse_document
from podium.readers import catalogue

BODY = (
    "MODERATOR: Good morning. We take questions now.\n\n"
    "Q: Will the meeting go ahead on Friday?\n\n"
    "MINISTER HALVORSEN: Yes, it will.\n"
)


def _collection(tmp_path: Path, body: str, row: str) -> Path:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "_index.csv").write_text("file,date,title,source_url\n" + row + "\n", encoding="utf-8")
    path = tmp_path / "briefings" / "b1.txt"
    path.write_text(body, encoding="utf-8")
    return path


def test_catalogue_fills_what_the_document_does_not_print(tmp_path: Path) -> None:
    path = _collection(tmp_path, BODY, "briefings/b1.txt,2024-03-05,Daily Press Briefing,https://example.org/b1")
    t = parse_document(readers.read(path))
    assert t.metadata.date == "2024-03-05"
    assert t.metadata.title == "Daily Press Briefing"
    assert t.metadata.event_type == "briefing"  # from the catalogued title
    assert t.source.url == "https://example.org/b1"
    assert t.analysis["from_catalogue"] == ["date", "title", "url"]


def test_the_printed_date_and_title_win_over_the_catalogue(tmp_path: Path) -> None:
    printed = "Press Conference on the Harbour Project\nOslo, 7 May 2024\n\n" + BODY
    path = _collection(tmp_path, printed, "briefings/b1.txt,2024-05-09,Another title,https://example.org/b1")
    t = parse_document(readers.read(path))
    assert t.metadata.date == "2024-05-07"
    assert t.metadata.title == "Press Conference on the Harbour Project"
    assert t.analysis["from_catalogue"] == ["url"]


@pytest.mark.parametrize(
    "index",
    [
        "file,date,title,url\nbriefings/b1.txt,07/05/2024,,not-an-address\n",  # malformed values
        "no,columns,we,know\n1,2,3,4\n",
        "\x00\x01 not a csv at all",
    ],
)
def test_an_odd_or_malformed_index_adds_nothing(tmp_path: Path, index: str) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "_index.csv").write_text(index, encoding="utf-8")
    path = tmp_path / "briefings" / "b1.txt"
    path.write_text(BODY, encoding="utf-8")
    assert catalogue.entry(path) == {}
    t = parse_document(readers.read(path))
    assert t.metadata.date is None and "from_catalogue" not in t.analysis


def test_uploaded_bytes_have_no_catalogue() -> None:
    doc = readers.read_bytes(BODY.encode(), "upload.txt")
    assert doc.catalogue == {}


# --- What the header prints, in any language (parse/lang/*.toml) ----------------------------

from podium.parse import style as styles  # noqa: E402
from podium.parse._dates import parse_date  # noqa: E402
from podium.parse.header import event_type, organisation_line, read_header  # noqa: E402


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Regierungspressekonferenz vom 12. März 2025", "2025-03-12"),
        ("Bruxelles, le 21 mars 2025.", "2025-03-21"),
        ("Ciudad de México, 20 de junio de 2019", "2019-06-20"),
        ("Wednesday, April 9, 2025, 4:00 p.m.", "2025-04-09"),
        ("2025年4月9日", "2025-04-09"),
        ("3. Okt. 2024", "2024-10-03"),
        ("12. Märzchen 2025", None),  # not a month of any language
    ],
)
def test_dates_in_the_languages_podium_has(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Regierungspressekonferenz vom 12. März 2025", "press_conference"),
        ("Conférence de presse conjointe du Président et du Chancelier", "joint_press_conference"),
        ("Point de presse du porte-parole", "briefing"),
        ("Discours du Premier ministre", "speech"),
        ("Joint Press Availability with the Foreign Minister", "joint_press_conference"),
        ("Minutes of the Board", "other"),
    ],
)
def test_event_words_of_every_language(title: str, kind: str) -> None:
    assert event_type(title, styles.get("base.v1")) == kind


@pytest.mark.parametrize(
    ("line", "org"),
    [
        ("Ministry of Foreign Affairs", "Ministry of Foreign Affairs"),
        ("From: Prime Minister's Office, 10 Downing Street and The Rt Hon Jane Doe MP",
         "Prime Minister's Office, 10 Downing Street"),
        ("Presse- und Informationsamt der Bundesregierung", "Presse- und Informationsamt der Bundesregierung"),
        ("Daily Press Briefing by the Office of the Spokesperson", None),  # a title: it names the event
        ("The Office will reopen on Monday after the holiday and we expect a large turnout.", None),
        ("Good morning", None),
    ],
)
def test_a_line_that_names_the_institution(line: str, org: str | None) -> None:
    assert organisation_line(line) == org


def test_title_without_the_institution_above_it_or_a_category_word() -> None:
    base = styles.get("base.v1")
    text = (
        "Ministry of External Affairs\nGovernment of India\n\n"
        "Transcript of Special Media Briefing on the Visit\nJuly 04, 2025\n\nSPOKESPERSON: Good evening."
    )
    assert read_header(text, base).title == "Transcript of Special Media Briefing on the Visit"
    text = "Speech\nPM remarks at the press conference\n\nPRIME MINISTER: Good afternoon."
    assert read_header(text, base).title == "PM remarks at the press conference"
    text = "Doorstep statement\nby the Secretary General\n\nSECRETARY GENERAL: Good morning."
    assert read_header(text, base).title == "Doorstep statement by the Secretary General"


def test_a_persons_byline_is_not_an_institution() -> None:
    assert organisation_line("Ned Price, Department Spokesperson") is None
    assert organisation_line("Office of the Spokesperson") == "Office of the Spokesperson"
