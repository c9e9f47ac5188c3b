from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.progress import fold, merge
from app.domain.session import UnitResult
from tests.domain.factories import REF

T0 = datetime(2026, 11, 28, tzinfo=UTC)

results = st.lists(
    st.builds(
        lambda i, correct, minutes: UnitResult(
            f"r{i}", REF, correct, 10, T0 + timedelta(minutes=minutes), ()
        ),
        st.integers(0, 10_000),
        st.integers(0, 10),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: r.id,
)


@given(results, results)
def test_merge_is_commutative_and_keeps_best_and_completion(a: list, b: list) -> None:
    pa, pb = fold(a)[REF], fold(b)[REF]
    ab, ba = merge(pa, pb), merge(pb, pa)
    assert ab == ba
    assert ab.best_percent == max(pa.best_percent, pb.best_percent)
    assert ab.completed and ab.runs == pa.runs + pb.runs


@given(results)
def test_fold_equals_merging_single_results_in_any_split(items: list) -> None:
    whole = fold(items)[REF]
    assert whole.best_percent == max(r.percent for r in items)
    assert whole.completed_at == min(r.finished_at for r in items)
    last_time = max(r.finished_at for r in items)
    assert whole.last_percent == max(r.percent for r in items if r.finished_at == last_time)
