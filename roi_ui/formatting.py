# The multiplication sign in docstrings is the real output (CLDR superscriptingExponent).
# ruff: noqa: RUF002
"""Money, percent, months and counts as people read them. Pure functions over Babel.

Money is formatted for the scenario's currency (its symbol and its number of
decimals as CLDR gives them: none for JPY, two for USD or IDR, three for KWD),
compact on KPI cards (``$1.2M``) and exact in tables (``$1,234,567.89``).

The rules every function here keeps:

* **Rounding** is half away from zero on the value as it reads (its shortest
  decimal form: ``0.125`` is ``0.125``, not the binary fraction just below it),
  the way people round by hand: ``$2.5`` compact is ``$3``, ``1.25M`` is ``1.3M``.
* **No negative zero**: a value that rounds to zero never shows a minus sign
  (``-0.0001`` is ``0.0%``, ``-$0.004`` is ``$0.00``).
* **Currency spacing** follows CLDR's ``currencySpacing``: where the symbol next to
  the digits is not itself a symbol character (a code such as ``IDR`` or ``CHF``),
  a no-break space (U+00A0) separates them: ``IDR 1,234.56``, ``CHF 1.2K``, but
  ``$1.2K``, ``R$1.2K``, ``€3.4B``.
* **Compact** money never shows a mantissa of 1000: ``$999,960`` is ``$1.0M``.
* **Beyond a thousand trillion** (|value| >= 10^15, past the ``T`` of compact
  money, where a float no longer holds every digit anyway) a figure reads in
  scientific form with a superscript power of ten, CLDR's
  ``superscriptingExponent``: ``$1.8×10³⁰⁷``, ``-IDR 2×10¹⁵``, ``1×10¹⁷%``. Never
  ``1.8e+307`` and never three hundred digits.
* **Total**: every function takes any float (and None where the signature says
  so), in any currency code (unknown codes stand for themselves), and returns a
  string. Undefined figures (None, NaN, ±inf) read as words, never ``nan`` or
  ``inf``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)

from roi_core import i18n
from roi_core.i18n import N_

__all__ = [
    "count",
    "currency_prefix",
    "currency_symbol",
    "money",
    "money_compact",
    "months",
    "number",
    "percent",
    "percent_points",
    "plotly_money_format",
    "signed_money_compact",
    "signed_months",
    "unit_words",
]

_ = i18n.gettext

#: Rounding half away from zero, with room for every digit of any float we round.
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)

#: From here on a figure reads in scientific form (see the module docstring).
_HUGE = Decimal(10) ** 15

#: CLDR's insertBetween for currencySpacing: a no-break space.
_NBSP = "\u00a0"

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

#: Words for the model's units (roi_core FieldSpec.unit); ``money`` is the currency code.
_UNIT_WORDS = {
    "fraction": N_("share (%)"),
    "fraction/year": N_("% a year"),
    "referrals/year": N_("referrals a year"),
}

#: The model's plain units, for the catalog (``unit_words`` translates them).
_UNITS = (
    N_("months"), N_("customers"), N_("contacts"), N_("month"), N_("year"), N_("contact"),
    N_("purchase"),
)  # fmt: skip


def _undefined(given: str | None) -> str:
    """What an undefined figure reads: ``given``, else "n/a" in the current language."""
    return _("n/a") if given is None else given


# --- numbers as decimals -----------------------------------------------------------------


def _decimal(value: float | None) -> Decimal | None:
    """The value as it reads (shortest repr of the float), or None when undefined.

    None, NaN and ±inf are undefined. Integers are taken exactly, so an int beyond
    the float range is still a (huge) number rather than an OverflowError.
    """
    if value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    as_float = float(value)
    if not math.isfinite(as_float):
        return None
    return Decimal(repr(as_float))


def _digits(digits: int) -> int:
    """Decimals asked for, kept within 0..10 (a negative count reads as none)."""
    return max(0, min(int(digits), 10))


def _round(value: Decimal, digits: int) -> Decimal:
    """Half away from zero to ``digits`` decimals; a result of zero is +0, never -0."""
    rounded = value.quantize(Decimal(1).scaleb(-digits), context=_CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _sign(value: Decimal) -> str:
    """The locale's minus sign for a negative value, else nothing."""
    return str(get_minus_sign_symbol(i18n.locale())) if value < 0 else ""


