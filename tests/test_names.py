"""One name module: folding, slugs, person keys and which labels name a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.errors import StyleError
from podium.names import (
    LABEL_KINDS,
    NameKey,
    fold,
    is_person_name,
    label_data,
    label_kind,
    name_key,
    outlet_keys,
    slugify,
    spelling_key,
)
from podium.parse import _text


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hua Chunying", "hua-chunying"),
        ("陆慷", "陆慷"),
        ("José López Obrador", "jose-lopez-obrador"),
        ("Jonas Gahr Støre", "jonas-gahr-store"),
        ("Jean-Yves Le Drian", "jean-yves-le-drian"),
        ("Secretary-General Jens Stoltenberg (NATO)", "secretary-general-jens-stoltenberg-nato"),
        ("김정은", "김정은"),
        ("…", ""),
    ],
)
def test_slugs_keep_every_script_and_fold_latin_accents(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_parser_and_store_share_one_slug_and_key() -> None:
    for name in ("Jens Stoltenberg", "陆慷", "Andrés Manuel López Obrador"):
        assert _text.slugify(name) == slugify(name)
        assert _text.name_key(name) == spelling_key(name)
    assert _text.slugify("…") == "speaker"  # a participant id is never empty
    assert _text.name_key("  JOSÉ   López ") == _text.name_key("jose lopez")


def test_fold_keeps_marks_of_other_scripts() -> None:
    assert fold("Müller") == "muller"
    assert fold("हिन्दी") == "हिन्दी"  # vowel signs are part of the letters
    assert fold("한국") == "한국"  # Hangul stays composed


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Press Secretary Psaki", NameKey(None, "psaki")),
        ("华春莹", NameKey(None, "华春莹")),
        ("Beto O'Rourke", NameKey("beto", "o'rourke")),
        ("Q", None),
    ],
)
def test_name_keys(label: str, key: NameKey | None) -> None:
    assert name_key(label) == key


def test_outlet_keys_with_and_without_the() -> None:
    assert outlet_keys("The Paper") == ("the paper", "paper")
    assert outlet_keys("Reuters") == ("reuters", "the reuters")


@pytest.mark.parametrize(
    "name",
    ["陆慷", "华春莹", "Jean-Yves Le Drian", "Ylan Mui", "Duisenberg", "MS. PSAKI", "Mr. Smith",
     "Jens Stoltenberg, Secretary General", "José Eduardo dos Santos", "President von der Leyen",
     "Andrés Manuel López Obrador", "Tô Lâm"],
)
def test_real_names_are_person_names(name: str) -> None:
    assert is_person_name(name)


@pytest.mark.parametrize(
    "label",
    [
        # en
        "Q", "Q:", "QUESTION", "Question", "Follow-up", "Remark", "Journalist", "Reporter", "Moderator",
        "Operator", "Interpreter", "Unidentified speaker", "QUESTION (Reuters)",
        # es
        "Pregunta", "PREGUNTA", "Interlocutora", "INTERLOCUTOR", "Intervención", "INTERVENCION",
        # zh
        "问", "答", "追问", "记者", "主持人",
        # fragments, digits, lists of words
        "NAFTA. Question", "Or Reuters", "For President Lagarde", "Is that right?", "Reporter 2",
        "Senior State Department Official One", "MINISTER FOR HEALTH", "On Greece",
        "the man in the back row with the blue shirt on", "",
    ],
)
def test_role_labels_and_fragments_are_not_person_names(label: str) -> None:
    assert not is_person_name(label)


def test_outlets_are_not_person_names_when_known() -> None:
    outlets = ["AFP", "Agence France-Presse", "The Paper", "Beijing Youth Daily"]
    for name in ("Afp", "the Paper", "Paper", "BEIJING YOUTH DAILY"):
        assert is_person_name(name) and not is_person_name(name, outlets)
    assert is_person_name("Ylan Mui", outlets)


def test_labels_come_from_every_language_file() -> None:
    data = label_data()
    assert {"question", "pregunta", "答"} <= data.all_labels
    assert label_kind("QUESTION:") == "journalist" and label_kind("Moderadora") == "moderator"
    assert label_kind("Jen Psaki") is None


def test_a_new_language_file_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "de.toml").write_text(
        "abbreviations = ['Hr']\n[labels]\n" + "".join(f"{k} = []\n" for k in LABEL_KINDS[1:])
        + "journalist = ['Frage', 'Zusatzfrage']\n",
        encoding="utf-8",
    )
    data = label_data(tmp_path)
    assert data.labels["journalist"] == {"frage", "zusatzfrage"} and "hr" in data.abbreviations


def test_a_malformed_labels_table_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text("[labels]\njournalist = 'Q'\n", encoding="utf-8")
    with pytest.raises(StyleError, match="xx.toml labels.journalist: expected a list of strings"):
        label_data(tmp_path)
