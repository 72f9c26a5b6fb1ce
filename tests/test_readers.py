"""Readers on small fixtures written for these tests: text, metadata, cues, sniffing."""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from pathlib import Path

import pytest

from podium import readers
from podium.errors import InputError
from podium.readers import bytesdump, captions, markdown

FIX = Path(__file__).resolve().parent / "fixtures" / "readers"


def read(name: str):  # noqa: ANN201
    return readers.read(FIX / name)


# --- PDF fixtures, written by hand: a tiny valid PDF with a text layer (or without one) ---


def _pdf_string(s: str) -> str:
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], *, title: str | None = None, text: bool = True) -> bytes:
    """A minimal PDF: one Helvetica line per string, or (``text=False``) only drawn lines."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        if text:
            ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
            for line in lines:
                ops += [f"{_pdf_string(line)} Tj", "T*"]
            ops.append("ET")
        else:
            ops = ["1 w", "72 720 m", "300 720 l", "S", "72 700 m", "300 700 l", "S"]
        stream = zlib.compress("\n".join(ops).encode("latin-1"))
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>"
        )
        objects.append(page.encode())
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info = "<< /Producer (podium tests) /CreationDate (D:20240305103000Z)"
    info += f" /Title {_pdf_string(title)} >>" if title else " >>"
    objects.append(info.encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- HTML pages -------------------------------------------------------------------------


def test_page_keeps_article_and_drops_furniture() -> None:
    doc = read("page.html")
    assert doc.format == "html"
    for gone in ("News", "About us", "Share this page", "Older harbour news", "Copyright", "color: black"):
        assert gone not in doc.plain
    assert doc.plain.startswith("Harbour Hall, Portsmouth\n\n")
    assert doc.plain.rstrip().endswith("END")


def test_page_paragraphs_are_blank_line_blocks_and_labels_start_lines() -> None:
    plain = read("page.html").plain
    labels = re.findall(r"^([A-Z][\w .]*?):", plain, re.MULTILINE)
    assert labels == ["Anna Berg", "MODERATOR", "Anna Berg"]  # split bold run rejoined
    assert "We have three announcements today.\nFirst, the new pilot boats.\nSecond, the night patrols." in plain
    assert "\n\nQ   When will the patrols start?" in plain  # no-break spaces keep the Q gap


def test_page_metadata_from_chrome() -> None:
    doc = read("page.html")
    # The site name after the title is the publisher, which the parser reads for the organisation.
    assert doc.metadata == {"title": "Press conference on harbour safety", "date": "2024-03-05", "language": "en",
                            "publisher": "Ministry of Examples"}
    assert doc.url == "https://ministry.example/press/harbour-safety"
    assert doc.sha256 == hashlib.sha256((FIX / "page.html").read_bytes()).hexdigest()


def test_page_without_transcript_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no transcript text in this page"):
        read("nav-only.html")


def test_bold_speaker_names_without_colon_get_one_when_they_recur() -> None:
    paras = [
        "<p><b>Anna</b> <b>Berg</b> Good morning, all of you here today.</p>",
        "<p><b>Question</b> When do the patrols start?</p>",
        "<p><strong>Harbour safety</strong> The minister said a lot about it.</p>",
        "<p><b>Anna Berg</b> In April.</p>",
        "<p><b>Question</b>: Where?</p>",
        "<p><b>PRIME MINISTER</b> OF NEW ZEALAND: Thank you.</p>",
        "<p><b>PRIME MINISTER</b> OF NEW ZEALAND: Again.</p>",
    ]
    plain = readers.read_bytes(("<html><body><div>" + "".join(paras)).encode(), "x.html").plain
    assert plain.split("\n\n") == [
        "Anna Berg: Good morning, all of you here today.",  # twice in bold: a speaker
        "Question: When do the patrols start?",  # written with a colon elsewhere
        "Harbour safety The minister said a lot about it.",  # once: a run-in heading
        "Anna Berg: In April.",
        "Question: Where?",
        "PRIME MINISTER OF NEW ZEALAND: Thank you.",  # the label already goes on to a colon
        "PRIME MINISTER OF NEW ZEALAND: Again.",
    ]


def test_lone_label_paragraphs_join_their_text_but_sentences_do_not() -> None:
    paras = ["<p><strong>PRIME MINISTER: </strong></p>", "<p>Good morning.</p>", "<p> JOURNALIST:</p>",
             "<p>JOURNALIST:</p>", "<p>Two labels in a row stay apart.</p>", "<p>Here is what I said:</p>",
             "<p>Nothing more.</p>", "<p>Ursula von der Leyen:</p>", "<p>Thank you.</p>",
             "<p>PM:<br>Well, yes.<br>J:<br>Why?</p>"]
    plain = readers.read_bytes(("<div>" + "".join(paras) + "</div>").encode(), "f.html").plain
    assert plain.split("\n\n") == [
        "PRIME MINISTER: Good morning.", "JOURNALIST:", "JOURNALIST: Two labels in a row stay apart.",
        "Here is what I said:", "Nothing more.", "Ursula von der Leyen: Thank you.", "PM: Well, yes.\nJ: Why?",
    ]


def test_bold_runs_split_inside_words_are_not_spaced() -> None:
    data = ("<html><body><div>" + "<p><b>Q: W</b><b>hat is your comment on the 12</b><b>th round?</b></p>" * 3)
    plain = readers.read_bytes(data.encode(), "x.html").plain
    assert plain.startswith("Q: What is your comment on the 12th round?")


def test_chinese_source_line_breaks_are_not_spaces() -> None:
    data = "<!doctype html><p>问：中方对此\n有何评论？" + "我们注意到有关报道。" * 12 + "</p>"
    plain = readers.read_bytes(data.encode(), "zh.html").plain
    assert plain.startswith("问：中方对此有何评论？")


def test_declared_charset_is_honoured_when_not_utf8() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>' + "Déclaration du porte-parole. " * 5
    doc = readers.read_bytes(page.encode("cp1252"), "fr.html")
    assert doc.plain.startswith("Déclaration du porte-parole.")


# --- fragments and byte-string dumps ----------------------------------------------------


def test_fragment_keeps_all_text_and_title() -> None:
    doc = read("fragment.html")
    assert doc.format == "html"
    assert doc.plain.split("\n\n")[:3] == [
        "Press Gaggle by the Deputy Spokesperson, March 3, 2015",
        "Aboard the Ferry",
        "MS. HOLM:  Good afternoon.  A quick update on the schedule.",
    ]
    assert "Q    Is the visit still on?" in doc.plain
    assert "noon — weather" in doc.plain
    assert doc.metadata == {"title": "Press Gaggle by the Deputy Spokesperson, March 3, 2015", "date": "2015-03-03"}


def test_byte_string_dump_decodes_like_the_fragment(tmp_path: Path) -> None:
    html = (FIX / "fragment.html").read_text(encoding="utf-8")
    title, body = html.split("\n", 1)
    dump = title + "\n" + str(body.replace("&mdash;", "\u2014").encode("utf-8")) + "\n"
    assert "\\xe2\\x80\\x94" in dump and "\\n" in dump  # really the escaped form
    path = tmp_path / "17.html"
    path.write_text(dump, encoding="utf-8")
    assert readers.reader_for(path.read_bytes(), str(path)).name == "bytes-dump"
    doc = readers.read(path)
    assert doc.plain == read("fragment.html").plain
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_byte_dump_is_never_evaluated_as_code() -> None:
    with pytest.raises(InputError, match="not a complete one"):
        bytesdump.unescape_line("b'<p>' + __import__('os').getcwd()", "x", 2)
    with pytest.raises(InputError, match=r"x:2:"):
        readers.read_bytes(b"<h1>T</h1>\nb'<p>unterminated\n", "x")


# --- XML with HTML inside ---------------------------------------------------------------


def test_xml_record_text_and_metadata() -> None:
    doc = read("record.xml")
    assert doc.format == "xml"
    assert doc.plain == (  # the label alone in its paragraph is joined to its text
        "PRIME MINISTER: Good morning. The patrols start in April.\n\n"
        "JOURNALIST: Who pays for them?\n\nPRIME MINISTER: The port authority.\nIt was agreed last week."
    )
    meta = doc.metadata
    assert meta["title"] == "Doorstop interview, Harbour Hall"
    assert (meta["date"], meta["principal"]) == ("2024-03-05", "Anna Berg")
    assert meta["release_type"] == "Interview" and meta["transcript_id"] == "4242"


def test_xml_errors_name_the_line() -> None:
    with pytest.raises(InputError, match=r"x\.xml:3: not well-formed XML"):
        readers.read_bytes(b'<?xml version="1.0"?>\n<a>\n<b></a>\n', "x.xml")
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "xx">]>\n<a>&x;</a>\n'
    with pytest.raises(InputError, match="declares entities"):
        readers.read_bytes(bomb, "bomb.xml")


def test_xhtml_with_declaration_goes_to_the_html_reader() -> None:
    page = '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>' + "Text. " * 30
    assert readers.read_bytes(page.encode(), "p.xhtml").format == "html"


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_front_matter_and_plain_labels() -> None:
    doc = read("briefing.md")
    assert doc.format == "markdown"
    assert doc.metadata["title"] == "Press Briefing by Press Secretary Ola Nyhus"
    assert doc.metadata["date"] == "2024-03-05"
    assert doc.url == "https://ministry.example/briefings/2024-03-05"
    lines = doc.plain.split("\n")
    assert lines[0] == "James Hall Briefing Room"  # trailing hard-break spaces gone
    assert "MS. NYHUS:  Good afternoon.  I have one topline" in lines  # wrap kept, '\' gone
    assert "today, about the [draft] harbour plan." in lines  # escapes undone
    assert "PREGUNTA: ¿Y los costos?" in lines and "MS. NYHUS: See the plan for that." in lines
    assert "Q    Thanks, Ola.  Is the plan final?" in lines
    assert "![" not in doc.plain and "**" not in doc.plain and "\n\n\n" not in doc.plain


def test_markdown_without_front_matter_takes_title_from_wrapped_heading() -> None:
    md = (
        "#  Versión estenográfica. Conferencia de prensa del\npresidente, 2 de enero de 2020\n\n"
        "**MODERADORA:** Buenos días.\n\n**INTERLOCUTORA: **Gracias.\n\n"
        "**HUGO LÓPEZ-GATELL RAMÍREZ, SUBSECRETARIO\nDE SALUD:** Con gusto.\n"
    )
    doc = readers.read_bytes(md.encode(), "2020-01-02.md")
    # A file name is how an archive stores a file, not evidence of the event's date.
    assert doc.metadata == {
        "title": "Versión estenográfica. Conferencia de prensa del presidente, 2 de enero de 2020",
    }
    assert "\nMODERADORA: Buenos días.\n" in doc.plain
    assert "\nHUGO LÓPEZ-GATELL RAMÍREZ, SUBSECRETARIO DE SALUD: Con gusto." in doc.plain  # label on one line


def test_markdown_emphasis_does_not_eat_separators_or_snake_case() -> None:
    text = markdown.strip_markdown("* * *\n\nsee file_name_here and 2 * 3 * 4\n\n__Bold__ and _it_")
    assert text == "see file_name_here and 2 * 3 * 4\n\nBold and it"


def test_bad_front_matter_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"x\.md:\d+: front matter is not valid YAML"):
        readers.read_bytes(b"---\ntitle: [unclosed\n---\nBody\n", "x.md")


# --- PDF --------------------------------------------------------------------------------


def test_pdf_text_layer_and_info() -> None:
    data = make_pdf([["MODERATOR: Welcome.", "Q: Why now?"], ["MINISTER: Because."]], title="Harbour briefing")
    doc = readers.read_bytes(data, "briefing.bin")  # sniffed, whatever the name
    assert doc.format == "pdf"
    assert re.split(r"\n+", doc.plain) == ["MODERATOR: Welcome.", "Q: Why now?", "MINISTER: Because."]
    assert "\n\n" in doc.plain  # page break is a paragraph break
    # The creation date says when the file was made, not when the event was: never "date".
    assert doc.metadata == {"title": "Harbour briefing", "file_created": "2024-03-05"}


def test_pdf_running_headers_and_page_numbers_are_removed() -> None:
    body = ["MINISTER: Point 3 of the plan.", "Q: And the pilots?", "MINISTER: They start in May.", "Q: Thanks."]
    pages = [["March 5, 2024   Harbour Council Briefing   FINAL", f"Page {i} of 4", line, f"- {i} -"]
             for i, line in enumerate(body, start=1)]
    doc = readers.read_bytes(make_pdf(pages), "briefing.pdf")
    assert "FINAL" not in doc.plain and not re.search(r"Page \d of 4|- \d -", doc.plain)
    assert "MINISTER: Point 3 of the plan." in doc.plain  # "N of M" inside a sentence stays
    assert doc.metadata["running_header"] == "March 5, 2024 Harbour Council Briefing FINAL"
    assert "date" not in doc.metadata


def test_pdf_with_two_pages_keeps_its_first_lines() -> None:
    """Two pages that start alike are too few to call the line a running header."""
    doc = readers.read_bytes(make_pdf([["MINISTER: Welcome.", "Q: Why?"], ["MINISTER: Welcome.", "Q: When?"]]), "x.pdf")
    assert doc.plain.count("MINISTER: Welcome.") == 2


def test_pdf_without_text_layer_says_run_ocr() -> None:
    with pytest.raises(InputError, match="no text layer.*run OCR first"):
        readers.read_bytes(make_pdf([["ignored"]], text=False), "scan.pdf")


def test_broken_pdf_is_an_input_error() -> None:
    data = make_pdf([["Hello"]])
    with pytest.raises(InputError, match="not a readable PDF|no text layer"):
        readers.read_bytes(data[:200], "cut.pdf")


# --- captions ---------------------------------------------------------------------------


def test_webvtt_voices_become_labels_and_cues_point_into_plain() -> None:
    doc = read("captions.vtt")
    assert doc.format == "webvtt"
    assert doc.plain == (
        "Anna Berg: Good morning, everyone. The patrols start in April.\n\n"
        "Reporter: Who pays for them?\n\nThe port authority pays."
    )
    texts = [doc.plain[a:b] for a, b, _, _ in doc.cues]
    assert texts == [
        "Good morning, everyone.", "The patrols start in April.", "Who pays for them?", "The port authority pays.",
    ]
    assert [(s, e) for _, _, s, e in doc.cues] == [(1.0, 3.5), (3.5, 6.0), (6.2, 8.0), (8.1, 10.0)]
    assert doc.metadata == {"language": "en"}


def test_srt_chevrons_and_dashes_start_paragraphs() -> None:
    doc = read("captions.srt")
    assert doc.format == "srt"
    assert doc.plain.split("\n\n") == [
        "GOOD MORNING, EVERYONE. THE PATROLS START IN APRIL.", "Who pays?", "The port authority.",
    ]
    a, b, s, e = doc.cues[2]
    assert doc.plain[a:b] == "Who pays?\n\nThe port authority." and (s, e) == (6.0, 8.0)


def test_caption_timestamps() -> None:
    assert captions.seconds("01:02:03.500") == pytest.approx(3723.5)
    assert captions.seconds("02:03,25") == pytest.approx(123.25)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken-timing.srt", r"broken-timing\.srt:6: broken cue timing '00:00:03,000 -> 00:00:0x,500'"),
        ("backwards.vtt", r"backwards\.vtt:3: cue ends before it starts"),
    ],
)
def test_broken_caption_timings_name_the_line(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(name)


# --- sniffing by content ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [
        ("page.html", "html"), ("fragment.html", "html"), ("record.xml", "xml"),
        ("captions.vtt", "webvtt"), ("captions.srt", "srt"),
    ],
)
def test_format_is_sniffed_not_taken_from_the_name(tmp_path: Path, fixture: str, fmt: str) -> None:
    misnamed = tmp_path / "download.txt"
    misnamed.write_bytes((FIX / fixture).read_bytes())
    assert readers.read(misnamed).format == fmt


def test_front_matter_is_sniffed_without_md_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "briefing.txt"
    misnamed.write_bytes((FIX / "briefing.md").read_bytes())
    assert readers.read(misnamed).format == "markdown"


def test_plain_text_stays_text() -> None:
    doc = readers.read_bytes(b"Press conference\n\nMODERATOR: Good morning.\r\nQ: Hello?\n", "t.txt")
    assert doc.format == "text" and doc.plain == "Press conference\n\nMODERATOR: Good morning.\nQ: Hello?\n"


def test_registered_reader_can_go_first() -> None:
    from podium.readers import _READERS, Reader

    custom = Reader(name="shout", sniff=lambda head, path: head.startswith(b"SHOUT"),
                    read=lambda data, path: readers.read_bytes(data.lower()[5:], path))
    readers.register(custom, first=True)
    try:
        assert readers.reader_for(b"SHOUT<p>x</p><p>y</p>").name == "shout"
        assert readers.read_bytes(b"SHOUTHELLO", None).plain == "hello"
    finally:
        _READERS.remove(custom)


# --- robustness: any bytes give a Document or an InputError, never a crash ------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SIGNATURES = [
    b"", b"%PDF-1.4\n", b"WEBVTT\n\n", b"1\n00:00:01,000 --> ", b"<?xml version='1.0'?>\n<a>",
    b"---\ntitle: x\n---\n", b"<!doctype html><p>", b"<h1>T</h1>\nb'<p>", b"<p>x</p><div>",
]


# The suite runs a fixed set of examples (same every run, so CI cannot turn red by luck);
# PODIUM_FUZZ_EXAMPLES=5000 hunts with fresh random ones.
FUZZ_N = int(os.environ.get("PODIUM_FUZZ_EXAMPLES", "300"))
FUZZ_FIXED = "PODIUM_FUZZ_EXAMPLES" not in os.environ


@settings(max_examples=FUZZ_N, deadline=None, derandomize=FUZZ_FIXED, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SIGNATURES), st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_input_reads_or_is_an_input_error(prefix: bytes, rest: bytes) -> None:
    try:
        doc = readers.read_bytes(prefix + rest, "fuzz")
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.plain.strip()
        for a, b, s, e in doc.cues:
            assert 0 <= a <= b <= len(doc.plain) and s <= e


def test_front_matter_fields_outside_the_model_vocabulary_are_dropped() -> None:
    md = b"---\ntitle: T\nevent_type: presser\ndelivery: As delivered\nlocation: 12\n---\nMODERATOR: Hi.\n"
    doc = readers.read_bytes(md, "x.md")
    assert "event_type" not in doc.metadata
    assert doc.metadata["delivery"] == "as_delivered" and doc.metadata["location"] == "12"


def test_fragment_with_a_body_is_read_as_a_page() -> None:
    page = "<div>Site banner</div><body><nav><p>Menu item</p></nav><main>"
    page += "<p>MODERATOR: Welcome to this long enough press conference on harbours.</p>" * 3
    doc = readers.read_bytes(page.encode(), "odd.html")
    assert "Menu item" not in doc.plain and doc.plain.startswith("MODERATOR: Welcome")


def test_page_whose_html_tag_comes_late_is_still_a_page() -> None:
    page = "<!-- " + "x" * 5000 + " -->\n<!DOCTYPE html><html><body><nav><p>Menu item</p></nav><main>"
    page += "<p>MODERATOR: Welcome to this long enough press conference on harbours.</p>" * 3
    doc = readers.read_bytes(page.encode(), "late.html")
    assert "Menu item" not in doc.plain and doc.plain.startswith("MODERATOR: Welcome")


def test_turn_spans_map_to_cue_times() -> None:
    doc = read("captions.vtt")
    anna = doc.plain.index("Good morning"), doc.plain.index("\n\nReporter")
    assert captions.span_times(doc.cues, *anna) == (1.0, 6.0)
    last = doc.plain.index("The port authority")
    assert captions.span_times(doc.cues, last, len(doc.plain)) == (8.1, 10.0)
    assert captions.span_times(doc.cues, 0, doc.plain.index("Good")) is None  # the label itself


FIXTURES = [*sorted(p.name for p in FIX.iterdir()), "<made.pdf>"]


@settings(max_examples=FUZZ_N, deadline=None, derandomize=FUZZ_FIXED, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.integers(min_value=0, max_value=2000), st.binary(min_size=0, max_size=3),
       st.floats(min_value=0.0, max_value=1.0))
def test_damaged_fixtures_read_or_are_input_errors(name: str, at: int, junk: bytes, cut: float) -> None:
    data = make_pdf([["MODERATOR: Hi."], ["Q: Why?"]], title="T") if name == "<made.pdf>" else (FIX / name).read_bytes()
    at = at % (len(data) + 1)
    damaged = (data[:at] + junk + data[at + len(junk):])[: max(1, int(len(data) * cut))]
    try:
        doc = readers.read_bytes(damaged, name)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert doc.plain.strip()


def test_a_twice_escaped_entity_in_a_title_is_read(tmp_path: Path) -> None:
    """The Australian XML escapes some apostrophes twice (&amp;#146;): the title reads ’."""
    from tests.conftest import SHARED, need_shared

    need_shared()
    from podium.parse import parse_file

    t = parse_file(SHARED / "data" / "transcripts" / "australia_pm" / "transcripts" / "transcript-11059.xml")
    assert "MINISTER’S COURTYARD" in (t.metadata.title or "") and "&#" not in (t.metadata.title or "")
