"""Export to CSV and Anki on real files: a real store, the real Level 1 Unit 1, real packages."""

import codecs
import csv
import json
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import genanki
import pytest

from app.content.loader import Library, load_library
from app.domain.course import CourseId, Unit, UnitId
from app.domain.srs import CardSpec, Facet, Rating, ReviewLogEntry, cards_for_unit
from app.export import (
    ANKI_DECK_ID,
    ANKI_MODEL_ID,
    DECK_NAME,
    REVIEW_LOG_HEADER,
    VOCABULARY_HEADER,
    export_anki,
    export_csv,
    export_review_log_csv,
)
from app.media.library import AudioLibrary
from app.store.db import DB_NAME, open_database
from app.store.repository import SqlStore

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
V01 = "level1/u01/v01"
REVIEWS = [  # (card id, rating, when, device)
    (f"{V01}:recognize", Rating.GOOD, T0, "phone"),
    (f"{V01}:recognize", Rating.GOOD, T0 + timedelta(days=1), "phone"),
    (f"{V01}:produce", Rating.AGAIN, T0, "phone"),
    ("level1/u01/v03:listen", Rating.EASY, T0 + timedelta(hours=2), "tablet"),
]


@pytest.fixture
def library(unit1_lessons: Path) -> Library:
    return load_library(unit1_lessons)


@pytest.fixture
def unit(library: Library) -> Unit:
    return library.course("level1").unit("u01")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, unit: Unit) -> Iterator[SqlStore]:
    """Unit 1 studied (75 cards) and four reviews on two devices."""
    database = open_database(data_dir / DB_NAME)
    store = SqlStore(database)
    store.ensure_cards(cards_for_unit(unit), T0)
    for n, (card_id, rating, at, device) in enumerate(REVIEWS):
        store.record_review(
            ReviewLogEntry(f"00000000-0000-4000-8000-{n:012d}", card_id, rating, at, device, 1200)
        )
    yield store
    database.engine.dispose()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        return list(csv.DictReader(source))


@dataclass
class Apkg:
    names: set[str]
    media: dict[str, str]
    notes: list[tuple[str, list[str], str]]  # guid, fields, tags; in the order they were added
    cards: list[tuple[int, int, int]]  # note id, template ord, deck id
    models: dict[str, Any]
    decks: dict[str, Any]

    def field(self, name: str) -> list[str]:
        index = [f["name"] for f in self.models[str(ANKI_MODEL_ID)]["flds"]].index(name)
        return [fields[index] for _guid, fields, _tags in self.notes]


def read_apkg(path: Path) -> Apkg:
    """The package opened as Anki does: a zip with a SQLite collection and a media map."""
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        media = json.loads(package.read("media"))
        collection = path.with_suffix(".anki2")
        collection.write_bytes(package.read("collection.anki2"))
    with closing(sqlite3.connect(collection)) as db:
        notes = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        cards = db.execute("SELECT nid, ord, did FROM cards ORDER BY id").fetchall()
        models, decks = db.execute("SELECT models, decks FROM col").fetchone()
    return Apkg(
        names,
        media,
        [(guid, flds.split("\x1f"), tags) for guid, flds, tags in notes],
        cards,
        json.loads(models),
        json.loads(decks),
    )


def no_audio(tmp_path: Path) -> AudioLibrary:
    """An audio library over an empty folder: nothing built, as on a fresh install."""
    empty = tmp_path / "no-audio"
    empty.mkdir(exist_ok=True)
    return AudioLibrary(empty, tmp_path)


# -- CSV ---------------------------------------------------------------------------------------


def test_words_csv_has_a_row_per_studied_word_with_korean_intact_and_a_bom(
    library: Library, store: SqlStore, unit: Unit, tmp_path: Path
) -> None:
    out = tmp_path / "words.csv"
    assert export_csv(library, store, out) == 25
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    with out.open(encoding="utf-8-sig", newline="") as source:
        assert next(csv.reader(source)) == list(VOCABULARY_HEADER)
    rows = read_csv(out)
    assert [row["korean"] for row in rows] == [v.ko for v in unit.vocabulary]
    assert [row["item"] for row in rows] == [v.id for v in unit.vocabulary]
    first = rows[0]
    assert (first["course"], first["unit"], first["korean"], first["pos"]) == (
        "level1",
        "u01",
        "안녕하세요",
        "expression",
    )
    assert (first["meaning_en"], first["meaning_vi"], first["meaning_zh-Hans"]) == (
        "hello",
        "xin chào",
        "你好",
    )
    assert (first["example_ko"], first["example_en"]) == (
        "안녕하세요? 저는 투예요.",
        "Hello! I'm Thu.",
    )


