"""Layout induction and label reading on institutions no house style was written for.

Real transcripts from ``../shared`` (the Fed, the ECB, the State Department) and small texts
written for these tests (a German government press conference's layout).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.parse import parse_document, parse_file
from podium.parse import style as styles
from podium.parse.introductions import handoff_introduction, self_introduction
from podium.parse.labels import label_shape, read_label
from podium.readers import read_bytes
from tests.conftest import SHARED, need_shared

BASE = styles.get("base.v1")
TRANSCRIPTS = SHARED / "data" / "transcripts"


@pytest.mark.parametrize("raw", ["Zur Grundprämisse", "On TLTRO", "Herr Hille, nur zur Klarstellung",
                                 "To conclude", "U.S", "And my second question is"])
def test_phrases_ending_in_a_colon_are_no_labels(raw: str) -> None:
    assert not label_shape(raw, BASE)


@pytest.mark.parametrize("raw", ["CHAIR POWELL", "MR PRICE", "Giese (AA)", "Frage", "SRS Hille", "Draghi",
                                 "EXTERNAL AFFAIRS MINISTER JAISHANKAR", "华春莹", "LE PRÉSIDENT"])
def test_label_shapes(raw: str) -> None:
    assert label_shape(raw, BASE)


def test_labels_read_by_their_words() -> None:
    r = read_label("EXTERNAL AFFAIRS MINISTER JAISHANKAR", BASE)
    assert (r.title, r.surname, r.role) == ("External Affairs Minister", "Jaishankar", None)
    r = read_label("SENIOR STATE DEPARTMENT OFFICIAL ONE", BASE)
    assert r.name is None and r.surname is None and r.role == "official"
    r = read_label("MR PRICE", BASE)
    assert r.surname == "Price" and r.title is None
    r = read_label("Giese (AA)", BASE)
    assert (r.surname, r.outlet) == ("Giese", "AA")
    assert read_label("Zusatzfrage", BASE).role == "journalist"
    r = read_label("PIERRE-OLIVIER GOURINCHAS", BASE)
    assert r.name == "Pierre-Olivier Gourinchas"


def test_self_introductions_and_handoffs() -> None:
    assert self_introduction("Thank you.  Howard Schneider with Reuters.  Two questions") is not None
    said = self_introduction("Hi, it's Richard Partington from the Guardian. Can I ask")
    assert said is not None and (said.name, said.outlet) == ("Richard Partington", "the Guardian")
    said = self_introduction("Steve Liesman, CNBC.  Thank you for taking my question.")
    assert said is not None and (said.name, said.outlet) == ("Steve Liesman", "CNBC")
    assert self_introduction("Mr. Secretary, President Biden said that sanctions would") is None
    said = handoff_introduction("We’ll now turn to questions.  We will start with Vivian Salama from The Wall Street Journal.")
    assert said is not None and (said.name, said.outlet) == ("Vivian Salama", "The Wall Street Journal")
    said = handoff_introduction("Let’s go to the line of Francesco Fontemaggi, please.")
    assert said is not None and said.name == "Francesco Fontemaggi"
    assert handoff_introduction("Perfect. Let's go to Teams.") is None


GERMAN = """Regierungspressekonferenz vom 3. Juni 2024

Vorsitzender Brandt

Guten Tag, meine Damen und Herren. Herr Oster beginnt mit den Terminen.

SRS Oster

Danke schön. Die Ministerin reist am Montag nach Lissabon.

Zur Grundprämisse:
Das Kabinett hat heute den Haushalt beraten.

Frage (Vogt)

Herr Oster, nur zur Klarstellung: Ist die Reise schon bestätigt?

SRS Oster

Ja, sie ist bestätigt.

Zusatzfrage (Vogt)

Wann wird das Programm veröffentlicht?

SRS Oster

Morgen.

Frage

Eine Frage an das Auswärtige Amt: Gibt es neue Reisehinweise?

Haller (AA)

