"""roi_ui.formatting: money, percent, months and counts as people read them, in
each currency's own symbol and decimals; undefined figures read as words."""

from __future__ import annotations

import math

import pytest

from roi_ui.formatting import (
    currency_symbol,
    money,
    money_compact,
    months,
    number,
    percent,
    plotly_money_format,
    signed_money_compact,
)

CURRENCIES = ["USD", "EUR", "GBP", "IDR", "INR", "JPY", "BRL", "AUD"]

SYMBOL = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "IDR": "IDR",  # no short symbol in en_US: the code stands in
    "INR": "₹",
    "JPY": "¥",
    "BRL": "R$",
    "AUD": "A$",
}

#: Decimals Babel (CLDR) gives each currency; JPY has none.
DECIMALS = {"USD": 2, "EUR": 2, "GBP": 2, "IDR": 2, "INR": 2, "JPY": 0, "BRL": 2, "AUD": 2}

UNDEFINED = [None, math.nan, math.inf, -math.inf]
UNDEFINED_IDS = ["None", "nan", "inf", "-inf"]


def _no_float_junk(text: str) -> None:
    lowered = text.lower()
    assert "nan" not in lowered
    assert "inf" not in lowered


# --- currency symbol and plotly format ----------------------------------------------------


@pytest.mark.parametrize("currency", CURRENCIES)
def test_currency_symbol(currency: str) -> None:
    assert currency_symbol(currency) == SYMBOL[currency]


@pytest.mark.parametrize("currency", CURRENCIES)
def test_plotly_money_format_gives_symbol_and_d3_format_with_the_currency_decimals(
    currency: str,
) -> None:
    prefix, fmt = plotly_money_format(currency)
    assert prefix == SYMBOL[currency]
    assert fmt == f",.{DECIMALS[currency]}f"


def test_plotly_money_format_for_jpy_has_no_decimals() -> None:
    assert plotly_money_format("JPY") == ("¥", ",.0f")


# --- money (exact, for tables) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        ("USD", "$1,234,567.89"),
        ("EUR", "€1,234,567.89"),
        ("GBP", "£1,234,567.89"),
        ("INR", "₹1,234,567.89"),
        ("JPY", "¥1,234,568"),
        ("BRL", "R$1,234,567.89"),
        ("AUD", "A$1,234,567.89"),
    ],
)
def test_money_exact_with_thousands_and_the_currency_decimals(currency: str, expected: str) -> None:
    assert money(1_234_567.891, currency) == expected


def test_money_idr_uses_its_code_as_symbol() -> None:
    text = money(1_234_567, "IDR")
    assert text.startswith("IDR")
    assert "1,234,567" in text


def test_money_idr_has_cldr_decimals_as_the_module_doc_says() -> None:
    assert money(1_234_567.891, "IDR") == "IDR1,234,567.89"


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        ("USD", "-$1,234.50"),
        ("EUR", "-€1,234.50"),
        ("GBP", "-£1,234.50"),
        ("INR", "-₹1,234.50"),
        ("BRL", "-R$1,234.50"),
        ("AUD", "-A$1,234.50"),
    ],
)
def test_money_negative(currency: str, expected: str) -> None:
    assert money(-1_234.5, currency) == expected


def test_money_jpy_rounds_to_whole_yen() -> None:
    assert money(12.6, "JPY") == "¥13"
    assert money(-1_234.6, "JPY") == "-¥1,235"
    assert money(0.4, "JPY") == "¥0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "$0.00"), (0.5, "$0.50"), (7, "$7.00"), (999.99, "$999.99"), (-12.346, "-$12.35")],
)
def test_money_under_a_thousand(value: float, expected: str) -> None:
    assert money(value, "USD") == expected


# --- money_compact (KPI cards) -----------------------------------------------------------


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize(
    ("value", "body"),
    [
        (1_234_567, "1.2M"),
        (867_214.11, "867.2K"),
        (3_400_000_000, "3.4B"),
        (1_500, "1.5K"),
        (1_000, "1K"),
        (1_000_000_000_000, "1T"),
    ],
)
def test_money_compact(currency: str, value: float, body: str) -> None:
    symbol = SYMBOL[currency]
    assert money_compact(value, currency) == f"{symbol}{body}"
    assert money_compact(-value, currency) == f"-{symbol}{body}"


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize(
    ("value", "body"),
    [(0, "0"), (7, "7"), (12.4, "12"), (12.6, "13"), (999.4, "999"), (999.6, "1K")],
)
def test_money_compact_under_a_thousand_is_whole_units(
    currency: str, value: float, body: str
) -> None:
    symbol = SYMBOL[currency]
    assert money_compact(value, currency) == f"{symbol}{body}"
    if value:
        assert money_compact(-value, currency) == f"-{symbol}{body}"


