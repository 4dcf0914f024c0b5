"""Social-mentions export -> advocacy: do customers the brand answers speak well of it
afterwards?

Input: one row per public post about the brand, ``created_at``, ``author_id``,
``brand_replied`` (0/1; also yes/no, true/false; an empty cell is "no reply") and
``sentiment`` (a number in [-1, 1], positive from :data:`POSITIVE_FROM` = 0.05 up as
in VADER's convention, or a label: positive / neutral / negative).

Per author, the *moment of reference* is their first post that got a brand reply, or
their first post when none did. :func:`estimate_advocacy` returns:

* ``advocate_share``: among authors who got a brand reply, the share who posted a
  positive mention strictly later than their first answered post, with a 95 %
  **Wilson** interval (statsmodels' ``proportion_confint(method="wilson")``);
* ``reply_rate``: the share of posts the brand replied to (Wilson interval);
* ``positive_share_replied`` (equal to ``advocate_share``) and
  ``positive_share_not_replied``: the share of authors never answered who posted a
  positive mention after their first post, each with a Wilson interval, and their
  ``difference`` with Newcombe's interval built from the two Wilson intervals.

The comparison is observational: authors the brand chose to answer may differ from
the others. Everything is vectorised numpy over the posts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from roi_core.calibration import Interval, Message, apply_measured
from roi_core.customer_table import (
    EMPTY,
    NOT_0_OR_1,
    NOT_A_DATE,
    RawTable,
    RowProblems,
    load,
    needed_columns,
    normalise,
    numbers,
)
from roi_core.exports import newcombe, parse_times, wilson
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import Scenario

__all__ = [
    "POSITIVE_FROM",
    "REQUIRED",
    "Advocacy",
    "LoadedMentions",
    "MentionsExport",
    "SyntheticMentions",
    "apply_advocacy",
    "estimate_advocacy",
    "read_mentions",
    "synthetic_mentions",
    "validate_mentions",
]

REQUIRED: Final = ("created_at", "author_id", "brand_replied", "sentiment")
#: A numeric sentiment at or above this is positive (VADER's compound-score convention).
POSITIVE_FROM: Final = 0.05
#: Fewer answered authors than this: the advocate share's interval is flagged as wide.
MIN_AUTHORS: Final = 30

_YES: Final = frozenset({"1", "1.0", "true", "yes", "y", "t", "replied"})
_NO: Final = frozenset({"0", "0.0", "false", "no", "n", "f", "", "not_replied"})
_LABELS: Final = {
    "positive": 1, "pos": 1, "very_positive": 1, "+": 1,
    "neutral": 0, "neu": 0, "mixed": 0, "none": 0,
    "negative": -1, "neg": -1, "very_negative": -1, "-": -1,
}  # fmt: skip


@dataclass(frozen=True)
class MentionsExport:
    """Validated columns, one entry per post.

    ``author`` is a code per distinct author id; ``sentiment`` is -1, 0 or 1.
    """

    created_at: npt.NDArray[np.datetime64]
    author: npt.NDArray[np.int64]
    brand_replied: npt.NDArray[np.bool_]
    sentiment: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return int(self.created_at.size)


@dataclass(frozen=True)
class LoadedMentions:
    export: MentionsExport
    rows_read: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Advocacy:
    """What a mentions export says (module doc); names as in the JSON output."""

    posts: int
    authors: int
    authors_replied: int
    advocate_share: Interval
    reply_rate: Interval
    positive_share_replied: Interval
    positive_share_not_replied: Interval
    difference: Interval
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "authors": self.authors,
            "authors_replied": self.authors_replied,
            "advocate_share": asdict(self.advocate_share),
            "reply_rate": asdict(self.reply_rate),
            "positive_share_replied": asdict(self.positive_share_replied),
            "positive_share_not_replied": asdict(self.positive_share_not_replied),
            "difference": asdict(self.difference),
            "warnings": list(self.warnings),
        }


def validate_mentions(
    raw: RawTable, filename: str, mapping: Mapping[str, str | None] | None = None
) -> LoadedMentions:
    """The usable posts of a file read with :func:`~roi_core.customer_table.load`; rows
    with a bad date, an empty author, a reply flag that is not 0/1 or a sentiment that
    is neither a number in [-1, 1] nor a label are left out and reported."""
    import pandas as pd

    frame = raw.frame
    decimal = "." if raw.dialect is None else raw.dialect.decimal
    columns = needed_columns(raw, filename, mapping, REQUIRED)
    rows = RowProblems(len(frame))
    flag = rows.leave_out

    times = parse_times(frame[columns["created_at"]])
    flag(np.isnat(times.values), Message(NOT_A_DATE, column="created_at"))
    if times.note:
        rows.lines.append(Message(N_("Note: {note}"), note=times.note))
    authors = frame[columns["author_id"]].astype("string").str.strip()
    authors = authors.mask(authors.eq(""))
    flag(authors.isna().to_numpy(dtype=bool), Message(EMPTY, column="author_id"))

    replied_text = frame[columns["brand_replied"]].astype("string").fillna("")
    codes, uniques = pd.factorize(replied_text)
    kinds = [normalise(u) for u in uniques]
    meaning = np.array([1 if k in _YES else 0 if k in _NO else -1 for k in kinds] + [0], np.int8)
    replied = meaning[codes]
    flag(replied < 0, Message(NOT_0_OR_1, column="brand_replied"))

    cells = frame[columns["sentiment"]]
    score = numbers(cells, decimal)
    sentiment = np.full(len(frame), -2, dtype=np.int8)
    numeric = ~np.isnan(score)
    in_range = numeric & (score >= -1.0) & (score <= 1.0)
    sentiment[in_range] = np.where(score[in_range] >= POSITIVE_FROM, 1,
                                   np.where(score[in_range] <= -POSITIVE_FROM, -1, 0))  # fmt: skip
    label_codes, label_uniques = pd.factorize(cells.astype("string").fillna(""))
    labels = np.array([_LABELS.get(normalise(u), -2) for u in label_uniques] + [-2], np.int8)
    by_label = labels[label_codes]
    sentiment = np.where(numeric, sentiment, by_label).astype(np.int8)
    flag(
        numeric & ~in_range,
        Message(N_("{column} is a number outside [-1, 1]"), column="sentiment"),
    )
    flag(
        sentiment < -1,
        Message(
            N_("{column} is not a number in [-1, 1] nor positive/neutral/negative"),
            column="sentiment",
        ),
    )

    keep = rows.usable(filename)
    author_codes = pd.factorize(authors[keep])[0].astype(np.int64)
    export = MentionsExport(
        created_at=times.values[keep],
        author=author_codes,
        brand_replied=replied[keep] == 1,
        sentiment=sentiment[keep],
    )
    return LoadedMentions(export, len(frame), tuple(rows.lines))


def read_mentions(
    data: bytes, filename: str, mapping: Mapping[str, str | None] | None = None
) -> LoadedMentions:
    """:func:`validate_mentions` on a CSV or XLSX file's bytes."""
    return validate_mentions(load(data, filename), filename, mapping)