Nein, die Reisehinweise gelten unverändert.
"""


def test_labels_alone_on_their_line() -> None:
    t = parse_document(read_bytes(GERMAN.encode(), path="regpk.txt"))
    assert t.analysis["label_grammar"] == "own-line"
    assert t.metadata.language == "de"
    labels = [turn.label for turn in t.turns if turn.label]
    assert labels == ["Vorsitzender Brandt", "SRS Oster", "Frage (Vogt)", "SRS Oster", "Zusatzfrage (Vogt)",
                      "SRS Oster", "Frage", "Haller (AA)"]
    by_label = [turn for turn in t.turns if turn.label]
    assert [by_label[i].kind for i in (2, 4, 6)] == ["question"] * 3
    assert "Zur Grundprämisse:" in by_label[1].text  # a phrase with a colon stays in its turn
    vogt = [t.participant(e.asker) for e in t.exchanges[:2]]
    assert all(p is not None and p.name == "Vogt" for p in vogt)  # the follow-up keeps its asker


@pytest.mark.parametrize("name", sorted(p.name for p in TRANSCRIPTS.glob("fed_fomc/*.pdf")) if TRANSCRIPTS.exists() else [])
def test_every_fed_press_conference_reads_as_a_dialogue(name: str) -> None:
    need_shared()
    t = parse_file(TRANSCRIPTS / "fed_fomc" / name)
    assert t.analysis["label_grammar"] == "caps-period"
    assert len(t.turns) >= 30 and len(t.exchanges) >= 12
    principal = next(p for p in t.participants if p.role == "principal")
    assert principal.name in {"Bernanke", "Yellen", "Powell"}
    smith = [p for p in t.participants if p.name == "Michelle Smith"]
    assert all(p.role == "moderator" for p in smith)
    assert all(p.role != "journalist" for p in t.participants if p.name in {"Bernanke", "Yellen", "Powell"})


def test_fed_reporters_get_their_outlets() -> None:
    need_shared()
    t = parse_file(TRANSCRIPTS / "fed_fomc" / "FOMCpresconf20220615.pdf")
    outlets = {t.participant(e.asker).name: e.outlet for e in t.exchanges if t.participant(e.asker)}  # type: ignore[union-attr]
    assert outlets["Howard Schneider"] == "Reuters"
    assert outlets["Steve Liesman"] == "CNBC"


def test_unlabelled_questions_between_labelled_answers() -> None:
    need_shared()
    t = parse_file(TRANSCRIPTS / "ecb" / "press_conferences-46.txt")
    assert len(t.exchanges) >= 10
    first = t.turns[t.exchanges[0].question_turn]
    assert first.text.startswith("My first question is about the inflation forecast")
    assert {t.participant(e.answered_by[0]).name for e in t.exchanges if e.answered_by} == {"Lagarde"}  # type: ignore[union-attr]


def test_office_labels_become_the_people_the_page_names() -> None:
    need_shared()
    t = parse_file(TRANSCRIPTS / "us_state_department" / "blinken-kuleba-joint-press-availability-2022-02-22.html")
    names = {p.name for p in t.participants if p.role in ("principal", "official")}
    assert {"Antony J. Blinken", "Dmytro Kuleba"} <= names
    askers = {t.participant(e.asker).name for e in t.exchanges if t.participant(e.asker)}  # type: ignore[union-attr]
    assert "Vivian Salama" in askers


def test_reference_transcript_keeps_colon_grammar() -> None:
    need_shared()
    t = parse_file(SHARED / "data" / "seed" / "nato-2021-10-07-press-conference.txt")
    assert t.analysis["label_grammar"] == "colon"
    assert len(t.turns) == 17


def test_examples_sample_still_parses() -> None:
    t = parse_file(Path(__file__).parent.parent / "examples" / "sample-press-conference.txt")
    assert t.exchanges


@pytest.mark.parametrize(
    ("text", "name", "outlet"),
    [
        ("Kyodo News, Suzuki. I would like to ask about the visit.", "Suzuki", "Kyodo News"),
        ("(Online) Jiji Press, Nakamura. Regarding the summit, when", "Nakamura", "Jiji Press"),
        ("Thank you, sir. Priya Nair, Times of India. Sir, on trade", "Priya Nair", "Times of India"),
        ("It’s Justin Sink from Bloomberg. Thank you, Chair Powell.", "Justin Sink", "Bloomberg"),
        ("Good morning, Julia. Jean-Baptiste Ndiaye-Fall, Jeune Afrique. My question",
         "Jean-Baptiste Ndiaye-Fall", "Jeune Afrique"),
    ],
)
def test_self_introductions_in_either_order(text: str, name: str, outlet: str) -> None:
    said = self_introduction(text)
    assert said is not None and (said.name, said.outlet) == (name, outlet)


@pytest.mark.parametrize(
    ("text", "name", "outlet"),
    [
        ("Merci. Première question, Madame Sophie Lambert, de France 24, vous avez la parole.", "Sophie Lambert", "France 24"),
        ("Monsieur Karim Benali, de RFI.", "Karim Benali", "RFI"),
        ("Madame Inès Carvalho, de la RTBF.", "Inès Carvalho", "RTBF"),
    ],
)
def test_handoffs_with_a_link_word_after_a_comma(text: str, name: str, outlet: str) -> None:
    said = handoff_introduction(text)
    assert said is not None and (said.name, said.outlet) == (name, outlet)


def test_labels_with_the_office_first_or_misspelt() -> None:
    r = read_label("Official Spokesperson, Shri Kunal Mehrotra", BASE)
    assert (r.name, r.title) == ("Kunal Mehrotra", "Official Spokesperson")
    for raw in ("CHAIRIMAN POWELL", "CHAIMRAN POWELL"):  # typos of "Chairman" in a Fed transcript
        assert read_label(raw, BASE).surname == "Powell"
    assert read_label("CHRISTIAN POWELL", BASE).name == "Christian Powell"  # a name, not a typo
    assert read_label("LA MODÉRATRICE", BASE).role == "moderator"
    assert not label_shape("Sur la France, je vous réponds très simplement", BASE)


SHAPE_DOC = """Press Conference by Press Secretary TANAKA Hiroshi

