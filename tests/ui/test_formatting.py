# The multiplication sign in expected strings is the real output (CLDR superscriptingExponent).
# ruff: noqa: RUF001
"""roi_ui.formatting: money, percent, months and counts as people read them, in
each currency's own symbol and decimals; undefined figures read as words."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from babel.numbers import list_currencies
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roi_core import NUMERIC_FIELDS
from roi_ui.formatting import (
    count,
    currency_prefix,
    currency_symbol,
    money,
    money_compact,
    months,
    number,
    percent,
    percent_points,
    plotly_money_format,
    signed_money_compact,
    signed_months,
    unit_words,
)

NBSP = "\u00a0"

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

#: What goes before the digits: CLDR's currencySpacing puts a no-break space between
#: a code (a symbol ending in a letter) and the number; none after ``$`` or ``R$``.
PREFIX = {**SYMBOL, "IDR": "IDR" + NBSP}

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
    assert prefix == PREFIX[currency]
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
    # CLDR currencySpacing: a no-break space between the code and the digits.
    assert money(1_234_567.891, "IDR") == f"IDR{NBSP}1,234,567.89"


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
        (1_000, "1.0K"),
        (1_000_000_000_000, "1.0T"),
    ],
)
def test_money_compact(currency: str, value: float, body: str) -> None:
    symbol = PREFIX[currency]
    assert money_compact(value, currency) == f"{symbol}{body}"
    assert money_compact(-value, currency) == f"-{symbol}{body}"


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize(
    ("value", "body"),
    [(0, "0"), (7, "7"), (12.4, "12"), (12.6, "13"), (999.4, "999"), (999.6, "1.0K")],
)
def test_money_compact_under_a_thousand_is_whole_units(
    currency: str, value: float, body: str
) -> None:
    symbol = PREFIX[currency]
    assert money_compact(value, currency) == f"{symbol}{body}"
    if value:
        assert money_compact(-value, currency) == f"-{symbol}{body}"


def test_money_compact_examples_of_the_docstring() -> None:
    assert money_compact(867_000, "USD") == "$867.0K"
    assert money_compact(-1_234_000, "USD") == "-$1.2M"
    assert money_compact(3_400_000_000, "EUR") == "€3.4B"


# --- signed_money_compact (KPI deltas) ---------------------------------------------------


@pytest.mark.parametrize("currency", CURRENCIES)
def test_signed_money_compact(currency: str) -> None:
    symbol = PREFIX[currency]
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


# --- rule 1: compact money never shows a mantissa of 1000 --------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # 999,960 / 1,000 = 999.96 -> 1000.0K at one decimal, so it moves up: 0.99996M -> 1.0M.
        (999_960, "$1.0M"),
        # 999,949 / 1,000 = 999.949 -> 999.9K: still below 1000, stays in K.
        (999_949, "$999.9K"),
        # 999,950,000 / 10^6 = 999.95 -> 1000.0M (half away from zero) -> 1B.
        (999_950_000, "$1.0B"),
        (999_949_999, "$999.9M"),
        # 999.96B -> 1T.
        (999_960_000_000, "$1.0T"),
        # Past 999.9T there is no larger suffix: the scientific form, 999.96T ~ 1.0 x 10^15.
        (999_960_000_000_000, "$1×10¹⁵"),
        (999_940_000_000_000, "$999.9T"),
    ],
)
def test_compact_money_moves_up_a_suffix_instead_of_showing_1000(
    value: float, expected: str
) -> None:
    assert money_compact(value, "USD") == expected
    assert money_compact(-value, "USD") == "-" + expected
    assert signed_money_compact(value, "USD") == "+" + expected
    assert signed_money_compact(-value, "USD") == "-" + expected


def test_compact_money_rounds_half_away_from_zero() -> None:
    # 2.5 -> 3 whole units; 1,250 / 1,000 = 1.25 -> 1.3K (not banker's 1.2K).
    assert money_compact(2.5, "USD") == "$3"
    assert money_compact(-2.5, "USD") == "-$3"
    assert money_compact(1_250, "USD") == "$1.3K"
    assert money_compact(1_249.99, "USD") == "$1.2K"


# --- rule 2: no negative zero ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (percent(-0.0001), "0.0%"),  # -0.0001 x 100 = -0.01% -> 0.0%
        (percent(-0.004, digits=0), "0%"),  # -0.4% -> 0%
        (percent(-0.0), "0.0%"),
        (money(-0.004, "USD"), "$0.00"),
        (money(-0.0, "USD"), "$0.00"),
        (money(-0.4, "JPY"), "¥0"),
        (money(-0.0004, "KWD"), f"KWD{NBSP}0.000"),  # KWD has three decimals
        (money(-0.004, "KWD"), f"-KWD{NBSP}0.004"),  # ... so this is not zero
        (money_compact(-0.4, "USD"), "$0"),
        (money_compact(-0.0, "IDR"), f"IDR{NBSP}0"),
        (months(-0.04), "0.0 months"),
        (number(-0.4), "0"),
        (number(-0.004, digits=2), "0"),
        (count(-0.4), "0"),
        (signed_money_compact(-0.4, "USD"), ""),
        (signed_months(-0.04), ""),
        (percent_points(0.1, 0.1004), ""),  # -0.04 pp rounds to 0.0
    ],
)
def test_a_value_that_rounds_to_zero_has_no_minus(text: str, expected: str) -> None:
    assert text == expected


def test_money_rounds_half_away_from_zero_on_the_value_as_it_reads() -> None:
    # 0.125 reads as 0.125 (not the binary 0.12499...): half a cent up.
    assert money(0.125, "USD") == "$0.13"
    assert money(-0.005, "USD") == "-$0.01"
    assert money(2.5, "JPY") == "¥3"


def test_a_signed_change_of_half_a_unit_is_one_unit_not_zero() -> None:
    # |0.5| is not below 0.5, so it is a change; it rounds (half away from zero) to 1.
    assert signed_money_compact(0.5, "USD") == "+$1"
    assert signed_money_compact(-0.5, "USD") == "-$1"
    assert signed_money_compact(0.49, "USD") == ""


# --- rule 3: CLDR currency spacing -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (money(1_234.56, "IDR"), f"IDR{NBSP}1,234.56"),
        (money_compact(1_600_000, "IDR"), f"IDR{NBSP}1.6M"),
        (money_compact(-1_600_000, "IDR"), f"-IDR{NBSP}1.6M"),
        (money_compact(1_200, "CHF"), f"CHF{NBSP}1.2K"),
        (money(1_200, "CHF"), f"CHF{NBSP}1,200.00"),
        (signed_money_compact(1_200, "CHF"), f"+CHF{NBSP}1.2K"),
        (money_compact(12, "XYZ"), f"XYZ{NBSP}12"),  # an unknown code stands for itself
        (money_compact(1_200, "USD"), "$1.2K"),  # a symbol character: no space
        (money_compact(3_400_000_000, "EUR"), "€3.4B"),
        (money_compact(1_200, "BRL"), "R$1.2K"),  # ends in a symbol character: no space
        (money(1_234.6, "JPY"), "¥1,235"),
    ],
)
def test_a_currency_code_and_its_digits_are_kept_apart(text: str, expected: str) -> None:
    assert text == expected


@pytest.mark.parametrize(
    ("currency", "expected"),
    [
        ("USD", "$"),
        ("IDR", f"IDR{NBSP}"),
        ("CHF", f"CHF{NBSP}"),
        ("BRL", "R$"),
        ("XYZ", "XYZ" + NBSP),
    ],
)
def test_currency_prefix(currency: str, expected: str) -> None:
    assert currency_prefix(currency) == expected
    assert currency_symbol(currency) == expected.rstrip(NBSP)


def test_plotly_money_format_keeps_the_space_after_a_code() -> None:
    assert plotly_money_format("IDR") == (f"IDR{NBSP}", ",.2f")
    assert plotly_money_format("KWD") == (f"KWD{NBSP}", ",.3f")


# --- rule 4: percentage points, signed months, counts ------------------------------------


@pytest.mark.parametrize(
    ("now", "then", "kwargs", "expected"),
    [
        (0.1234, 0.1114, {}, "+1.2 pp"),  # (0.1234 - 0.1114) x 100 = 1.20 pp
        (0.1, 0.104, {}, "-0.4 pp"),  # (0.1 - 0.104) x 100 = -0.40 pp
        (0.3, 0.1, {}, "+20.0 pp"),  # exact on the values as they read, not 19.999...
        (0.1, 0.1004, {}, ""),  # -0.04 pp: below half of 0.1
        (0.1005, 0.1, {}, "+0.1 pp"),  # +0.05 pp: half of 0.1, rounds away from zero
        (0.5, 0.5, {}, ""),
        (12.5, 0.0, {}, "+1,250.0 pp"),
        (0.1234, 0.1114, {"digits": 2}, "+1.20 pp"),
        (0.1, 0.1004, {"digits": 2}, "-0.04 pp"),
        (None, 0.1, {}, ""),
        (0.1, math.nan, {}, ""),
        (math.inf, 0.1, {}, ""),
    ],
)
def test_percent_points(
    now: float | None, then: float | None, kwargs: dict[str, int], expected: str
) -> None:
    assert percent_points(now, then, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "+1.5 months"),
        (-0.3, "-0.3 months"),
        (0.04, ""),  # rounds to 0.0 at one decimal
        (-0.049, ""),
        (0.05, "+0.1 months"),  # half away from zero
        (-12.34, "-12.3 months"),
        (1_234.5, "+1,234.5 months"),
        (None, ""),
        (math.nan, ""),
        (-math.inf, ""),
    ],
)
def test_signed_months(value: float | None, expected: str) -> None:
    assert signed_months(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20_100, "20,100"),
        (20_100.6, "20,101"),
        (20_100.4, "20,100"),
        (20_100.5, "20,101"),  # half away from zero
        (-1_234_567.8, "-1,234,568"),
        (0.4, "0"),
        (7, "7"),
        (None, "n/a"),
        (math.nan, "n/a"),
    ],
)
def test_count_is_whole_with_thousands_separators(value: float | None, expected: str) -> None:
    assert count(value) == expected


def test_count_undefined_word() -> None:
    assert count(None, undefined="—") == "—"


def test_number_honours_more_than_three_digits() -> None:
    assert number(3.14159, digits=4) == "3.1416"
    assert number(3.0, digits=2) == "3"  # trailing zeros dropped, as before


# --- rule 5: unit words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("fraction", "share (%)"),
        ("fraction/year", "% a year"),
        ("money", "USD"),
        ("money/month", "USD per month"),
        ("money/contact", "USD per contact"),
        ("money/purchase", "USD per purchase"),
        ("contacts/month", "contacts per month"),
        ("customers/month", "customers per month"),
        ("referrals/year", "referrals a year"),
        ("months", "months"),
        ("customers", "customers"),
        ("widgets/week", "widgets per week"),  # unknown: "/" reads " per "
        ("things", "things"),
    ],
)
def test_unit_words(unit: str, expected: str) -> None:
    assert unit_words(unit, "USD") == expected


def test_unit_words_money_is_the_currency_code() -> None:
    assert unit_words("money/month", "IDR") == "IDR per month"
    assert unit_words("money", "JPY") == "JPY"


def test_every_model_unit_reads_as_words() -> None:
    units = {spec.unit for spec in NUMERIC_FIELDS.values()}
    for unit in units:
        words = unit_words(unit, "EUR")
        assert "/" not in words, unit
        assert "money" not in words, unit
        assert words != "fraction", unit


# --- rule 6: total, readable for any float in any currency -------------------------------

ALL_CURRENCIES = [*sorted(list_currencies()), "XYZ"]

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SCALE = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_NEGATIVE_NUMBER = re.compile(r"-\D*?(\d[\d,]*(?:\.\d+)?)")


def _assert_readable(text: str) -> None:
    """A str with no float junk and no negative number that reads as zero.

    ``-0.5`` is fine; ``-0``, ``-0.0``, ``-$0.00``, ``-IDR 0`` are not.
    """
    assert isinstance(text, str)
    lowered = text.lower()
    for junk in ("nan", "inf", "e+", "e-"):
        assert junk not in lowered, text
    for match in _NEGATIVE_NUMBER.finditer(text):
        assert Decimal(match.group(1).replace(",", "")) != 0, text


def _parse_compact(text: str, currency: str) -> tuple[float, float]:
    """(value, tolerance) read back from compact money: half of its last digit."""
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.removeprefix("-").removeprefix("+")
    prefix = currency_prefix(currency)
    assert body.startswith(prefix), text
    body = body[len(prefix) :]
    scientific = re.fullmatch(r"(\d(?:\.\d)?)×10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", body)
    if scientific:
        power = int(scientific.group(2).translate(_SUPERSCRIPT_DIGITS))
        return sign * float(scientific.group(1)) * 10.0**power, 0.05 * 10.0**power
    plain = re.fullmatch(r"(\d[\d,]*(?:\.\d)?)([KMBT]?)", body)
    assert plain, text
    mantissa = float(plain.group(1).replace(",", ""))
    assert mantissa < 1000, text  # rule 1, whatever the suffix
    scale = _SCALE[plain.group(2)]
    tolerance = 0.05 * scale if plain.group(2) else 0.5
    return sign * mantissa * scale, tolerance


ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=400, deadline=None)
@given(value=ANY_FLOAT, other=ANY_FLOAT, currency=st.sampled_from(ALL_CURRENCIES))
@example(value=1e308, other=-1e308, currency="USD")
@example(value=-1e308, other=1e308, currency="IDR")
@example(value=-0.0, other=0.0, currency="JPY")
@example(value=math.nan, other=math.nan, currency="EUR")
@example(value=math.inf, other=-math.inf, currency="KWD")
@example(value=5e-324, other=-5e-324, currency="CLF")
@example(value=-5e-324, other=0.0, currency="XOF")
@example(value=999_960.0, other=-999_960.0, currency="CHF")
@example(value=-0.5, other=0.5, currency="XYZ")
@example(value=9.9996e14, other=-9.9996e14, currency="USD")
def test_every_formatter_is_total_and_readable(value: float, other: float, currency: str) -> None:
    texts = [
        money(value, currency),
        money_compact(value, currency),
        signed_money_compact(value, currency),
        percent(value),
        percent(value, digits=0),
        percent(value, digits=3),
        percent_points(value, other),
        percent_points(other, value, digits=2),
        months(value),
        signed_months(value),
        number(value),
        number(value, digits=2),
        count(value),
        currency_symbol(currency),
        currency_prefix(currency),
        unit_words("money/month", currency),
        *plotly_money_format(currency),
    ]
    for text in texts:
        _assert_readable(text)
    for signed in (signed_money_compact(value, currency), signed_months(value)):
        assert signed == "" or signed[0] in "+-"
    if math.isfinite(value) and abs(value) < 1e15:
        for text in (money_compact(value, currency), signed_money_compact(value, currency)):
            if not text:
                assert abs(value) < 0.5
                continue
            parsed, tolerance = _parse_compact(text, currency)
            assert abs(parsed - value) <= tolerance * (1 + 1e-9), (value, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Past 10^15 (a thousand trillion) every figure reads as a power of ten.
        (money(1e308, "USD"), "$1×10³⁰⁸"),
        (money(-1.8e307, "USD"), "-$1.8×10³⁰⁷"),
        (money_compact(1.8e307, "IDR"), f"IDR{NBSP}1.8×10³⁰⁷"),
        (money_compact(1e15, "USD"), "$1×10¹⁵"),
        (signed_money_compact(-2.5e16, "EUR"), "-€2.5×10¹⁶"),
        # 9.96e15 -> mantissa 9.96 rounds to 10.0 -> 1.0 x 10^16
        (money_compact(9.96e15, "USD"), "$1×10¹⁶"),
        (percent(1e308), "1×10³¹⁰%"),  # 1e308 x 100 = 1e310 (no float overflow)
        (percent_points(1e308, -1e308), "+2×10³¹⁰ pp"),  # (1e308 + 1e308) x 100
        (months(1e308), "1×10³⁰⁸ months"),
        (signed_months(-1e308), "-1×10³⁰⁸ months"),
        (number(1e20), "1×10²⁰"),
        (count(-1e308), "-1×10³⁰⁸"),
        (money(10**400, "USD"), "$1×10⁴⁰⁰"),  # an int beyond the float range
        # Just below: still exact.
        (money(999_999_999_999_999.0, "USD"), "$999,999,999,999,999.00"),
        (money_compact(999_940_000_000_000, "USD"), "$999.9T"),
    ],
)
def test_huge_values_read_as_a_power_of_ten(text: str, expected: str) -> None:
    assert text == expected


@pytest.mark.parametrize("value", [5e-324, -5e-324, 1e-300, -1e-300])
def test_tiny_values_are_zero(value: float) -> None:
    assert money(value, "USD") == "$0.00"
    assert money_compact(value, "USD") == "$0"
    assert signed_money_compact(value, "USD") == ""
    assert percent(value) == "0.0%"
    assert months(value) == "0.0 months"
    assert number(value) == "0"
