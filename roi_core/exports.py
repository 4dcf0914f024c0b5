"""What the two evidence exports share: reading dates, calendar months, the Wilson
interval and the parsing of ``--map``-style column mappings.

* :func:`parse_times` reads a column of dates or timestamps as written in an
  export: ISO 8601 at numpy speed (``2025-03-14``, ``2025-03-14 10:22``,
  ``2025-03-14T10:22:00Z``, ``…+07:00``), anything else through pandas' mixed
  parser, one distinct value at a time. Times keep the wall-clock time written
  in the file: an offset is dropped, not converted, so a contact at 00:30 on the
  1st in Jakarta stays in that month.
* :func:`wilson` is the Wilson score interval for a proportion (equal to
  statsmodels' ``proportion_confint(method="wilson")``); :func:`newcombe` the
  interval for a difference of two proportions built from two Wilson intervals
  (Newcombe's method 10, statsmodels' ``confint_proportions_2indep(method=
  "newcomb")``).

Notes and errors are :class:`~roi_core.calibration.Message` objects: English, and
said in the session's language where they are shown.

pandas is imported inside the functions, so that ``import roi_core`` stays light.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from roi_core.calibration import Z95, Interval, Message
from roi_core.customer_table import TableError, shown
from roi_core.i18n import N_

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Z95",
    "Interval",
    "Times",
    "month_label",
    "newcombe",
    "parse_launch",
    "parse_mapping",
    "parse_times",
    "wilson",
]

#: A time offset written after a time of day (``Z``, ``+07:00``, ``-0500``).
_OFFSET: Final = r"(?<=:\d\d)(?:Z|[+-]\d\d(?::?\d\d)?)$"
#: A date written day/month/year or month/day/year (``14/03/2025``, ``3.4.25``).
_NUMERIC_DATE: Final = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_LAUNCH: Final = re.compile(r"\s*(\d{4})-(\d{1,2})\s*")


@dataclass(frozen=True)
class Times:
    """A column of dates read from an export.

    Attributes
    ----------
    values : numpy.ndarray of datetime64[us]
        One per row, ``NaT`` where the cell is empty or not a date.
    note : str or None
        How ambiguous dates were read (``03/04/2025``: month first), if any were.
    """

    values: npt.NDArray[np.datetime64]
    note: str | None = None


def parse_times(column: pd.Series) -> Times:
    """The cells of ``column`` as wall-clock times (module doc), ``NaT`` where not a date.

    Non-ISO dates such as ``14/03/2025`` are read day first when some day is above 12
    in the first place, month first otherwise (the note says so when that was a guess).
    """
    import pandas as pd

    text = column.astype("string")
    try:
        times = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # mixed offsets: drop them, keep the wall clock
        times = pd.to_datetime(
            text.str.strip().str.replace(_OFFSET, "", regex=True), format="ISO8601",
            errors="coerce",
        )  # fmt: skip
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    values = times.to_numpy(dtype="datetime64[us]")
    failed = np.isnat(values) & text.notna().to_numpy(dtype=bool)
    note = None
    if failed.any():  # spaces around, or not ISO: the slow road, for those cells only
        others = text[failed].str.strip()
        distinct = pd.unique(others.to_numpy(dtype=object))
        dayfirst, note = _day_first(str(v) for v in distinct[:5000])
        lookup = dict(zip(distinct, _mixed(distinct, dayfirst), strict=True))
        values = values.copy()
        values[failed] = np.array(
            [lookup[v] for v in others.to_numpy(dtype=object)], dtype="datetime64[us]"
        )
    return Times(values, note)


def _mixed(distinct: npt.NDArray[Any], dayfirst: bool) -> npt.NDArray[np.datetime64]:
    """Dates in any form pandas knows; an offset is dropped, keeping the wall clock."""
    import pandas as pd

    try:
        read = pd.to_datetime(
            pd.Series(distinct, dtype=object), format="mixed", dayfirst=dayfirst, errors="coerce"
        )
        if getattr(read.dt, "tz", None) is not None:
            read = read.dt.tz_localize(None)
        return read.to_numpy(dtype="datetime64[us]")
    except (ValueError, TypeError, AttributeError):  # offsets that differ: one at a time
        pass
    out = np.full(distinct.size, np.datetime64("NaT"), dtype="datetime64[us]")
    for i, text in enumerate(distinct):
        try:
            stamp = pd.Timestamp(pd.to_datetime(text, format="mixed", dayfirst=dayfirst))
        except (ValueError, TypeError, OverflowError):
            continue
        if not pd.isna(stamp):
            out[i] = np.datetime64(stamp.tz_localize(None) if stamp.tzinfo else stamp, "us")
    return out


def _day_first(samples: Iterable[str]) -> tuple[bool, str | None]:
    """Whether numeric dates are written day first, and a note when it was a guess."""
    seen = False
    for sample in samples:
        m = _NUMERIC_DATE.match(sample)
        if not m:
            continue
        seen = True
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12:
            return True, None
        if second > 12:
            return False, None
    if not seen:
        return False, None
    return (
        False,
        Message(
            N_(
                "dates such as 03/04/2025 were read month first (US); write them as ISO dates "
                "(2025-04-03) to be sure"
            )
        ),
    )


def month_label(month: np.datetime64 | int) -> str:
    """``"2025-03"`` for a calendar month (a ``datetime64[M]`` or months since 1970-01)."""
    value = month if isinstance(month, np.datetime64) else np.datetime64(int(month), "M")
    return str(value.astype("datetime64[M]"))


def parse_launch(text: str) -> np.datetime64:
    """``"2025-03"`` -> that calendar month; a :class:`TableError` naming the rule otherwise."""
    m = _LAUNCH.fullmatch(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2999:
        raise TableError(
            Message(
                N_("launch: {value} is not a month written YYYY-MM (e.g. 2025-03)"),
                value=repr(shown(text)),
            )
        )
    return np.datetime64(f"{m.group(1)}-{int(m.group(2)):02d}", "M")


def parse_mapping(
    pairs: Iterable[str], names: Iterable[str], *, option: str = "--map"
) -> dict[str, str | None]:
    """``["source=target", ...]`` (``--map``) -> target -> source column.

    ``target`` must be one of ``names``; an empty source (``=handle_minutes``) means
    "the file has no such column".
    """
    allowed = list(names)
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep:
            raise TableError(
                Message(
                    N_("{option} {pair}: write it source=target (e.g. Date=created_at)"),
                    option=option,
                    pair=repr(shown(pair)),
                )
            )
        if target not in allowed:
            raise TableError(
                Message(
                    N_("{option} {pair}: {target} is not one of {names}"),
                    option=option,
                    pair=repr(shown(pair)),
                    target=repr(shown(target)),
                    names=", ".join(allowed),
                )
            )
        mapping[target] = source or None
    return mapping


def wilson(successes: int, trials: int, z: float = Z95) -> Interval:
    """The proportion ``successes / trials`` with its Wilson score interval.

    ``Interval(None, None, None)`` when there are no trials.

    Examples
    --------
    >>> iv = wilson(30, 100)
    >>> round(iv.low, 4), round(iv.high, 4)
    (0.2189, 0.3958)
    """
    if trials <= 0:
        return Interval(None, None, None)
    p = successes / trials
    z2 = z * z
    centre = (successes + z2 / 2) / (trials + z2)
    half = z * math.sqrt(successes * (trials - successes) / trials + z2 / 4) / (trials + z2)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def newcombe(a: Interval, b: Interval) -> Interval:
    """The difference ``a - b`` of two proportions with Newcombe's hybrid score interval
    (his method 10) from their Wilson intervals."""
    if (
        a.estimate is None
        or a.low is None
        or a.high is None
        or b.estimate is None
        or b.low is None
        or b.high is None
    ):
        return Interval(None, None, None)
    diff = a.estimate - b.estimate
    low = diff - math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2)
    high = diff + math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2)
    return Interval(diff, low, high)