def test_money_compact_examples_of_the_docstring() -> None:
    assert money_compact(867_000, "USD") == "$867K"
    assert money_compact(-1_234_000, "USD") == "-$1.2M"
    assert money_compact(3_400_000_000, "EUR") == "€3.4B"


# --- signed_money_compact (KPI deltas) ---------------------------------------------------


@pytest.mark.parametrize("currency", CURRENCIES)
def test_signed_money_compact(currency: str) -> None:
    symbol = SYMBOL[currency]
    assert signed_money_compact(12_345, currency) == f"+{symbol}12.3K"
    assert signed_money_compact(-4_100, currency) == f"-{symbol}4.1K"
    assert signed_money_compact(2_500_000, currency) == f"+{symbol}2.5M"
    assert signed_money_compact(-42, currency) == f"-{symbol}42"
    assert signed_money_compact(42, currency) == f"+{symbol}42"


# --- percent, months, number -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.92711, {}, "92.7%"),
        (0.0, {}, "0.0%"),
        (-0.05, {}, "-5.0%"),
        (1.5, {"digits": 0}, "150%"),
        (0.123456, {"digits": 3}, "12.346%"),
        (12.5, {}, "1,250.0%"),
    ],
)
def test_percent(value: float, kwargs: dict[str, int], expected: str) -> None:
    assert percent(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(11.712, "11.7 months"), (0, "0.0 months"), (120, "120.0 months"), (0.04, "0.0 months")],
)
def test_months(value: float, expected: str) -> None:
    assert months(value) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (20_100.4, {}, "20,100"),
        (20_100.6, {}, "20,101"),
        (999, {}, "999"),
        (0, {}, "0"),
        (-1_234_567.891, {"digits": 2}, "-1,234,567.89"),
        (3.14159, {"digits": 1}, "3.1"),
    ],
)
def test_number(value: float, kwargs: dict[str, int], expected: str) -> None:
    assert number(value, **kwargs) == expected


# --- undefined figures -------------------------------------------------------------------


@pytest.mark.parametrize("value", UNDEFINED, ids=UNDEFINED_IDS)
@pytest.mark.parametrize("currency", CURRENCIES)
def test_undefined_money_reads_as_the_undefined_word(value: float | None, currency: str) -> None:
    assert money(value, currency) == "n/a"
    assert money_compact(value, currency) == "n/a"
    assert money(value, currency, undefined="—") == "—"
    assert money_compact(value, currency, undefined="unknown") == "unknown"
    # A KPI delta with no value shows nothing rather than a word.
    assert signed_money_compact(value, currency) == ""


@pytest.mark.parametrize("value", UNDEFINED, ids=UNDEFINED_IDS)
def test_undefined_percent_months_number_read_as_words(value: float | None) -> None:
    assert percent(value) == "n/a"
    assert percent(value, undefined="no costs") == "no costs"
    assert months(value) == "never"
    assert months(value, undefined="not yet") == "not yet"
    assert number(value) == "n/a"
    assert number(value, undefined="?") == "?"


@pytest.mark.parametrize("value", UNDEFINED, ids=UNDEFINED_IDS)
@pytest.mark.parametrize("currency", CURRENCIES)
def test_undefined_never_shows_nan_or_inf(value: float | None, currency: str) -> None:
    for text in (
        money(value, currency),
        money_compact(value, currency),
        signed_money_compact(value, currency),
        percent(value),
        months(value),
        number(value),
    ):
        _no_float_junk(text)


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize("value", [0.0, 1e-9, 0.5, 999.5, 1e5, 1e9, 1e15, -1e15])
def test_defined_values_never_show_nan_or_inf(currency: str, value: float) -> None:
    for text in (
        money(value, currency),
        money_compact(value, currency),
        percent(value),
        months(value),
        number(value),
    ):
        _no_float_junk(text)
        assert any(ch.isdigit() for ch in text)
    delta = signed_money_compact(value, currency)
    _no_float_junk(delta)
    # A change that rounds to nothing is no change: the KPI shows no delta at all.
    assert (delta == "") == (abs(value) < 0.5)
