"""Money, percent and months as people read them. Pure functions over Babel.

Money is formatted for the scenario's currency (its symbol and its number of
decimals as CLDR gives them: none for JPY, two for USD or IDR), compact on KPI
cards (``$1.2M``) and exact in tables (``$1,234,567.89``). Undefined figures
read as words, never NaN or inf, and a value that rounds to zero never shows a
minus sign.
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
)

__all__ = [
    "LOCALE",
    "currency_symbol",
    "money",
    "money_compact",
    "months",
    "number",
    "percent",
    "plotly_money_format",
    "signed_money_compact",
]

#: One English UI; Babel still gives each currency its own symbol and decimals.
LOCALE = "en_US"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@lru_cache(maxsize=64)
def currency_symbol(currency: str) -> str:
    """``$`` for USD, ``€`` for EUR, ``₹`` for INR, ``IDR`` where there is no short symbol."""
    return str(get_currency_symbol(currency, locale=LOCALE))


def money(value: float | None, currency: str, *, undefined: str = "n/a") -> str:
    """Exact money for tables: ``$1,234,567.89``, ``¥1,234,568``."""
    if not _finite(value):
        return undefined
    assert value is not None
    if abs(value) < 0.005:
        value = 0.0
    return str(format_currency(value, currency, locale=LOCALE))


def money_compact(value: float | None, currency: str, *, undefined: str = "n/a") -> str:
    """Short money for KPI cards: ``$867K``, ``-$1.2M``, ``€3.4B``."""
    if not _finite(value):
        return undefined
    assert value is not None
    whole = round(value)
    if abs(value) < 1000 <= abs(whole):
        value = float(whole)  # 999.6 reads as $1K, like 1,000 itself
    if abs(whole) < 1000:
        return str(
            format_currency(
                whole or 0, currency, locale=LOCALE, currency_digits=False, format="¤#,##0"
            )
        )
    return str(format_compact_currency(value, currency, locale=LOCALE, fraction_digits=1))


def signed_money_compact(value: float | None, currency: str) -> str:
    """A KPI delta: ``+$12.3K`` / ``-$4.1K``."""
    if not _finite(value):
        return ""
    assert value is not None
    if abs(value) < 0.5:
        return ""
    text = money_compact(abs(value), currency)
    return ("-" if value < 0 else "+") + text


def percent(value: float | None, *, digits: int = 1, undefined: str = "n/a") -> str:
    """``0.927`` → ``92.7%``."""
    if not _finite(value):
        return undefined
    assert value is not None
    return f"{value * 100:,.{digits}f}%"


def months(value: float | None, *, undefined: str = "never") -> str:
    """Payback: ``11.7 months``; ``never`` when it does not happen within the horizon."""
    if not _finite(value):
        return undefined
    assert value is not None
    return f"{value:,.1f} months"


def number(value: float | None, *, digits: int = 0, undefined: str = "n/a") -> str:
    """A count: ``20,100``."""
    if not _finite(value):
        return undefined
    return str(format_decimal(round(value, digits), locale=LOCALE))


def plotly_money_format(currency: str) -> tuple[str, str]:
    """``(tickprefix, d3 format)`` for a money axis or hover in this currency."""
    digits = get_currency_precision(currency)
    return currency_symbol(currency), f",.{digits}f"