def estimate_advocacy(export: MentionsExport) -> Advocacy:
    """Advocate share, reply rate and the replied / not-replied comparison (module doc)."""
    warnings: list[str] = []
    time = export.created_at.astype("datetime64[us]").astype(np.int64)
    author = export.author
    n_authors = int(author.max()) + 1 if author.size else 0
    never = np.iinfo(np.int64).max
    first_post = np.full(n_authors, never, dtype=np.int64)
    np.minimum.at(first_post, author, time)
    first_reply = np.full(n_authors, never, dtype=np.int64)
    replied = export.brand_replied
    np.minimum.at(first_reply, author[replied], time[replied])
    got_reply = first_reply < never
    reference = np.where(got_reply, first_reply, first_post)
    later_positive = (export.sentiment == 1) & (time > reference[author])
    advocate = np.bincount(author[later_positive], minlength=n_authors) > 0
    answered = int(got_reply.sum())
    unanswered = n_authors - answered
    share_replied = wilson(int((advocate & got_reply).sum()), answered)
    share_not = wilson(int((advocate & ~got_reply).sum()), unanswered)
    if answered == 0:
        warnings.append(
            Message(N_("No post got a brand reply: the advocate share cannot be measured."))
        )
    elif answered < MIN_AUTHORS:
        warnings.append(
            Message(
                N_(
                    "Only {count} authors got a brand reply: the advocate share's interval is wide."
                ),
                count=answered,
            )
        )
    if unanswered == 0:
        warnings.append(
            Message(N_("Every author got a reply: there is no one to compare them with."))
        )
    if not (export.sentiment == 1).any():
        warnings.append(Message(N_("No post is positive: check the sentiment column's mapping.")))
    return Advocacy(
        posts=len(export),
        authors=n_authors,
        authors_replied=answered,
        advocate_share=share_replied,
        reply_rate=wilson(int(replied.sum()), len(export)),
        positive_share_replied=share_replied,
        positive_share_not_replied=share_not,
        difference=newcombe(share_replied, share_not),
        warnings=tuple(warnings),
    )


