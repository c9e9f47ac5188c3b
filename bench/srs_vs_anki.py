"""Benchmark: today's review queue and answering a card, our store against Anki's scheduler.

Run from the repository root (takes a few minutes; nothing is asserted, it prints a report):

    .venv/bin/python bench/srs_vs_anki.py [--cards 50000] [--logs 500000] [--runs 30]

It needs the `anki` package from PyPI, which is NOT a dependency of the app; install it in the
venv for the benchmark only:  .venv/bin/pip install anki

What it does, each step in a fresh child process so that peak RSS is per side:

1. ours-setup: a real SQLite store (`open_database` + `SqlStore`) in a temp dir with `--cards`
   cards (`ensure_cards`, unit by unit) and `--logs` review log entries over two years, inserted
   with bulk SQL, then `rebuild_states()` so every cached state is a real FSRS-6 state.
2. anki-setup: an equivalent Anki collection: one Basic note (one card) per card, the same review
   log as revlog rows, cards' type/queue/due/ivl set from our replayed states, FSRS switched on
   through the deck options (which computes every card's memory state from the revlog), new
   cards 10 a day and reviews 200 a day like the app.
3. ours-measure / anki-measure: open the file as the app would and time, `--runs` times,
   building today's queue, then answer `--answers` due cards one at a time (rating Good).

Ours builds the queue exactly as `Controller.review_queue` does (all card states, then
`due_queue` with `introduced_today`), and `SqlStore.queue_states` + the same `due_queue` (the
faster path). Anki keeps its queue in memory between calls, so each timed Anki build comes after
a trivial SQL write that makes the backend drop it (the cold build); the cached call is shown too.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUEUE_LIMIT = 200  # as Controller.review_queue
NEW_PER_DAY = 10  # as app.ui.controller.NEW_PER_DAY
DEVICES = ("bench-phone", "bench-pc")
FACETS = ("recognize", "listen", "produce")
UNITS = 100  # level1..level4, 25 units each
NEW_SHARE = 0.08  # cards introduced but never reviewed
TODAY_CARDS = 4  # cards whose first review is today (so new_introduced_today is not 0)


# -- helpers ---------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform says."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def rss_now_mib() -> float:
    """Resident set size right now (Linux), MiB."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux), MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(seconds: list[float]) -> dict[str, float]:
    """Median and 95th percentile (nearest rank) in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
    return {"median": statistics.median(ms), "p95": p95, "n": len(ms)}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def card_ids(count: int) -> list[tuple[str, str, str, str]]:
    """(course, unit, item, facet) for `count` vocabulary cards over 100 units of 4 levels."""
    per_unit = math.ceil(count / UNITS)
    specs = []
    for n in range(count):
        unit = n // per_unit
        item = (n % per_unit) // len(FACETS)
        specs.append(
            (
                f"level{1 + unit // 25}",
                f"u{unit % 25 + 1:02d}",
                f"v{item:04d}",
                FACETS[n % len(FACETS)],
            )
        )
    return specs


def rating_for_review(rng: random.Random, first: bool) -> int:
    """Ratings in the shares a typical Anki user gives: mostly Good, some Again."""
    roll = rng.random()
    if first:  # a card seen for the first time is forgotten more often
        return 1 if roll < 0.20 else 2 if roll < 0.30 else 3 if roll < 0.92 else 4
    return 1 if roll < 0.10 else 2 if roll < 0.15 else 3 if roll < 0.96 else 4


# -- our store -------------------------------------------------------------------------------


def ours_setup(work: Path, cards: int, logs: int, seed: int) -> dict[str, Any]:
    from sqlalchemy import insert

    from app.domain.course import CourseId, UnitId
    from app.domain.srs import CardSpec, Facet
    from app.store.db import open_database
    from app.store.models import ReviewLogRow
    from app.store.repository import SqlStore

    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = now - timedelta(days=730)
    end = now - timedelta(days=2)  # the bulk of first reviews ends two days ago
    db = open_database(work / "progress.db")
    store = SqlStore(db)
    specs = [CardSpec(CourseId(c), UnitId(u), item, Facet(f)) for c, u, item, f in card_ids(cards)]
    reviewed = cards - round(cards * NEW_SHARE)
    bulk = reviewed - TODAY_CARDS

    # First review of each reviewed card, in introduction order: spread over two years, then a
    # few today; a unit is introduced when its first card is first reviewed.
    first: list[datetime] = [
        start + (end - start) * (n / bulk) + timedelta(minutes=rng.uniform(0, 30))
        for n in range(bulk)
    ]
    first += [now - timedelta(minutes=30 + 5 * n) for n in range(TODAY_CARDS)][::-1]
    per_unit = math.ceil(cards / UNITS)
    timings: dict[str, float] = {}

    def introduce() -> None:
        for unit in range(UNITS):
            lo, hi = unit * per_unit, min(cards, (unit + 1) * per_unit)
            if lo >= hi:
                break
            if lo < reviewed:
                at = min(first[lo], now) - timedelta(minutes=1)
            else:  # units nobody has reviewed yet: introduced over the last two days
                at = end + (now - end) * ((lo - reviewed) / max(1, cards - reviewed))
            store.ensure_cards(specs[lo:hi], at)

    timings["ensure_cards"], _ = timed(introduce)

    # How many reviews each card has: older cards more (log of age), `logs` in all.
    weights = [math.log2(2 + (now - f).days) for f in first]
    total_weight = sum(weights)
    counts = [max(1, round(w * logs / total_weight)) for w in weights]
    counts[-TODAY_CARDS:] = [1] * TODAY_CARDS
    while sum(counts) != logs:
        n = rng.randrange(bulk)
        if sum(counts) < logs:
            counts[n] += 1
        elif counts[n] > 1:
            counts[n] -= 1

    def rows() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        growth = 1.8  # each gap about twice the one before, like real intervals
        for n, (f, k) in enumerate(zip(first, counts, strict=True)):
            card = specs[n].card_id
            # Reviews at f + span * (g^j - 1) / (g^k - 1), j < k; the k-th (not yet done) would
            # be at f + span, which is `ahead` of the way from the last review into the future.
            last = (growth**k - growth ** (k - 1)) / (growth**k - 1)  # share of the last gap
            ahead = rng.random()
            age = (now - timedelta(minutes=20) - f).total_seconds()
            span = age / (1 - last + ahead * last) if k > 1 else 0.0
            for j in range(k):
                offset = span * (growth**j - 1) / (growth**k - 1) if k > 1 else 0.0
                at = f + timedelta(seconds=offset + rng.uniform(0, 600))
                # The last answer is never Again: a lapsed card is relearnt in the same sitting.
                rating = rating_for_review(rng, j == 0)
                while rating == 1 and j == k - 1:
                    rating = rating_for_review(rng, j == 0)
                out.append(
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "card_id": card,
                        "rating": rating,
                        "reviewed_at": at.replace(tzinfo=None),  # naive UTC, as the store does
                        "device_id": DEVICES[0] if rng.random() < 0.8 else DEVICES[1],
                        "duration_ms": rng.randint(1500, 15000),
                    }
                )
        return out

    timings["generate_logs"], log_rows = timed(rows)
    log(f"ours: {len(log_rows):,} log rows generated")

    def bulk_insert(rows: list[dict[str, Any]]) -> None:
        with db.engine.begin() as connection:
            for lo in range(0, len(rows), 50_000):
                connection.execute(insert(ReviewLogRow), rows[lo : lo + 50_000])

    start_insert = time.perf_counter()
    bulk_insert(log_rows)
    timings["insert_logs"] = time.perf_counter() - start_insert
    del log_rows
    log("ours: logs inserted, rebuilding states")
    timings["rebuild_states"], rebuilt = timed(store.rebuild_states)
    states = store.card_states()
    due_now = sum(1 for s in states.values() if s.due is not None and s.due <= now)
    phases: dict[str, int] = {}
    for state in states.values():
        phases[state.phase.value] = phases.get(state.phase.value, 0) + 1
    db.engine.dispose()
    size = sum(p.stat().st_size for p in work.glob("progress.db*"))
    return {
        "timings": timings,
        "cards": rebuilt,
        "logs": logs,
        "due_now": due_now,
        "phases": phases,
        "db_bytes": size,
        "peak_rss_mib": peak_rss_mib(),
    }


def ours_measure(work: Path, runs: int, answers: int) -> dict[str, Any]:
    from app.domain.srs import Rating, ReviewLogEntry, due_queue, introduced_today
    from app.store.db import open_database
    from app.store.repository import SqlStore

    db = open_database(work / "progress.db")
    store = SqlStore(db)
    rss_open = rss_now_mib()

    def app_queue() -> list[str]:  # Controller.review_queue before queue_states
        now = datetime.now(UTC)
        states = store.card_states().values()
        return due_queue(
            states,
            now,
            limit=QUEUE_LIMIT,
            new_per_day=NEW_PER_DAY,
            new_introduced_today=introduced_today(states, now),
        )

    def fast_queue() -> list[str]:  # Controller.review_queue with queue_states
        now = datetime.now(UTC)
        states = store.queue_states(now, limit=QUEUE_LIMIT, new_limit=NEW_PER_DAY).values()
        return due_queue(
            states,
            now,
            limit=QUEUE_LIMIT,
            new_per_day=NEW_PER_DAY,
            new_introduced_today=introduced_today(states, now),
        )

    result: dict[str, Any] = {"rss_open_mib": rss_open}
    if hasattr(store, "queue_states"):  # first, so that its peak RSS is its own
        first, fast = timed(fast_queue)
        times = [timed(fast_queue)[0] for _ in range(runs)]
        result["queue_fast"] = {**summary(times), "first_ms": first * 1000, "length": len(fast)}
        result["peak_fast_mib"] = peak_rss_mib()
    first, queue = timed(app_queue)
    times = [timed(app_queue)[0] for _ in range(runs)]
    result["queue_app"] = {**summary(times), "first_ms": first * 1000, "length": len(queue)}
    result["card_states"] = summary([timed(store.card_states)[0] for _ in range(min(runs, 10))])
    result["peak_app_mib"] = peak_rss_mib()
    if "queue_fast" in result:
        result["same_queue"] = fast_queue() == queue
    due = queue[:answers]  # due cards come first in the queue
    times = []
    for n, card_id in enumerate(due):
        entry = ReviewLogEntry(
            str(uuid.uuid4()), card_id, Rating.GOOD, datetime.now(UTC), DEVICES[0], 4000 + n
        )
        times.append(timed(lambda entry=entry: store.record_review(entry))[0])
    result["answer"] = summary(times)
    result["peak_rss_mib"] = peak_rss_mib()
    db.engine.dispose()
    return result


# -- Anki ------------------------------------------------------------------------------------


def anki_setup(work: Path) -> dict[str, Any]:
    import sqlite3

    from anki.collection import AddNoteRequest, Collection
    from anki.deck_config_pb2 import UpdateDeckConfigsMode, UpdateDeckConfigsRequest
    from anki.decks import DeckId

    from app.domain.srs import Phase
    from app.store.db import open_database
    from app.store.repository import SqlStore

    timings: dict[str, float] = {}
    db = open_database(work / "progress.db")
    store = SqlStore(db)
    states = store.card_states()  # introduction order
    entries = store.review_logs()  # replay order
    db.engine.dispose()
    log(f"anki: read {len(states):,} cards and {len(entries):,} log entries from our store")

    path = work / "collection.anki2"
    col = Collection(str(path))
    # A collection made three years ago, so that two years of history have positive day numbers.
    col.db.execute("update col set crt = ?", int(time.time()) - 3 * 365 * 86400)
    notetype = col.models.by_name("Basic")
    assert notetype is not None

    def add_notes() -> list[int]:
        requests = []
        for card_id in states:
            note = col.new_note(notetype)
            note["Front"] = card_id
            note["Back"] = card_id.rsplit("/", 1)[-1]
            requests.append(AddNoteRequest(note=note, deck_id=DeckId(1)))
        col.add_notes(requests)
        return [int(r.note.id) for r in requests]

    timings["add_notes"], note_ids = timed(add_notes)
    by_note = dict(col.db.all("select nid, id from cards"))
    cid = {card_id: by_note[nid] for card_id, nid in zip(states, note_ids, strict=True)}
    col.close()
    col = Collection(str(path))
    today, cutoff = col.sched.today, col.sched.day_cutoff  # cutoff: when tomorrow starts
    col.close()
    now = time.time()

    def day_of(moment: datetime) -> int:
        """Anki's day number of an instant (days since creation, with its 4 a.m. rollover)."""
        return today + math.floor((moment.timestamp() - (cutoff - 86400)) / 86400)

    card_rows = []
    for card_id, state in states.items():
        memory = state.memory
        if memory.phase is Phase.NEW or memory.due is None:
            continue  # new: add_notes gave it its position in introduction order
        assert memory.last_review is not None
        ivl = max(1, round((memory.due - memory.last_review).total_seconds() / 86400))
        if memory.phase is Phase.REVIEW:
            kind, queue, due = 2, 2, day_of(memory.due)
        else:  # (re)learning: intraday by due time if it falls within a day, else by day
            kind = 1 if memory.phase is Phase.LEARNING else 3
            soon = memory.due.timestamp() < now + 86400
            queue, due = (1, int(memory.due.timestamp())) if soon else (3, day_of(memory.due))
            ivl = 0 if kind == 1 else ivl
        card_rows.append((kind, queue, due, ivl, 2500, state.reps, state.lapses, 1, cid[card_id]))

    revlog = []
    last_id = 0
    previous: dict[str, tuple[int, float]] = {}  # card -> (rating, time) of its last review
    for entry in sorted(entries, key=lambda e: (e.card_id, e.key)):
        stamp = entry.reviewed_at.timestamp()
        before = previous.get(entry.card_id)
        kind = 0 if before is None else 2 if before[0] == 1 else 1  # learn / relearn / review
        last_ivl = 0 if before is None else max(0, round((stamp - before[1]) / 86400))
        revlog.append(
            [
                int(stamp * 1000),
                cid[entry.card_id],
                -1,
                int(entry.rating),
                0,  # ivl: filled below from the gap to the next review
                last_ivl,
                2500,
                min(entry.duration_ms or 0, 60_000),
                kind,
            ]
        )
        previous[entry.card_id] = (int(entry.rating), stamp)
    for n in range(len(revlog) - 1):
        if revlog[n + 1][1] == revlog[n][1]:
            revlog[n][4] = revlog[n + 1][5]
    revlog.sort(key=lambda row: row[0])
    for row in revlog:  # revlog ids are milliseconds and must be unique
        row[0] = max(row[0], last_id + 1)
        last_id = row[0]

    def write_sql() -> None:
        # Anki's own DB proxy takes ~2 minutes for 500k rows; the file is plain SQLite.
        raw = sqlite3.connect(path)
        with raw:
            raw.executemany(
                "update cards set type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?,"
                " left=? where id=?",
                card_rows,
            )
            raw.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", revlog)
        raw.close()

    timings["write_cards_and_revlog"], _ = timed(write_sql)
    log(f"anki: {len(card_rows):,} cards scheduled, {len(revlog):,} revlog rows")

    col = Collection(str(path))
    update = col.decks.get_deck_configs_for_update(DeckId(1))
    config = update.all_config[0].config
    config.config.new_per_day = NEW_PER_DAY
    config.config.reviews_per_day = QUEUE_LIMIT
    request = UpdateDeckConfigsRequest(
        target_deck_id=1,
        configs=[config],
        mode=UpdateDeckConfigsMode.UPDATE_DECK_CONFIGS_MODE_NORMAL,
        card_state_customizer=update.card_state_customizer,
        limits=update.current_deck.limits,
        new_cards_ignore_review_limit=update.new_cards_ignore_review_limit,
        fsrs=True,  # what ticking FSRS in the deck options does
        apply_all_parent_limits=update.apply_all_parent_limits,
        fsrs_reschedule=False,
        fsrs_health_check=False,
    )
    timings["enable_fsrs"], _ = timed(lambda: col.decks.update_deck_configs(request))
    with_memory = col.db.scalar("select count() from cards where data like '%\"s\":%'")
    fsrs_on = bool(col.get_config("fsrs", False))
    due_today = col.db.scalar(
        "select count() from cards where (queue = 2 and due <= ?) or (queue = 1 and due <= ?)",
        today,
        int(now),
    )
    col.close()
    return {
        "timings": timings,
        "fsrs": fsrs_on,
        "cards_with_memory_state": with_memory,
        "due_today": due_today,
        "db_bytes": path.stat().st_size,
        "peak_rss_mib": peak_rss_mib(),
    }


