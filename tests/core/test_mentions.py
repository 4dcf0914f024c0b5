"""The social-mentions export: reading, the advocate share and its Wilson interval
(checked against statsmodels), the answered / never-answered comparison, coverage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from roi_core import Scenario
from roi_core.customer_table import TableError
from roi_core.exports import newcombe, parse_mapping, parse_times, wilson
from roi_core.mentions import (
    apply_advocacy,
    estimate_advocacy,
    read_mentions,
    synthetic_mentions,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "roi_ui" / "data" / "samples" / "mentions.csv"
HEADER = "created_at,author_id,brand_replied,sentiment"


def _csv(rows: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.mark.parametrize(("x", "n"), [(0, 1), (0, 10), (10, 10), (3, 17), (300, 1000), (1, 2)])
def test_wilson_is_statsmodels_wilson(x: int, n: int) -> None:
    iv = wilson(x, n)
    low, high = proportion_confint(x, n, method="wilson")
    assert iv.estimate == pytest.approx(x / n)
    assert iv.low == pytest.approx(low, abs=1e-12)
    assert iv.high == pytest.approx(high, abs=1e-12)
    assert wilson(0, 0).estimate is None


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(30, 100, 12, 150), (0, 20, 5, 40), (9, 9, 1, 3)]
)
def test_newcombe_is_statsmodels_newcomb(x1: int, n1: int, x2: int, n2: int) -> None:
    iv = newcombe(wilson(x1, n1), wilson(x2, n2))
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    assert iv.estimate == pytest.approx(x1 / n1 - x2 / n2)
    assert iv.low == pytest.approx(low, abs=1e-12)
    assert iv.high == pytest.approx(high, abs=1e-12)


def test_advocate_share_by_hand() -> None:
    rows = [
        # a: answered on day 2, positive on day 5 -> advocate
        "2025-01-01,a,0,-0.5", "2025-01-02,a,1,-0.2", "2025-01-05,a,0,0.8",
        # b: answered, positive only before the answer -> not an advocate
        "2025-01-01,b,0,0.9", "2025-01-03,b,1,-0.4",
        # c: answered, later neutral (0.04 is below 0.05) -> not
        "2025-01-01,c,yes,negative", "2025-01-09,c,no,0.04",
        # d, e: never answered; d later positive (a label), e never
        "2025-01-01,d,0,negative", "2025-02-01,d,0,Positive",
        "2025-01-01,e,,neutral",
    ]  # fmt: skip
    loaded = read_mentions(_csv(rows), "m.csv")
    assert loaded.problems == ()
    result = estimate_advocacy(loaded.export)
    assert (result.posts, result.authors, result.authors_replied) == (10, 5, 3)
    assert result.advocate_share.estimate == pytest.approx(1 / 3)
    assert result.positive_share_replied == result.advocate_share
    assert result.positive_share_not_replied.estimate == pytest.approx(1 / 2)
    assert result.reply_rate.estimate == pytest.approx(3 / 10)
    assert result.difference.estimate == pytest.approx(1 / 3 - 1 / 2)
    assert any("Only 3 authors got a brand reply" in w for w in result.warnings)


def test_the_true_share_is_inside_the_interval_90_to_99_percent_of_200_exports() -> None:
    hits = diff_hits = 0
    runs = 200
    for seed in range(runs):
        s = synthetic_mentions(authors=800, seed=500 + seed, advocate_share=0.1 + 0.01 * (seed % 5))
        r = estimate_advocacy(s.export)
        assert r.advocate_share.low is not None and r.advocate_share.high is not None
        hits += r.advocate_share.low <= s.true_advocate_share <= r.advocate_share.high
        d = s.true_advocate_share - s.true_not_replied_share
        assert r.difference.low is not None and r.difference.high is not None
        diff_hits += r.difference.low <= d <= r.difference.high
    assert 0.90 <= hits / runs <= 0.99, hits / runs
    assert 0.90 <= diff_hits / runs <= 0.99, diff_hits / runs


def test_bad_rows_are_left_out_and_listed() -> None:
    rows = [
        "2025-01-01,a,1,0.2",
        "never,a,0,0.2",
        "2025-01-02,,0,0.2",
        "2025-01-03,b,maybe,0.2",
        "2025-01-04,b,0,1.5",
        "2025-01-05,b,0,great",
        "2025-01-06,  c ,TRUE,Very Positive",
    ]
    loaded = read_mentions(_csv(rows, "Created At,Author ID,Brand Replied,Sentiment"), "b.csv")
    assert loaded.rows_read == 7
    assert loaded.problems == (
        "1 rows left out, created_at is not a date: rows 3",
        "1 rows left out, author_id is empty: rows 4",
        "1 rows left out, brand_replied is not 0 or 1: rows 5",
        "1 rows left out, sentiment is a number outside [-1, 1]: rows 6",
        "1 rows left out, sentiment is not a number in [-1, 1] nor positive/neutral/negative: "
        "rows 7",
    )
    assert loaded.problems[0].startswith("1 rows left out")
    export = loaded.export
    assert len(export) == 2
    assert export.brand_replied.tolist() == [True, True]
    assert export.sentiment.tolist() == [1, 1]


def test_missing_columns_are_named_and_can_be_mapped() -> None:
    data = _csv(["2025-01-01,a,1,0.5"], "when,who,answered,tone")
    with pytest.raises(TableError, match="no column for created_at, author_id, brand_replied"):
        read_mentions(data, "x.csv")
    mapping = parse_mapping(
        ["when=created_at", "who=author_id", "answered=brand_replied", "tone=sentiment"],
        ("created_at", "author_id", "brand_replied", "sentiment"),
    )
    assert len(read_mentions(data, "x.csv", mapping).export) == 1
    with pytest.raises(TableError, match="'nope' is not one of"):
        parse_mapping(["when=nope"], ("created_at",))
    with pytest.raises(TableError, match="write it source=target"):
        parse_mapping(["when"], ("created_at",))


def test_nobody_answered_gives_no_share_and_says_so() -> None:
    result = estimate_advocacy(read_mentions(_csv(["2025-01-01,a,0,0.5"]), "x.csv").export)
    assert result.advocate_share.estimate is None
    assert any("No post got a brand reply" in w for w in result.warnings)
    new, lines = apply_advocacy(Scenario(), result, source="x.csv")
    assert lines == [] and new == Scenario()


def test_apply_sets_the_advocate_share() -> None:
    result = estimate_advocacy(read_mentions(SAMPLE.read_bytes(), "mentions.csv").export)
    new, lines = apply_advocacy(Scenario(), result, source="mentions.csv")
    assert new.levers.advocate_share == pytest.approx(result.advocate_share.estimate)
    assert lines[0].startswith("levers.advocate_share = ")
    assert "social-mentions export" in new.description
    iv = result.advocate_share
    assert iv.low is not None and iv.high is not None and iv.low <= 0.12 <= iv.high


def test_times_with_different_offsets_keep_their_wall_clock() -> None:
    import pandas as pd

    cells = pd.Series(["2025-03-01T00:30:00+07:00", "2025-03-01T10:00:00-05:00", " 2025-03-02 "])
    got = parse_times(cells).values
    assert [str(v) for v in got.astype("datetime64[m]")] == [
        "2025-03-01T00:30", "2025-03-01T10:00", "2025-03-02T00:00"
    ]  # fmt: skip
    assert np.isnat(parse_times(pd.Series(["31/02/2025"])).values[0])