def apply_advocacy(
    scenario: Scenario, advocacy: Advocacy, *, source: str
) -> tuple[Scenario, list[str]]:
    """The scenario with ``levers.advocate_share`` set to the measured share (0..1)."""
    values: dict[str, float] = {}
    if advocacy.advocate_share.estimate is not None:
        values["levers.advocate_share"] = min(max(advocacy.advocate_share.estimate, 0.0), 1.0)
    return apply_measured(
        scenario, values, what=_("Measured from a social-mentions export"), source=source
    )


@dataclass(frozen=True)
class SyntheticMentions:
    """A simulated mentions export with known shares: the columns and the same posts
    validated."""

    created_at: npt.NDArray[np.datetime64]
    author_id: npt.NDArray[np.int64]
    brand_replied: npt.NDArray[np.int8]
    sentiment: npt.NDArray[np.float64]
    export: MentionsExport
    true_advocate_share: float
    true_not_replied_share: float


def synthetic_mentions(
    *,
    authors: int = 3_000,
    reply_rate: float = 0.4,
    advocate_share: float = 0.12,
    not_replied_share: float = 0.05,
    start: str = "2025-01-01",
    days: int = 180,
    seed: int = 0,
) -> SyntheticMentions:
    """Posts with known advocacy (for samples and coverage tests).

    Each author writes a first post (a complaint or question: negative or neutral) on
    a random day; the brand answers it with probability ``reply_rate``. An answered
    author writes a later positive post with probability ``advocate_share``, another
    with ``not_replied_share``; everyone also writes 0 to 2 later neutral or negative
    posts (never answered).
    """
    rng = np.random.default_rng(seed)
    base = np.datetime64(start, "s")
    horizon = days * 86_400
    first = rng.integers(0, horizon // 2, authors)
    answered = rng.random(authors) < reply_rate
    p_positive = np.where(answered, advocate_share, not_replied_share)
    advocate = rng.random(authors) < p_positive
    extra = rng.integers(0, 3, authors)
    who = [np.arange(authors), np.flatnonzero(advocate), np.repeat(np.arange(authors), extra)]
    author = np.concatenate(who)
    kind = np.concatenate([np.zeros(authors), np.ones(advocate.sum()), np.full(extra.sum(), 2)])
    later = (
        first[author]
        + 3_600
        + (rng.random(author.size) * (horizon - first[author])).astype(np.int64)
    )
    when = np.where(kind == 0, first[author], later)
    replied = np.where(kind == 0, answered[author], False).astype(np.int8)
    score = np.where(
        kind == 1,
        rng.uniform(0.3, 1.0, author.size),
        np.where(kind == 0, rng.uniform(-1.0, 0.0, author.size), rng.uniform(-1.0, 0.04,
                                                                              author.size)),
    ).round(2)  # fmt: skip
    order = np.argsort(when, kind="stable")
    created = (base + when[order].astype("timedelta64[s]")).astype("datetime64[us]")
    author, replied, score = author[order], replied[order], score[order]
    sentiment = np.where(score >= POSITIVE_FROM, 1, np.where(score <= -POSITIVE_FROM, -1, 0))
    export = MentionsExport(created, author.astype(np.int64), replied == 1,
                            sentiment.astype(np.int8))  # fmt: skip
    return SyntheticMentions(
        created_at=created,
        author_id=author.astype(np.int64),
        brand_replied=replied,
        sentiment=score,
        export=export,
        true_advocate_share=advocate_share,
        true_not_replied_share=not_replied_share,
    )
