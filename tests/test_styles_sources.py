"""House styles on real transcripts from the seven shared sources.

Each expectation below was checked by reading the file; the files live in ../shared/data and
the tests skip (visibly) where that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from podium import Transcript, parse_file
from podium.model import Document
from podium.parse import parse_document
from podium.parse._text import sentences
from podium.parse.style import language

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "transcripts"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/transcripts is not here")


def _t(rel: str) -> Transcript:
    return parse_file(DATA / rel)


def _name(t: Transcript, pid: str | None) -> str | None:
    p = t.participant(pid)
    return p.name if p else None


@pytest.mark.parametrize(
    ("rel", "style"),
    [
        ("kremlin/62366.html", "kremlin.v1"),
        ("china_mfa/en/t1560357.html", "china_mfa.v1"),
        ("china_mfa/zh/t1561836.html", "china_mfa.v1"),
        ("mexico_mananeras/corpus/2020-02-04.md", "mexico_presidencia.v1"),
        ("australia_pm/transcripts/transcript-22569.xml", "australia_pm.v1"),
        ("whitehouse_obama_raw_fragments/1020.html", "whitehouse.v1"),
        ("whitehouse_trump_covid_taskforce/white_house_briefing_April-01-2020.html", "whitehouse.v1"),
    ],
)
def test_style_is_detected_from_content(rel: str, style: str) -> None:
    assert _t(rel).analysis["style"] == style


def test_office_labels_resolve_to_the_holder() -> None:
    trump = _t("whitehouse_trump_covid_taskforce/white_house_briefing_March-19-2020.html")
    by_label = {t.label: _name(trump, t.speaker) for t in trump.turns if t.label}
    assert by_label["THE PRESIDENT"] == "Donald Trump"
    assert by_label["THE VICE PRESIDENT"] == "Mike Pence"
    assert by_label["DR. HAHN"] == "Stephen Hahn"  # surname expanded from the text
    assert by_label["SURGEON GENERAL ADAMS"] == "Jerome Adams"  # from "Thank you, Jerome."
    psaki = _t("whitehouse_briefing_room/press-briefings/2021-02/"
               "2021-02-25-press-briefing-by-press-secretary-jen-psaki-february-25-2021.md")
    assert {_name(psaki, t.speaker) for t in psaki.turns if t.label == "MS. PSAKI"} == {"Jen Psaki"}
    assert psaki.metadata.principal == "Jen Psaki"
    china = _t("china_mfa/en/t1560357.html")
    assert {_name(china, t.speaker) for t in china.turns if t.label == "A"} == {"Lu Kang"}


def test_one_person_keeps_one_id_across_label_variants() -> None:
    t = _t("kremlin/62366.html")
    putin = {t.turns[i].speaker for i in range(len(t.turns)) if t.turns[i].label in
             ("President of Russia Vladimir Putin", "Vladimir Putin")}
    assert putin == {"vladimir-putin"}
    p = t.participant("vladimir-putin")
    assert p is not None and p.role == "principal" and p.title == "President of Russia"
    assert t.participant("dmitry-peskov").role == "moderator"  # type: ignore[union-attr]


def test_anonymous_questioners_and_introductions() -> None:
    obama = _t("whitehouse_obama_raw_fragments/1020.html")
    q = obama.participant(obama.turns[1].speaker)
    assert q is not None and q.name is None and q.role == "journalist"  # "Q" has no name
    first = obama.exchanges[0]  # "With that, I will go to questions. Ben Feller of The Associated Press."
    assert _name(obama, first.asker) == "Ben Feller" and first.outlet == "The Associated Press"
    kremlin = _t("kremlin/17173.html")  # "Question: Alexander Gamov. Radio, …"
    askers = {_name(kremlin, e.asker) for e in kremlin.exchanges}
    assert "Alexander Gamov" in askers
    psaki = _t("whitehouse_briefing_room/press-briefings/2021-03/"
               "2021-03-26-press-briefing-by-press-secretary-jen-psaki-march-26-2021.md")
    after_peter = [e for e in psaki.exchanges if psaki.turns[e.question_turn - 1].text.rstrip().endswith("Go ahead, Peter.")]
    assert after_peter and all(_name(psaki, e.asker) == "Peter" for e in after_peter)


def test_spanish_manana() -> None:
    t = _t("mexico_mananeras/corpus/2020-02-04.md")
    assert t.metadata.language == "es" and t.metadata.principal == "Andrés Manuel López Obrador"
    assert t.turns[0].text.startswith("Buenos días.")  # header and photo caption skipped
    by_label = {tu.label: tu for tu in t.turns}
    assert t.participant(by_label["INTERLOCUTORA"].speaker).role == "journalist"  # type: ignore[union-attr]
    duarte = [e for e in t.exchanges if _name(t, e.asker) == "Demian Duarte"]
    assert duarte, "self-introduction 'Demian Duarte, de …' attaches the name"
    # "¿Cómo está esta situación?, ¿cómo la van a manejar …?" is split at ¿…?
    qs = [q.text for e in t.exchanges for q in e.questions]
    assert any(q.startswith("¿") and q.endswith("?") for q in qs)


def test_chinese_page() -> None:
    t = _t("china_mfa/zh/t1561836.html")
    assert t.metadata.language == "zh" and t.metadata.principal == "陆慷"
    assert [tu.kind for tu in t.turns[:4]] == ["question", "answer", "question", "answer"]
    first = t.exchanges[0].questions
    assert [q.text[-1] for q in first] == ["？", "？"] and len(first) == 2


def test_chinese_sentence_splitter() -> None:
    text = "中方对此有何评论？我注意到有关报道。谢谢！好"
    spans = sentences(text, 0, len(text), language("zh"))
    assert [text[s:e] for s, e in spans] == ["中方对此有何评论？", "我注意到有关报道。", "谢谢！", "好"]


def test_press_statements_are_not_forced_into_questions() -> None:
    t = _t("kremlin/54046.html")  # "Press statements following Russian-Armenian talks"
    assert t.exchanges == [] and t.metadata.event_type == "speech"
    assert not any(tu.kind == "question" for tu in t.turns)
    qa = _t("kremlin/51551.html")  # "Press statements and answers to journalists' questions"
    assert qa.metadata.event_type == "press_conference" and qa.exchanges


def test_obama_q_glued_to_the_text() -> None:
    t = _t("whitehouse_obama_raw_fragments/468.html")  # "<p>QOn security assistance, …"
    assert t.turns[2].label == "Q" and t.turns[2].text.startswith("On security assistance")


def test_spanish_question_detection_on_a_small_text() -> None:
    plain = (
        "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR: Buenos días.\n\n"
        "PREGUNTA: Buenos días. Soy Ana Pérez, de Radio Fórmula. ¿Qué opina del informe? "
        "Quisiera saber si habrá cambios.\n\n"
        "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR: Sí, los habrá.\n"
    )
    t = parse_document(Document(plain=plain, sha256="0" * 64))
    assert t.analysis["style"] == "mexico_presidencia.v1" and t.metadata.language == "es"
    (ex,) = t.exchanges
    assert _name(t, ex.asker) == "Ana Pérez" and ex.outlet == "Radio Fórmula"
    assert [q.text for q in ex.questions] == ["¿Qué opina del informe?", "Quisiera saber si habrá cambios."]


def test_stage_direction_in_a_label_is_no_outlet() -> None:
    t = _t("kremlin/56378.html")  # "Vladimir Putin (Noise in the audience): …"
    putin = [p for p in t.participants if p.name == "Vladimir Putin"]
    assert len(putin) == 1 and putin[0].role == "principal" and putin[0].outlet is None
    assert not any(p.outlet and "noise" in p.outlet.lower() for p in t.participants)


@pytest.mark.parametrize(
    ("rel", "name", "outlet"),
    [  # "… Benjy Sarlin with NBC News. I …", "Bryant Harris, Defense News. Thank you"
        ("whitehouse_briefing_room/press-briefings/2021-05/2021-05-28-on-the-record-press-call-by-omb-acting-"
         "director-shalanda-young-and-cea-chair-cecilia-rouse-on-the-presidents-budget-for-fiscal-year-2022.md",
         "Benjy Sarlin", "NBC News"),
        ("whitehouse_briefing_room/press-briefings/2023-10/2023-10-20-on-the-record-press-call-with-omb-director-"
         "shalanda-young-and-national-security-advisor-jake-sullivan-on-the-supplemental-request-for-critical-"
         "national-security-funding-needs.md", "Bryant Harris", "Defense News"),
    ],
)
def test_an_outlet_ends_where_its_sentence_ends(rel: str, name: str, outlet: str) -> None:
    t = _t(rel)
    assert [p.outlet for p in t.participants if p.name == name] == [outlet]


def test_a_greeting_names_no_journalist() -> None:
    # "… Hi, Rachel." ends the turn before a question: Rachel asks, "Hi" is nobody
    t = _t("whitehouse_briefing_room/press-briefings/2021-03/"
           "2021-03-29-press-briefing-by-press-secretary-jen-psaki-march-29-2021.md")
    assert not any(p.name in ("Hi", "Hey", "Oh") or p.outlet == "Rachel" for p in t.participants)