def test_words_csv_carries_each_facets_state(
    library: Library, store: SqlStore, tmp_path: Path
) -> None:
    out = tmp_path / "words.csv"
    export_csv(library, store, out)
    rows = {row["item"]: row for row in read_csv(out)}
    states = store.card_states()
    recognized = states[f"{V01}:recognize"]
    v01 = rows["v01"]
    assert (v01["recognize_phase"], v01["recognize_reps"], v01["recognize_lapses"]) == (
        "review",
        "2",
        "0",
    )
    assert datetime.fromisoformat(v01["recognize_due"]) == recognized.due
    assert float(v01["recognize_stability"]) == recognized.memory.stability  # exact, not rounded
    assert (v01["produce_phase"], v01["produce_reps"]) == ("learning", "1")
    assert (
        v01["listen_phase"],
        v01["listen_reps"],
        v01["listen_due"],
        v01["listen_stability"],
    ) == ("new", "0", "", "")
    assert rows["v03"]["listen_phase"] == "review" and rows["v03"]["listen_reps"] == "1"


def test_letter_cards_are_left_out_and_words_the_lessons_lack_keep_their_history(
    library: Library, store: SqlStore, tmp_path: Path
) -> None:
    letter = CardSpec(CourseId("hangul"), UnitId("u01"), "g", Facet.READ)
    gone = CardSpec(CourseId("level2"), UnitId("u01"), "v01", Facet.RECOGNIZE)
    store.ensure_cards([letter, gone], T0)
    out = tmp_path / "words.csv"
    assert export_csv(library, store, out) == 26
    last = read_csv(out)[-1]
    assert (last["course"], last["unit"], last["item"], last["korean"]) == (
        "level2",
        "u01",
        "v01",
        "",
    )
    assert (last["recognize_phase"], last["produce_phase"]) == ("new", "")
    # The deck has no note without text to show.
    assert export_anki(library, store, tmp_path / "deck.apkg", "en", no_audio(tmp_path)) == 25