def _signed(value: Decimal) -> str:
    """The locale's plus or minus sign for a change (value is not zero)."""
    return str(get_plus_sign_symbol(i18n.locale())) if value > 0 else _sign(value)


@lru_cache(maxsize=4)
def _times_ten(locale: str) -> str:
    """CLDR's superscriptingExponent for the locale: ``×`` in English."""
    symbols = Locale.parse(locale).number_symbols["latn"]
    return str(symbols.get("superscriptingExponent", "\u00d7"))


def _scientific(value: Decimal) -> str:
    """``|value|`` as ``1.8×10³⁰⁷``: one decimal in the mantissa (dropped when zero).

    Rounds half away from zero; a mantissa that rounds to 10 moves to the next power.
    """
    size = value.copy_abs()
    if size.is_zero():
        return "0"
    power = size.adjusted()
    mantissa = _round(size.scaleb(-power, context=_CONTEXT), 1)
    if mantissa >= 10:
        power += 1
        mantissa = _round(size.scaleb(-power, context=_CONTEXT), 1)
    text = str(format_decimal(mantissa, format="0.#", locale=i18n.locale()))
    return f"{text}{_times_ten(i18n.locale())}10{str(power).translate(_SUPERSCRIPT)}"


def _plain(value: Decimal, digits: int, *, fixed: bool) -> str:
    """``|value|`` with thousands separators and ``digits`` decimals.

    ``fixed`` keeps trailing zeros (``1.50``), otherwise they go (``1.5``). Beyond
    10^15 the scientific form.
    """
    size = value.copy_abs()
    if size >= _HUGE:
        return _scientific(size)
    places = ("0" if fixed else "#") * digits
    pattern = f"#,##0.{places}" if places else "#,##0"
    return str(format_decimal(_round(size, digits), format=pattern, locale=i18n.locale()))


# --- currency ----------------------------------------------------------------------------


def currency_symbol(currency: str) -> str:
    """``$`` for USD, ``€`` for EUR, ``₹`` for INR, ``IDR`` where there is no short symbol
    (in English; ``Rp`` for IDR and ``US$`` for USD in Indonesian).

    An unknown code (``XYZ``) stands for itself.
    """
    return _symbol(currency, i18n.locale())


@lru_cache(maxsize=512)
def _symbol(currency: str, locale: str) -> str:
    return str(get_currency_symbol(currency, locale=locale))


def _spaced_symbol(symbol: str) -> bool:
    """CLDR currencySpacing: a symbol whose edge character is neither a symbol (S*)
    nor a separator (Z*) takes a no-break space next to digits (``IDR``, ``CHF``)."""
    return bool(symbol) and unicodedata.category(symbol[-1])[0] not in "SZ"


def currency_prefix(currency: str) -> str:
    """What goes before the digits: ``$`` for USD, ``IDR\\u00a0`` (with a no-break
    space, CLDR currencySpacing) for a code without a short symbol."""
    return _prefix(currency, i18n.locale())


@lru_cache(maxsize=512)
def _prefix(currency: str, locale: str) -> str:
    symbol = _symbol(currency, locale)
    return symbol + _NBSP if _spaced_symbol(symbol) else symbol


def _with_spacing(text: str, currency: str) -> str:
    """Babel's ``IDR1,234.56`` as CLDR spaces it: ``IDR 1,234.56`` (no-break space).

    Babel applies the currency pattern but not CLDR's currencySpacing; this inserts
    it where the symbol is followed by a digit.
    """
    symbol = currency_symbol(currency)
    at = text.find(symbol) if symbol else -1
    end = at + len(symbol)
    if at < 0 or end >= len(text) or not text[end].isdigit() or not _spaced_symbol(symbol):
        return text
    return text[:end] + _NBSP + text[end:]


def _money_scientific(value: Decimal, currency: str) -> str:
    """Money beyond 10^15: ``$1.8×10³⁰⁷``, ``-IDR 2×10¹⁵``."""
    return _sign(value) + currency_prefix(currency) + _scientific(value)


