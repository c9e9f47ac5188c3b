"""Export what the learner studies: words and review history as CSV, words as an Anki deck.

Only vocabulary is exported: the items the learner has review cards for (a unit's words get
cards when the unit is studied). Hangul letter cards are left out; they are not words.
"""

from __future__ import annotations

import csv
import html
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import genanki

from app.content.loader import REQUIRED_LANGS, Library
from app.domain.course import UnitRef, VocabItem
from app.domain.ports import ReviewStore
from app.domain.srs import VOCABULARY_FACETS, CardSpec, CardState, Facet, ReviewLogEntry
from app.domain.text import Text
from app.media.library import AudioLibrary

# Anki matches decks and note types by id: the same ids on every export (and on every device)
# make a re-import update the learner's deck instead of adding a second one. Both were drawn
# once at random from genanki's recommended range [2**30, 2**31) and must never change; a
# change to the note type's fields or templates needs a new ANKI_MODEL_ID.
ANKI_MODEL_ID: Final = 1_607_392_319
ANKI_DECK_ID: Final = 2_059_400_110
DECK_NAME: Final = "SSOC Korean"

FALLBACK_LANG: Final = "en"  # every item has English (content rule); used when `lang` is absent

# -- what the learner has studied ------------------------------------------------------------


@dataclass(frozen=True)
class StudiedItem:
    """A vocabulary item the learner has cards for, with each card's state by facet."""

    ref: UnitRef
    item_id: str
    vocab: VocabItem | None  # None when the library no longer has it (its course fails to load)
    states: Mapping[Facet, CardState]

    @property
    def full_id(self) -> str:
        """`course/unit/item`, stable forever like the content ids it is made of."""
        return self.ref.item(self.item_id)


def studied_items(library: Library, store: ReviewStore) -> list[StudiedItem]:
    """Items with at least one vocabulary card, in course order; items the library lacks last."""
    cards: dict[tuple[UnitRef, str], dict[Facet, CardState]] = {}
    for card_id, state in store.card_states().items():
        spec = CardSpec.parse(card_id)
        if spec.facet in VOCABULARY_FACETS:
            cards.setdefault((spec.ref, spec.item), {})[spec.facet] = state
    found: list[StudiedItem] = []
    for ref, vocab in _vocabulary(library):
        states = cards.pop((ref, vocab.id), None)
        if states is not None:
            found.append(StudiedItem(ref, vocab.id, vocab, states))
    # What is left belongs to content that is not loaded now (an invalid course, a removed
    # unit). The history is still the learner's, so it is exported, with empty content.
    found.extend(
        StudiedItem(ref, item, None, states) for (ref, item), states in sorted(cards.items())
    )
    return found


def _vocabulary(library: Library) -> Iterator[tuple[UnitRef, VocabItem]]:
    for course in library.courses:
        for unit in course.units:
            for vocab in unit.vocabulary:
                yield unit.ref, vocab


def _translation(text: Text, lang: str) -> str:
    """The translation into exactly `lang`, or "" (no fallback, no Korean)."""
    found = text.translations.get(lang)
    return found.text if found is not None else ""


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat()


# -- CSV -------------------------------------------------------------------------------------

_ITEM_COLUMNS: Final = (
    "course",
    "unit",
    "item",
    "korean",
    "pos",
    *(f"meaning_{lang}" for lang in REQUIRED_LANGS),
    "example_ko",
    *(f"example_{lang}" for lang in REQUIRED_LANGS),
)
_STATE_COLUMNS: Final = ("phase", "reps", "lapses", "due", "stability")
VOCABULARY_HEADER: Final = (
    *_ITEM_COLUMNS,
    *(f"{facet}_{column}" for facet in VOCABULARY_FACETS for column in _STATE_COLUMNS),
)
REVIEW_LOG_HEADER: Final = (
    "card_id",
    "rating",
    "rating_name",
    "reviewed_at",
    "device",
    "duration_ms",
    "review_id",
)


def export_csv(library: Library, store: ReviewStore, path: Path) -> int:
    """Write one row per studied word with its card states; returns the number of rows."""
    return _write_csv(path, VOCABULARY_HEADER, map(_vocabulary_row, studied_items(library, store)))


def export_review_log_csv(store: ReviewStore, path: Path) -> int:
    """Write one row per review, oldest first; returns the number of rows."""
    return _write_csv(path, REVIEW_LOG_HEADER, map(_review_row, store.review_logs()))


def _vocabulary_row(item: StudiedItem) -> list[str]:
    ref = item.ref
    content = _content_cells(item.vocab)
    states = [cell for facet in VOCABULARY_FACETS for cell in _state_cells(item.states.get(facet))]
    return [ref.course, ref.unit, item.item_id, *content, *states]


def _content_cells(vocab: VocabItem | None) -> list[str]:
    if vocab is None:
        return [""] * (len(_ITEM_COLUMNS) - 3)
    return [
        vocab.ko,
        vocab.pos,
        *(_translation(vocab.meaning, lang) for lang in REQUIRED_LANGS),
        vocab.example.ko or "",
        *(_translation(vocab.example, lang) for lang in REQUIRED_LANGS),
    ]


def _state_cells(state: CardState | None) -> list[str]:
    if state is None:  # this facet has no card (yet)
        return [""] * len(_STATE_COLUMNS)
    stability = state.memory.stability
    return [
        state.phase.value,
        str(state.reps),
        str(state.lapses),
        _iso(state.due),
        "" if stability is None else repr(stability),  # repr: the exact float, read back as is
    ]


