"""Every one of the 796 shared transcripts reads: right format, text, metadata, no leftovers.

The whole corpus (33 MB) reads in a few seconds; per-source throughput is in
``benchmarks/read_corpus.py``, not here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from podium import readers
from tests.conftest import SHARED, need_shared

CORPUS = SHARED / "data" / "transcripts"

EXPECTED = {
    # source: (files, format, metadata fields every file has, a label that must start lines)
    "australia_pm": (240, "xml", ("title", "date", "principal"), r"(?:PRIME MINISTER|PM|JOURNALIST|QUESTION|Q)\.?:?"),
    "china_mfa": (182, "html", ("title",), r"(?:Q:|A:|[A-Z][\w .’'-]{1,40}:|[\u4e00-\u9fff]{1,30}：)"),
    "kremlin": (59, "html", ("title", "date", "language"), r"[A-Z][\w’\- ]+:"),
    # Mañanera dates are in the byline ("Presidencia de la República | 20 de junio de 2019"),
    # read by the parser; the file name is no evidence of a date.
    "mexico_mananeras": (42, "markdown", ("title",), r"[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ,.()-]+:"),
    "whitehouse_briefing_room": (200, "markdown", ("title", "date"), r"\s*(?:Q\s|[A-Z][A-Z .'-]+:)"),
    "whitehouse_obama_raw_fragments": (40, "html", ("title",), r"(?:Q\s|[A-Z][A-Z .'-]+:)"),
    "whitehouse_trump_covid_taskforce": (33, "html", ("title", "date"), r"(?:Q\s|[A-Z][A-Z .'-]+:)"),
}

# Page furniture that must never reach the text (Kremlin, whitehouse.gov, fmprc.gov.cn chrome).
FURNITURE = (
    "Share this page on", "Copy URL to your clipboard", "Publication status", "Official Internet Resources",
    "Send by email", "Version for People with Disabilities", "All News", "Subscribe", "Appendix:",
)


def _files(source: str) -> list[Path]:
    return sorted(
        f for f in (CORPUS / source).rglob("*") if f.is_file() and f.name != "SOURCE.md" and f.suffix != ".csv"
    )


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[tuple[Path, object]]]:
    need_shared()
    return {src: [(f, readers.read(f)) for f in _files(src)] for src in EXPECTED}


def test_corpus_has_796_files(corpus: dict) -> None:
    assert sum(len(v) for v in corpus.values()) == 796


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_every_file_reads_with_text_format_and_metadata(corpus: dict, source: str) -> None:
    count, fmt, fields, label = EXPECTED[source]
    docs = corpus[source]
    assert len(docs) == count
    line_label = re.compile(rf"^{label}", re.MULTILINE)
    for path, doc in docs:
        assert doc.format == fmt, path
        assert len(doc.plain.strip()) > 300, path
        assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        for field in fields:
            assert doc.metadata.get(field), (path, field)
        assert "\r" not in doc.plain and "\xa0" not in doc.plain and "\n\n\n" not in doc.plain
        assert not re.search(r"&(?:nbsp|amp|lt|gt|#\d+);|</?(?:p|br|div|span|b|strong)\b", doc.plain), path
    labelled = sum(bool(line_label.search(doc.plain)) for _, doc in docs)
    # Some mañaneras are speeches with no turns at all; every other source is all Q&A.
    floor = 0.8 if source == "mexico_mananeras" else 0.97
    assert labelled >= floor * count, f"{source}: only {labelled}/{count} files have labels at line starts"


@pytest.mark.parametrize(
    "source", ["china_mfa", "kremlin", "whitehouse_trump_covid_taskforce", "whitehouse_obama_raw_fragments"]
)
def test_html_sources_drop_page_furniture(corpus: dict, source: str) -> None:
    for path, doc in corpus[source]:
        for junk in FURNITURE:
            assert junk not in doc.plain, (path, junk)


def test_html_keeps_every_speaker_label_the_page_has(corpus: dict) -> None:
    """Labels in the raw markup (tags stripped) all survive extraction, for every page."""
    for source, rx in (
        ("kremlin", r"(?:Question|Vladimir Putin|Dmitry Peskov)\s*:"),
        ("china_mfa", r"(?:\bQ\s*:|问：)"),
        ("whitehouse_trump_covid_taskforce", r"\b(?:THE PRESIDENT|THE VICE PRESIDENT|DR\. FAUCI|DR\. BIRX):"),
    ):
        for path, doc in corpus[source]:
            raw = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
            raw = raw.replace("&nbsp;", " ").replace("\xa0", " ")
            # More in the text than in the raw markup is fine: split bold runs are rejoined.
            assert len(re.findall(rx, doc.plain)) >= len(re.findall(rx, raw)), path


def test_kremlin_split_bold_names_are_rejoined(corpus: dict) -> None:
    text = "\n".join(doc.plain for _, doc in corpus["kremlin"])
    assert "VladimirPutin" not in text
    assert len(re.findall(r"^Vladimir Putin:", text, re.MULTILINE)) > 900


def test_obama_byte_dumps_are_fully_unescaped(corpus: dict) -> None:
    for path, doc in corpus["whitehouse_obama_raw_fragments"]:
        assert not re.search(r"\\[xnt']", doc.plain), path
        assert re.search(r"^[A-Z][A-Z. ]+: ", doc.plain, re.MULTILINE), path
    gap = re.compile(r"^(?:Q|[A-Z][A-Z. ]+:)  +\S", re.MULTILINE)
    gaps = sum(bool(gap.search(d.plain)) for _, d in corpus["whitehouse_obama_raw_fragments"])
    assert gaps >= 30  # the no-break-space gaps after labels survive unescaping


def test_markdown_labels_are_plain(corpus: dict) -> None:
    for source in ("mexico_mananeras", "whitehouse_briefing_room"):
        for path, doc in corpus[source]:
            assert "**" not in doc.plain and "](" not in doc.plain, path
    mx = "\n".join(doc.plain for _, doc in corpus["mexico_mananeras"])
    assert len(re.findall(r"^PREGUNTA:", mx, re.MULTILINE)) >= 100


def test_australian_xml_metadata(corpus: dict) -> None:
    by_name = {p.name: d for p, d in corpus["australia_pm"]}
    for doc in by_name.values():
        assert re.fullmatch(r"(19[5-9]\d|20[01]\d)-\d\d-\d\d", doc.metadata["date"])
        assert "," not in doc.metadata["principal"]  # "Keating, Paul" became "Paul Keating"
    assert {d.metadata["principal"] for d in by_name.values()} >= {"Robert Menzies", "John Howard", "Julia Gillard"}