def test_review_log_csv_has_a_row_per_review(store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "reviews.csv"
    assert export_review_log_csv(store, out) == len(REVIEWS)
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    with out.open(encoding="utf-8-sig", newline="") as source:
        assert next(csv.reader(source)) == list(REVIEW_LOG_HEADER)
    rows = read_csv(out)
    found = [
        (
            row["card_id"],
            Rating(int(row["rating"])),
            datetime.fromisoformat(row["reviewed_at"]),
            row["device"],
        )
        for row in rows
    ]
    assert found == sorted(REVIEWS, key=lambda r: (r[2], r[3]))
    assert rows[0]["rating_name"] == "good" and rows[0]["duration_ms"] == "1200"
    assert all(row["reviewed_at"].endswith("+00:00") for row in rows)


# -- Anki --------------------------------------------------------------------------------------


def test_anki_package_has_a_note_per_word_and_two_cards_each(
    library: Library, store: SqlStore, unit: Unit, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    assert export_anki(library, store, out, "vi", no_audio(tmp_path)) == 25
    apkg = read_apkg(out)
    assert {"collection.anki2", "media"} <= apkg.names
    assert len(apkg.notes) == 25 and len(apkg.cards) == 50
    by_note: dict[int, set[int]] = {}
    for note_id, ordinal, deck_id in apkg.cards:
        by_note.setdefault(note_id, set()).add(ordinal)
        assert deck_id == ANKI_DECK_ID
    assert all(ordinals == {0, 1} for ordinals in by_note.values())
    model = apkg.models[str(ANKI_MODEL_ID)]
    assert [f["name"] for f in model["flds"]] == [
        "Korean",
        "Meaning",
        "Example",
        "ExampleMeaning",
        "Audio",
    ]
    assert [t["name"] for t in model["tmpls"]] == ["Recognise", "Produce"]
    assert apkg.decks[str(ANKI_DECK_ID)]["name"] == DECK_NAME
    assert apkg.field("Korean") == [v.ko for v in unit.vocabulary]
    assert apkg.field("Meaning")[:2] == ["xin chào", "tôi (khiêm tốn)"]
    assert apkg.field("ExampleMeaning")[0] == "Xin chào! Tôi là Thu."
    assert {tags.strip() for _g, _f, tags in apkg.notes} == {"ssoc::level1::u01"}


def test_without_built_audio_the_audio_field_is_empty_and_no_media_is_packed(
    library: Library, store: SqlStore, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    export_anki(library, store, out, "en", no_audio(tmp_path))
    apkg = read_apkg(out)
    assert apkg.field("Audio") == [""] * 25
    assert apkg.media == {} and apkg.names == {"collection.anki2", "media"}


def test_built_clips_are_packed_and_named_in_the_audio_field(
    library: Library, store: SqlStore, built: Path, tmp_path: Path
) -> None:
    audio = AudioLibrary(built, built.parent)  # four words of Unit 1, made by espeak-ng
    out = tmp_path / "deck.apkg"
    export_anki(library, store, out, "en", audio)
    apkg = read_apkg(out)
    sounds = dict(zip(apkg.field("Korean"), apkg.field("Audio"), strict=True))
    with_clip = {ko for ko in sounds if audio.clip(ko) is not None}
    assert with_clip == {"학생", "회사원", "나라", "이름"}
    assert {ko for ko, field in sounds.items() if field} == with_clip
    with zipfile.ZipFile(out) as package:
        packed = {name: package.read(number) for number, name in apkg.media.items()}
    assert {f"[sound:{name}]" for name in packed} == {sounds[ko] for ko in with_clip}
    for ko in with_clip:
        name = sounds[ko].removeprefix("[sound:").removesuffix("]")
        assert packed[name] == (built.parent / str(audio.clip(ko))).read_bytes()


def test_guids_are_stable_across_exports_so_a_reimport_updates(
    library: Library, store: SqlStore, unit: Unit, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_anki(library, store, first, "vi", no_audio(tmp_path))
    export_anki(library, store, second, "zh-Hans", no_audio(tmp_path))
    one, two = read_apkg(first), read_apkg(second)
    guids = [guid for guid, _f, _t in one.notes]
    assert guids == [guid for guid, _f, _t in two.notes]
    assert guids == [genanki.guid_for(f"level1/u01/{v.id}") for v in unit.vocabulary]
    assert len(set(guids)) == 25
    assert one.field("Meaning")[0] == "xin chào" and two.field("Meaning")[0] == "你好"


def test_meanings_fall_back_to_english(library: Library, store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    export_anki(library, store, out, "th", no_audio(tmp_path))  # Unit 1 has no Thai yet
    apkg = read_apkg(out)
    assert apkg.field("Meaning")[0] == "hello"
    assert apkg.field("ExampleMeaning")[0] == "Hello! I&#x27;m Thu."  # fields are HTML


def test_text_is_html_escaped_without_genanki_warnings(tmp_path: Path) -> None:
    # The real Life course glosses KIIP with "&"; pytest turns genanki's HTML warning into an error.
    from app.paths import LESSONS_DIR

    library = load_library(LESSONS_DIR)
    kiip = library.course("life").unit("kiip")
    database = open_database(tmp_path / DB_NAME)
    try:
        store = SqlStore(database)
        store.ensure_cards(cards_for_unit(kiip), T0)
        out = tmp_path / "deck.apkg"
        export_anki(library, store, out, "en", no_audio(tmp_path))
    finally:
        database.engine.dispose()
    meanings = read_apkg(out).field("Meaning")
    assert "KIIP, the Korea Immigration &amp; Integration Program" in meanings


def test_a_failed_export_leaves_no_file_behind(
    library: Library, store: SqlStore, tmp_path: Path
) -> None:
    out = tmp_path / "missing-folder" / "deck.apkg"
    with pytest.raises(OSError):
        export_anki(library, store, out, "en", no_audio(tmp_path))
    assert not out.parent.exists()


# -- command line ------------------------------------------------------------------------------


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_exports_the_learners_store(
    store: SqlStore, data_dir: Path, unit1_lessons: Path, tmp_path: Path
) -> None:
    deck, words, log = tmp_path / "deck.apkg", tmp_path / "words.csv", tmp_path / "log.csv"
    done = run_cli(
        "--lessons", unit1_lessons, "export", "--anki", deck, "--csv", words, "--log", log,
        "--lang", "vi", "--data-dir", data_dir, "--audio", tmp_path / "no-audio",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{words}: 25 words" in done.stdout
    assert f"{log}: 4 reviews" in done.stdout
    assert f"{deck}: 25 notes" in done.stdout
    assert len(read_csv(words)) == 25 and len(read_csv(log)) == 4
    apkg = read_apkg(deck)
    assert len(apkg.notes) == 25 and apkg.field("Meaning")[0] == "xin chào"


def test_cli_names_the_missing_progress_file(tmp_path: Path) -> None:
    out = tmp_path / "words.csv"
    done = run_cli("export", "--csv", out, "--data-dir", tmp_path / "nowhere")
    assert done.returncode == 1
    assert str(tmp_path / "nowhere" / DB_NAME) in done.stderr
    assert not (tmp_path / "nowhere").exists() and not out.exists()


def test_cli_asks_for_something_to_write(data_dir: Path) -> None:
    done = run_cli("export", "--data-dir", data_dir)
    assert done.returncode == 2
    assert "--anki, --csv and/or --log" in done.stderr