Wednesday, April 9, 2025, 4:00 p.m.
Ministry of Foreign Affairs

Press Secretary TANAKA: Good afternoon. I have one announcement about next week's visit.

Q: Kyodo News, Suzuki. When will the visit be announced?

A: The dates will be announced in due course.

Q: (Online) Jiji Press, Nakamura. Will trade be discussed?

A: Trade will certainly be one of the topics.
"""


def test_a_document_in_another_house_shape_gets_no_house_style() -> None:
    # "A:"/"Q:" is China MFA's shape too, but nothing here names that ministry: the base style
    # reads it, "A:" is the one principal the title names, and "(Online)" is a remote asker.
    t = parse_document(read_bytes(SHAPE_DOC.encode(), "briefing.txt"))
    assert t.analysis["style"] == "base.v1"
    assert t.metadata.organisation == "Ministry of Foreign Affairs"
    assert t.metadata.date == "2025-04-09"
    assert t.metadata.principal == "TANAKA Hiroshi"
    assert {t.participant(turn.speaker).name for turn in t.turns if turn.kind == "answer"} == {"TANAKA Hiroshi"}  # type: ignore[union-attr]
    askers = [(t.participant(e.asker).name, e.outlet, e.channel) for e in t.exchanges]  # type: ignore[union-attr]
    assert askers == [("Suzuki", "Kyodo News", None), ("Nakamura", "Jiji Press", "remote")]


@pytest.mark.parametrize(
    ("text", "name", "outlet"),
    [
        ("Okay. Let's go to Marcus Feld, Defense One.", "Marcus Feld", "Defense One"),  # a full name, then its outlet
        ("We'll start with Tara Lindqvist, AP.", "Tara Lindqvist", "AP"),
        ("Okay. Jim, go ahead with Ukraine.", "Jim", None),  # the name first, the hand-off after
        ("Here in the room with Jonas Holm from Reuters. Jonas, please go ahead.", "Jonas Holm", "Reuters"),
        ("En primer lugar, Ana Ruiz, de EFE.", "Ana Ruiz", "EFE"),
        ("Gracias. Jordi Puig, de La Vanguardia.", "Jordi Puig", "La Vanguardia"),  # the article is the outlet's
    ],
)
def test_handoffs_name_first_or_outlet_last(text: str, name: str, outlet: str | None) -> None:
    said = handoff_introduction(text)
    assert said is not None and (said.name, said.outlet) == (name, outlet)


def test_handoffs_that_are_no_people() -> None:
    assert handoff_introduction("All right.  Oh, go ahead.") is None  # an interjection
    assert handoff_introduction("PARTIAL TRANSCRIPT OF PRESS CONFERENCE WITH LOCAL MEDIA,") is None  # a heading
    # An answer that mentions an institution on its way is no hand-off; one that ends naming is.
    answer = "The second Belt and Road Forum for International Cooperation will be held in Beijing next week."
    assert handoff_introduction(answer, at_end=True) is None
    said = handoff_introduction("That is the plan. Let me go to the phone. Nadia Kessler, Breaking Defense.", at_end=True)
    assert said is not None and (said.name, said.outlet) == ("Nadia Kessler", "Breaking Defense")


def test_self_introductions_with_an_article_and_no_institutions() -> None:
    said = self_introduction("Hola, buenos días. Lucía Prado, de la Cadena SER. Ministra, ¿tienen fecha?")
    assert said is not None and (said.name, said.outlet) == ("Lucía Prado", "Cadena SER")
    assert self_introduction("Presidente, el\nInstituto Nacional de la Transparencia decidió ayer") is None
    assert self_introduction("Disculpe, de las 868 personas bloqueadas, ¿cuántos son?") is None


def test_ranks_offices_and_particles_in_labels() -> None:
    r = read_label("LT. GEN. VICTOR OYELARAN", BASE)
    assert (r.name, r.title) == ("Victor Oyelaran", "Lt. Gen.")
    r = read_label("COLONEL ELTON", BASE)
    assert (r.surname, r.title) == ("Elton", "Colonel")  # an office: the speaker is an official
    r = read_label("Secretario de Estado de Comunicación", BASE)
    assert r.name is None and r.surname is None and r.role == "official"
    r = read_label("Secretary of State Antony Blinken", BASE)
    assert (r.name, r.title) == ("Antony Blinken", "Secretary of State")
    r = read_label("President von der Leyen", BASE)
    assert r.surname is None and r.name == "von der Leyen"


SPANISH_DASH = """Rueda de prensa posterior al Consejo de Ministros

