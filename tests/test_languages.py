"""Language detection from the language files' function words, and German/French question data."""

from __future__ import annotations

import tomllib

import pytest

from podium import readers
from podium.parse.languages import function_words, guess_language
from podium.parse.questions import is_question
from podium.parse.style import LANG_DIR, language
from tests.conftest import SHARED, need_shared

GERMAN = (
    "Herr Minister, die Bundesregierung hat gestern beschlossen, dass die Hilfen verlängert werden. "
    "Können Sie uns sagen, wie lange das dauern wird und was das für die Länder bedeutet? "
    "Wir haben mit den Partnern gesprochen, und auch die Kommission ist nicht dagegen. "
    "Gibt es dafür eine Mehrheit im Bundestag, oder ist das noch offen?"
)
FRENCH = (
    "Monsieur le Ministre, le gouvernement a annoncé hier des mesures pour les entreprises. "
    "Est-ce que vous pouvez nous dire quand elles entreront en vigueur dans les régions ? "
    "Nous avons discuté avec nos partenaires, et il ne s'agit pas d'une décision prise à la légère. "
    "Pourquoi ce calendrier, et qui paiera pour une telle réforme ?"
)


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (FRENCH, "fr")])
@pytest.mark.parametrize("default", ["en", "es"])
def test_german_and_french_paragraphs(text: str, code: str, default: str) -> None:
    assert guess_language(text, default) == code


def test_short_or_empty_text_keeps_the_default() -> None:
    assert guess_language("", "es") == "es"
    assert guess_language("Danke.", "en") == "en"


def _plain(relative: str) -> str:
    need_shared()
    return readers.read(SHARED / "data" / relative).plain


def test_shared_files_keep_their_language() -> None:
    mexico = sorted((SHARED / "data" / "transcripts" / "mexico_mananeras" / "corpus").glob("*.md"))[0]
    assert guess_language(_plain(str(mexico.relative_to(SHARED / "data"))), "en") == "es"
    assert guess_language(_plain("seed/nato-2021-10-07-press-conference.txt"), "es") == "en"
    mfa = sorted((SHARED / "data" / "transcripts" / "china_mfa" / "zh").glob("*.html"))[0]
    assert guess_language(_plain(str(mfa.relative_to(SHARED / "data"))), "en") == "zh"


def test_every_word_language_has_function_words() -> None:
    words = function_words()
    assert {"en", "es", "de", "fr"} <= {code for code, fw in words.items() if len(fw) >= 10}
    assert words["zh"] == frozenset()  # recognised by its CJK share instead


@pytest.mark.parametrize("code", ["de", "fr"])
def test_new_language_files_have_the_keys_of_english(code: str) -> None:
    def keys(c: str) -> set[str]:
        return set(tomllib.loads((LANG_DIR / f"{c}.toml").read_text(encoding="utf-8")))

    assert keys("en") - {"labels"} <= keys(code)
    data = tomllib.loads((LANG_DIR / f"{code}.toml").read_text(encoding="utf-8"))
    assert set(data["labels"]) == {"journalist", "moderator", "official", "other"}
    assert language(code).code == code


@pytest.mark.parametrize(
    ("code", "sentence", "asks"),
    [
        ("de", "Herr Berger, können Sie sagen, wann die Lieferung beginnt.", True),
        ("de", "Und gibt es dafür schon einen Zeitplan", True),
        ("de", "Ist es richtig, dass die Kosten gestiegen sind.", True),
        ("de", "Warum jetzt", True),
        ("de", "Ich würde gerne wissen, wer das bezahlt.", True),
        ("de", "Hören Sie mich?", False),
        ("de", "Herr Minister?", False),
        ("de", "Die Kosten sind gleich geblieben.", False),
        ("fr", "Madame Martin, est-ce que vous pouvez nous dire quand.", True),
        ("fr", "Pouvez-vous préciser le coût pour l'État.", True),
        ("fr", "Qu'est-ce que vous en pensez", True),
        ("fr", "M. le Ministre, la France va-t-elle signer.", True),
        ("fr", "Je voudrais savoir qui paiera.", True),
        ("fr", "Vous m'entendez ?", False),
        ("fr", "Monsieur le Président ?", False),
        ("fr", "Les mesures entreront en vigueur au mois de mars.", False),
        ("fr", "Rendez-vous est pris pour mars.", False),
    ],
)
def test_question_openers(code: str, sentence: str, asks: bool) -> None:
    assert is_question(sentence, language(code)) is asks