def _review_row(entry: ReviewLogEntry) -> list[str]:
    duration = "" if entry.duration_ms is None else str(entry.duration_ms)
    rating = entry.rating
    return [
        entry.card_id,
        str(int(rating)),
        rating.name.lower(),
        _iso(entry.reviewed_at),
        entry.device_id,
        duration,
        entry.id,
    ]


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    # utf-8-sig starts the file with a byte order mark: without it Excel reads a CSV in the
    # system's legacy code page and shows Korean (and Vietnamese, Chinese) as mojibake; with
    # it, Excel, LibreOffice and Python's "utf-8-sig" all read UTF-8. newline="" lets the csv
    # module write its own line ends (and keep newlines inside quoted cells intact).
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


# -- Anki ------------------------------------------------------------------------------------

ANKI_FIELDS: Final = ("Korean", "Meaning", "Example", "ExampleMeaning", "Audio")
_MEANING: Final = '<div class="meaning">{{Meaning}}</div>'
_KOREAN: Final = '<div class="ko">{{Korean}}</div>'
_EXAMPLE: Final = (
    '<div class="ko example">{{Example}}</div><div class="example-meaning">{{ExampleMeaning}}</div>'
)
_ANSWER: Final = '{{FrontSide}}<hr id="answer">'
_CSS: Final = """\
.card { font-family: "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
        font-size: 22px; text-align: center; }
.ko { font-size: 32px; }
.example { font-size: 22px; margin-top: 12px; }
.example-meaning { color: #666; font-size: 18px; }
"""
# Audio is on the front of Recognise (hear the word as it is read) and only on the back of
# Produce, where hearing it first would give the answer away.
_MODEL: Final = genanki.Model(
    ANKI_MODEL_ID,
    "SSOC Korean vocabulary",
    fields=[{"name": name} for name in ANKI_FIELDS],
    templates=[
        {
            "name": "Recognise",
            "qfmt": _KOREAN + "{{Audio}}",
            "afmt": _ANSWER + _MEANING + _EXAMPLE,
        },
        {
            "name": "Produce",
            "qfmt": _MEANING,
            "afmt": _ANSWER + _KOREAN + "{{Audio}}" + _EXAMPLE,
        },
    ],
    css=_CSS,
)


def export_anki(
    library: Library,
    store: ReviewStore,
    path: Path,
    lang: str = FALLBACK_LANG,
    audio: AudioLibrary | None = None,
) -> int:
    """Write an Anki package of the studied words (two cards each); returns the number of notes.

    Meanings are in `lang`, or English where `lang` has none. Each note's GUID comes from the
    item's full id, so importing a later export updates the notes instead of duplicating them.
    Review history is not included: genanki cannot write Anki's review log (revlog) or card
    scheduling, so the cards arrive in Anki as new; the history is in export_review_log_csv.
    """
    deck = genanki.Deck(ANKI_DECK_ID, DECK_NAME, description="Words studied in SSOC Korean.")
    media: dict[str, Path] = {}  # by file name: a word taught in two courses has one clip
    words = [(item, item.vocab) for item in studied_items(library, store) if item.vocab]
    for position, (item, vocab) in enumerate(words):
        clip = _clip_file(audio, vocab.ko)
        if clip is not None:
            media[clip.name] = clip
        deck.add_note(_note(item, vocab, lang, clip, position))
    _write_package(genanki.Package(deck), list(media.values()), path)
    return len(words)


def _note(
    item: StudiedItem, vocab: VocabItem, lang: str, clip: Path | None, position: int
) -> genanki.Note:
    # Fields are HTML in Anki: text is escaped so "&" or "<" in a gloss shows as written.
    fields = [
        html.escape(vocab.ko),
        html.escape(_meaning(vocab.meaning, lang)),
        html.escape(vocab.example.ko or ""),
        html.escape(_meaning(vocab.example, lang)),
        "" if clip is None else f"[sound:{clip.name}]",
    ]
    return genanki.Note(
        model=_MODEL,
        fields=fields,
        guid=genanki.guid_for(item.full_id),
        tags=[f"ssoc::{item.ref.course}::{item.ref.unit}"],
        due=position,  # new cards come up in course order, as the app teaches them
    )


def _meaning(text: Text, lang: str) -> str:
    """The translation into `lang`, falling back to English."""
    return _translation(text, lang) or _translation(text, FALLBACK_LANG)


def _clip_file(audio: AudioLibrary | None, text: str) -> Path | None:
    """The normal-speed clip file of a Korean text, or None when it is not built."""
    return audio.clip_file(text) if audio is not None else None


def _write_package(package: genanki.Package, media: Sequence[Path], path: Path) -> None:
    """Write an .apkg the way genanki's write_to_file does, cleaning up after itself."""
    # genanki's write_to_file leaves its temporary SQLite file behind in /tmp on every call, and
    # writes the target in place; here the collection lives in a temporary folder that is
    # removed, and the package is renamed into place so a failed export leaves no broken file.
    # The timestamp is now: Anki's importer updates a note only when the incoming one is newer.
    timestamp = time.time()
    with tempfile.TemporaryDirectory(prefix="ssoc-export-") as work:
        collection = Path(work) / "collection.anki2"
        with closing(sqlite3.connect(collection)) as connection:
            ids = itertools.count(int(timestamp * 1000))
            package.write_to_db(connection.cursor(), timestamp, ids)
            connection.commit()
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            _zip_package(partial, collection, media)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def _zip_package(target: Path, collection: Path, media: Sequence[Path]) -> None:
    """The .apkg layout: collection.anki2, a `media` map of number -> name, files by number."""
    with zipfile.ZipFile(target, "w") as out:
        out.write(collection, "collection.anki2")
        out.writestr("media", json.dumps({str(n): file.name for n, file in enumerate(media)}))
        for number, file in enumerate(media):
            out.write(file, str(number))