Comparecen: la ministra portavoz, Elena Marín Sotomayor, y el ministro de Hacienda, Tomás Ferrer Gil.

**Sra. Marín.-** Buenos días. El Consejo ha aprobado hoy tres reales decretos.

**Sr. Ferrer.-** Gracias, ministra. Empiezo por el primero.

**Secretaria de Estado de Comunicación.-** Gracias. Primera pregunta, Raúl Soto, de Europa Press.

**P.-** Buenos días. ¿Cuándo se aprobarán los presupuestos?

**Sra. Marín.-** En septiembre, como dijimos.

**Secretaria de Estado de Comunicación.-** Siguiente, Marta Gil, de la Cadena SER.

**P.-** Hola. Marta Gil, de la Cadena SER. ¿Y la financiación autonómica?

**Sr. Ferrer.-** Estamos trabajando en ello.
"""


def test_labels_closed_by_a_stop_and_a_dash() -> None:
    """Spanish-language governments print "Sra. Marín.-" and "P.-": the dash grammar, honorific
    labels expanded to the full two-surname names the page prints, self-introductions."""
    t = parse_document(read_bytes(SPANISH_DASH.encode(), "rueda.md"))
    assert t.analysis["label_grammar"] == "dash"
    labelled = [turn for turn in t.turns if turn.label]
    names = [p.name if (p := t.participant(turn.speaker or "")) else None for turn in labelled]
    assert names[:2] == ["Elena Marín Sotomayor", "Tomás Ferrer Gil"]
    assert [turn.kind for turn in labelled] == [
        "statement", "statement", "moderation", "question", "answer", "moderation", "question", "answer"]
    askers = [t.participant(ex.asker) for ex in t.exchanges]
    assert [(a.name, a.outlet) for a in askers if a] == [("Raúl Soto", "Europa Press"), ("Marta Gil", "Cadena SER")]
    # A label that names only an office chairs the questions: it hands the floor, never answers.
    roles = {p.labels[0]: p.role for p in t.participants if p.labels}
    assert roles["Secretaria de Estado de Comunicación"] == "moderator"


def test_a_surname_label_is_the_full_name_labelled_elsewhere() -> None:
    text = ("Press briefing\n\nLT. GEN. VICTOR OYELARAN: Thanks. Three points.\n\nQ: How many troops?\n\n"
            "GEN. OYELARAN: About 2,300.\n\nQ: And ships?\n\nGEN. OYELARAN: Two.\n")
    t = parse_document(read_bytes(text.encode(), "brief.txt"))
    speakers = {t.participant(turn.speaker).name for turn in t.turns if turn.kind != "question"}  # type: ignore[union-attr]
    assert speakers == {"Victor Oyelaran"}


TRADITIONAL = """外交部例行記者會