def money(value: float | None, currency: str, *, undefined: str | None = None) -> str:
    """Exact money for tables: ``$1,234,567.89``, ``¥1,234,568``, ``IDR 1,234.56``.

    The currency's CLDR decimals, rounded half away from zero; zero has no minus.
    Beyond 10^15 the scientific form (``$1.8×10³⁰⁷``); undefined reads ``undefined``.
    """
    amount = _decimal(value)
    if amount is None:
        return _undefined(undefined)
    if amount.copy_abs() >= _HUGE:
        return _money_scientific(amount, currency)
    rounded = _round(amount, get_currency_precision(currency))
    return _with_spacing(str(format_currency(rounded, currency, locale=i18n.locale())), currency)


def _compact_amount(size: Decimal) -> Decimal | None:
    """``size`` (999.5 up to 10^15) rounded as compact money shows it: one decimal of
    K, M, B or T, in the smallest of them whose mantissa stays below 1000 (``999,960``
    is ``1.0M``, never ``1000.0K``). None past ``999.9T``."""
    for group in (3, 6, 9, 12):
        mantissa = _round(size.scaleb(-group, context=_CONTEXT), 1)
        if mantissa < 1000:
            return mantissa.scaleb(group, context=_CONTEXT)
    return None


def _compact(amount: Decimal, currency: str) -> str:
    """Compact money for a defined amount (see ``money_compact``)."""
    if amount.copy_abs() >= _HUGE:
        return _money_scientific(amount, currency)
    whole = _round(amount, 0)
    if whole.copy_abs() < 1000:
        text = format_currency(
            whole, currency, locale=i18n.locale(), currency_digits=False, format="¤#,##0"
        )
        return _with_spacing(str(text), currency)
    shown = _compact_amount(amount.copy_abs())
    if shown is None:
        return _money_scientific(amount, currency)
    text = format_currency(
        shown.copy_sign(amount).scaleb(-_group(shown), context=_CONTEXT),
        currency,
        locale=i18n.locale(),
        currency_digits=False,
        format=_compact_pattern(_group(shown)),
    )
    return _with_spacing(str(text), currency)