def anki_measure(work: Path, runs: int, answers: int) -> dict[str, Any]:
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(work / "collection.anki2"))
    rss_open = rss_now_mib()

    def drop_queue() -> None:
        # Any write through the DB proxy makes the backend rebuild its queues on the next call.
        col.db.execute("update col set mod = mod")

    def cold(fetch: int) -> tuple[list[float], Any, float]:
        drop_queue()
        first, queued = timed(lambda: col.sched.get_queued_cards(fetch_limit=fetch))
        times = []
        for _ in range(runs):
            drop_queue()
            times.append(timed(lambda: col.sched.get_queued_cards(fetch_limit=fetch))[0])
        return times, queued, first

    result: dict[str, Any] = {"rss_open_mib": rss_open}
    times, queued, first = cold(QUEUE_LIMIT)
    result["queue_200"] = {**summary(times), "first_ms": first * 1000, "length": len(queued.cards)}
    result["counts"] = {
        "new": queued.new_count,
        "learning": queued.learning_count,
        "review": queued.review_count,
    }
    times, queued, first = cold(1)
    result["queue_1"] = {**summary(times), "first_ms": first * 1000}
    warm = [timed(lambda: col.sched.get_queued_cards(fetch_limit=1))[0] for _ in range(runs)]
    result["queue_cached"] = summary(warm)
    result["peak_queue_mib"] = peak_rss_mib()
    times = []
    for _ in range(answers):
        top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()

        def answer(card: Any = card, states: Any = top.states) -> None:
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
            )

        times.append(timed(answer)[0])
    result["answer"] = summary(times)
    result["peak_rss_mib"] = peak_rss_mib()
    col.close()
    return result