外交部今日舉行例行記者會，由發言人周文華主持，並邀請亞太司司長吳建國出席說明。

發言人周文華：各位媒體朋友，午安。今天有一項宣布事項。

記者（聯合報）：請問發言人，部長下週是否出訪？

周發言人：謝謝提問。行程確定後會另行公布。

吳司長：我補充一點，相關安排仍在協調。

記者（聯合報）追問：那會不會經過東京？

周發言人：好，下一位。

記者：發言人好，我是中國時報記者黃美玲。請問援外預算是否增加？

周發言人：預算將依程序提出。
"""


def test_traditional_chinese_labels_offices_and_self_introductions() -> None:
    """Office before a name ("發言人周文華"), family name before an office ("周發言人",
    "吳司長") expanded from the page, outlets in full-width brackets, "我是…記者…"."""
    t = parse_document(read_bytes(TRADITIONAL.encode(), "briefing.txt"))
    names = {t.participant(turn.speaker).name for turn in t.turns if turn.kind in ("statement", "answer")}  # type: ignore[union-attr]
    assert names == {"周文華", "吳建國"}
    askers = [(t.participant(ex.asker).name, ex.outlet) for ex in t.exchanges]  # type: ignore[union-attr]
    assert askers[0][1] == "聯合報" and askers[1][1] == "聯合報"
    assert askers[-1] == ("黃美玲", "中國時報")
    assert t.metadata.event_type == "press_conference"


KEYED = """Health Agency

Press conference on the measles season
Lyon, 3 June 2025

Speaker key:
MS\tMarie Sorel, Communications
AN\tDr Anton Novak, Director
QL\tQuentin Laval

MS\tGood morning, and welcome. Dr Novak will open.

AN\tThank you, Marie. Cases fell by a third this spring.

MS\tThank you. Quentin, please go ahead.

QL\tQuentin Laval, Le Progrès. Why did cases fall?

AN\tVaccination, mostly.
"""


def test_initials_before_a_tab_read_through_a_speaker_key() -> None:
    t = parse_document(read_bytes(KEYED.encode(), "keyed.txt"))
    assert t.analysis["label_grammar"] == "tab"
    spoken = [(turn.label, t.participant(turn.speaker).name) for turn in t.turns if turn.label]  # type: ignore[union-attr]
    assert spoken == [("MS", "Marie Sorel"), ("AN", "Anton Novak"), ("MS", "Marie Sorel"),
                      ("QL", "Quentin Laval"), ("AN", "Anton Novak")]  # "AN" is initials, not the article
    assert (t.metadata.title, t.metadata.date) == ("Press conference on the measles season", "2025-06-03")


BYLINE = """PM remarks at a press conference on housing: 2 June 2025

From: Prime Minister's Office, 10 Downing Street and The Rt Hon Alan Pryce MP
Published 2 June 2025

PRIME MINISTER.  Good afternoon. Today we publish the housing plan.

HOST.  Questions. Priya.

JOURNALIST.  Priya Shah, ITV. When will the first homes be built?

PRIME MINISTER.  This year.
"""


def test_the_principal_named_only_in_a_byline() -> None:
    """An office label ("PRIME MINISTER.") is the one person the publisher's byline names."""
    t = parse_document(read_bytes(BYLINE.encode(), "pm.txt"))
    assert t.metadata.principal == "Alan Pryce"
    spoken = {t.participant(turn.speaker).name for turn in t.turns if turn.label == "PRIME MINISTER"}  # type: ignore[union-attr]
    assert spoken == {"Alan Pryce"}