def _group(size: Decimal) -> int:
    """The power of a thousand compact money divides ``size`` (>= 1000) by."""
    return 3 * min(4, max(1, (len(str(int(size))) - 1) // 3))


def _compact_pattern(group: int) -> str:
    return _compact_pattern_in(group, i18n.locale())


@lru_cache(maxsize=16)
def _compact_pattern_in(group: int, locale: str) -> str:
    """CLDR's short compact currency pattern for 10^group (``¤0K``), with one
    decimal always shown (``¤0.0K``): ``$1.0M``, ``$867.2K``, never ``$1M``."""
    patterns = Locale.parse(locale).compact_currency_formats["short"]["other"]
    pattern: str = patterns[str(10**group)].pattern
    return re.sub(r"0+", "0.0", pattern, count=1)


def money_compact(value: float | None, currency: str, *, undefined: str | None = None) -> str:
    """Short money for KPI cards: ``$867.0K``, ``-$1.2M``, ``€3.4B``, ``IDR 1.6M``.

    Below a thousand, whole units (``$13``; ``999.6`` reads ``$1.0K``). From there one
    decimal of K, M, B or T, always shown (``$1.0K``, ``$1.0M``), never a
    mantissa of 1000 (``999,960`` is ``$1.0M``). Past ``999.9T`` the scientific form
    (``$1×10¹⁵``, ``$1.8×10³⁰⁷``). Zero has no minus; undefined reads ``undefined``.
    """
    amount = _decimal(value)
    if amount is None:
        return _undefined(undefined)
    return _compact(amount, currency)


def signed_money_compact(value: float | None, currency: str) -> str:
    """A KPI delta: ``+$12.3K`` / ``-$4.1K``.

    A change that rounds to zero whole units (|value| < 0.5) is no change and reads
    ``""``, as does an undefined one.
    """
    amount = _decimal(value)
    if amount is None or amount.copy_abs() < Decimal("0.5"):
        return ""
    return _signed(amount) + _compact(amount.copy_abs(), currency)


def plotly_money_format(currency: str) -> tuple[str, str]:
    """``(tickprefix, d3 format)`` for a money axis or hover in this currency.

    The prefix is ``currency_prefix`` (``$``; ``IDR`` with a no-break space), the
    format has the currency's CLDR decimals: ``("¥", ",.0f")``, ``("$", ",.2f")``.
    """
    digits = get_currency_precision(currency)
    return currency_prefix(currency), f",.{digits}f"


# --- percent, months, counts -------------------------------------------------------------


def percent(value: float | None, *, digits: int = 1, undefined: str | None = None) -> str:
    """A fraction as a percentage: ``0.927`` → ``92.7%``, ``12.5`` → ``1,250.0%``.

    ``digits`` decimals (0..10), half away from zero; ``-0.0001`` is ``0.0%``.
    Beyond 10^15 percent the scientific form; undefined reads ``undefined``.
    """
    fraction = _decimal(value)
    if fraction is None:
        return _undefined(undefined)
    points = fraction.scaleb(2, context=_CONTEXT)
    if points.copy_abs() >= _HUGE:
        return _sign(points) + _scientific(points) + "%"
    places = _digits(digits)
    pattern = "#,##0." + "0" * places + "%" if places else "#,##0%"
    shown = _round(points, places).scaleb(-2, context=_CONTEXT)
    return str(format_percent(shown, format=pattern, locale=i18n.locale()))


def percent_points(now: float | None, then: float | None, *, digits: int = 1) -> str:
    """The change between two fractions in percentage points: ``+1.2 pp`` / ``-0.4 pp``.

    ``(now - then) × 100``, taken on the values as they read (``0.3 - 0.1`` is
    exactly 20 points). ``""`` when either is undefined or the change is below
    half the last digit shown (it would round to zero).
    """
    a, b = _decimal(now), _decimal(then)
    if a is None or b is None:
        return ""
    change = _CONTEXT.subtract(a, b).scaleb(2, context=_CONTEXT)
    places = _digits(digits)
    if change.copy_abs() < _HUGE and _round(change, places).is_zero():
        return ""
    return _("{n} pp").format(n=_signed(change) + _plain(change, places, fixed=True))


def months(value: float | None, *, undefined: str | None = None) -> str:
    """Payback: ``11.7 months`` (one decimal); ``never`` when it does not happen.

    ``-0.04`` is ``0.0 months``; beyond 10^15 months the scientific form.
    """
    span = _decimal(value)
    if span is None:
        return _("never") if undefined is None else undefined
    rounded = span if span.copy_abs() >= _HUGE else _round(span, 1)
    return _("{n} months").format(n=_sign(rounded) + _plain(rounded, 1, fixed=True))


def signed_months(value: float | None) -> str:
    """A change in months: ``+1.5 months`` / ``-0.3 months``.

    ``""`` when undefined or when it rounds to zero at one decimal (|value| < 0.05).
    """
    span = _decimal(value)
    if span is None or span.copy_abs() < Decimal("0.05"):
        return ""
    return _("{n} months").format(n=_signed(span) + _plain(span, 1, fixed=True))


def number(value: float | None, *, digits: int = 0, undefined: str | None = None) -> str:
    """A figure with thousands separators and up to ``digits`` decimals (0..10),
    trailing zeros dropped: ``20,100``, ``3.1``, ``-1,234,567.89``.

    Half away from zero; zero has no minus; beyond 10^15 the scientific form.
    """
    figure = _decimal(value)
    if figure is None:
        return _undefined(undefined)
    places = _digits(digits)
    rounded = figure if figure.copy_abs() >= _HUGE else _round(figure, places)
    return _sign(rounded) + _plain(rounded, places, fixed=False)


def count(value: float | None, *, undefined: str | None = None) -> str:
    """A whole number of things: ``20,100``; never decimals (``20,100.6`` → ``20,101``).

    Half away from zero; zero has no minus; beyond 10^15 the scientific form.
    """
    return number(value, digits=0, undefined=undefined)


# --- units -------------------------------------------------------------------------------


def unit_words(unit: str, currency: str) -> str:
    """A model unit (roi_core ``FieldSpec.unit``) in words people read.

    ``money`` is the currency code and ``money/X`` is ``<code> per X`` (``USD per
    month``); ``fraction`` is ``share (%)``, ``fraction/year`` is ``% a year``,
    ``referrals/year`` is ``referrals a year``; any other ``a/b`` is ``a per b``
    (``contacts per month``), and a plain unit is itself (``months``, ``customers``).
    """
    if unit in _UNIT_WORDS:
        return _(_UNIT_WORDS[unit])
    head, sep, tail = unit.partition("/")
    text = currency if head == "money" else _(head)
    for per in tail.split("/") if sep else []:
        text = _("{a} per {b}").format(a=text, b=_(per))
    return text