# -- the report ------------------------------------------------------------------------------


def run_phase(phase: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; its result is the JSON on its last stdout line."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--work",
        str(work),
        "--cards",
        str(args.cards),
        "--logs",
        str(args.logs),
        "--runs",
        str(args.runs),
        "--answers",
        str(args.answers),
        "--seed",
        str(args.seed),
    ]
    log(f"{phase} ...")
    start = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    log(f"{phase} done in {time.perf_counter() - start:.1f} s")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def report(args: argparse.Namespace, res: dict[str, dict[str, Any]]) -> None:
    os_, anki_ = res["ours-measure"], res["anki-measure"]
    so, sa = res["ours-setup"], res["anki-setup"]
    print(f"\nMachine: {os.cpu_count()} CPUs (`nproc`: {os.cpu_count()}), {cpu_model()}")
    print(
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"SQLAlchemy {version('SQLAlchemy')}, fsrs {version('fsrs')}, anki {version('anki')}"
    )
    print(
        f"Data: {args.cards:,} cards, {args.logs:,} review logs over 2 years "
        f"(seed {args.seed}); runs {args.runs}, answers {args.answers}"
    )
    print(f"Ours: phases {so['phases']}, due now {so['due_now']:,}, file {so['db_bytes']:,} B")
    print(
        f"Anki: FSRS {'on' if sa['fsrs'] else 'OFF (SM-2)'}, "
        f"{sa['cards_with_memory_state']:,} cards with an FSRS memory state, "
        f"due today {sa['due_today']:,}, counts {anki_['counts']}, file {sa['db_bytes']:,} B"
    )
    print(
        "Setup (s): ours "
        + ", ".join(f"{k} {v:.1f}" for k, v in so["timings"].items())
        + "; anki "
        + ", ".join(f"{k} {v:.1f}" for k, v in sa["timings"].items())
    )
    anki_ref = anki_["queue_1"]["median"]
    anki_ref_200 = anki_["queue_200"]["median"]
    anki_answer = anki_["answer"]["median"]

    def line(label: str, ours: dict[str, float] | None, anki: dict[str, float] | None) -> str:
        def cell(d: dict[str, float] | None) -> str:
            return "" if d is None else f"{d['median']:.2f} / {d['p95']:.2f}"

        ratio = ""
        if ours is not None and label.startswith("answer"):
            ratio = f"{ours['median'] / anki_answer:.2f}x"
        elif ours is not None:
            ratio = f"{ours['median'] / anki_ref:.2f}x / {ours['median'] / anki_ref_200:.2f}x"
        return f"| {label} | {cell(ours)} | {cell(anki)} | {ratio} |"

    print("\n| measure (ms, median / p95) | ours | Anki | ours / Anki |")
    print("|---|---|---|---|")
    print(line("queue: app path (card_states + due_queue)", os_["queue_app"], None))
    if "queue_fast" in os_:
        print(line("queue: queue_states + due_queue", os_["queue_fast"], None))
    print(line("queue: Anki cold, fetch_limit=1", None, anki_["queue_1"]))
    print(line("queue: Anki cold, fetch_limit=200", None, anki_["queue_200"]))
    print(line("queue: Anki cached, fetch_limit=1", None, anki_["queue_cached"]))
    print(line("card_states() alone", os_["card_states"], None))
    print(line("answer one card", os_["answer"], anki_["answer"]))
    first_ours = os_["queue_fast"] if "queue_fast" in os_ else os_["queue_app"]
    print(
        f"| first queue after opening | {first_ours['first_ms']:.1f}"
        f" | {anki_['queue_200']['first_ms']:.1f} (fetch_limit=200) | |"
    )
    peak_ours = f"{os_['peak_app_mib']:.0f} (app path)"
    if "peak_fast_mib" in os_:
        peak_ours = f"{os_['peak_fast_mib']:.0f} (queue_states), " + peak_ours
    print(
        f"| RSS after opening (MiB) | {os_['rss_open_mib']:.0f} | {anki_['rss_open_mib']:.0f} | |"
    )
    print(
        f"| peak RSS after the queue builds (MiB) | {peak_ours} | {anki_['peak_queue_mib']:.0f} | |"
    )
    print(
        f"| peak RSS at the end (MiB) | {os_['peak_rss_mib']:.0f} | {anki_['peak_rss_mib']:.0f} | |"
    )
    print(f"| peak RSS, setup (MiB) | {so['peak_rss_mib']:.0f} | {sa['peak_rss_mib']:.0f} | |")
    print(
        f"\nQueue lengths: app path {os_['queue_app']['length']}, "
        + (
            f"queue_states {os_['queue_fast']['length']} (same queue: {os_['same_queue']}), "
            if "queue_fast" in os_
            else ""
        )
        + f"Anki fetch 200 gave {anki_['queue_200']['length']} cards."
    )
    print(
        "Queue ratios: ours against Anki's cold build with fetch_limit=1 / fetch_limit=200;"
        " the answer ratio is against Anki's answer_card."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--logs", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each queue build")
    parser.add_argument("--answers", type=int, default=100, help="cards answered, each timed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase is not None:
        work: Path = args.work
        phases: dict[str, Callable[[], dict[str, Any]]] = {
            "ours-setup": lambda: ours_setup(work, args.cards, args.logs, args.seed),
            "anki-setup": lambda: anki_setup(work),
            "ours-measure": lambda: ours_measure(work, args.runs, args.answers),
            "anki-measure": lambda: anki_measure(work, args.runs, args.answers),
        }
        print(json.dumps(phases[args.phase]()))
        return

    def all_phases(work: Path) -> dict[str, dict[str, Any]]:
        order = ("ours-setup", "anki-setup", "ours-measure", "anki-measure")
        return {phase: run_phase(phase, args, work) for phase in order}

    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = all_phases(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="srs-bench-") as folder:
            results = all_phases(Path(folder))
    report(args, results)


if __name__ == "__main__":
    main()
