"""roi_ui.text: user text shown as typed in Markdown, in Plotly labels and in messages."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roi_ui.text import clean_text, escape_markdown, label_markdown, plotly_label

#: Characters Markdown reads as syntax: none may be left unescaped.
CONTROL = "[]()!<>`*_#$"

ATTACKS = [
    "[Session expired, sign in](https://evil.example/login)",
    "![x](https://evil.example/x.png)",
    '=HYPERLINK("http://x","y")',
    "<https://evil.example>",
    "https://evil.example/login",
    "www.evil.example",
    "# Heading",
    "> quoted",
    "- item",
    "+ item",
    "1. item",
    "1) item",
    "Acme\n===",
    "$x^2$ and $$y$$",
    ":red[alarm] :material/warning: :smile:",
    "**bold** _it_ ~~gone~~ `code`",
    "a | b\n--|--\n1 | 2",
    "&lt;script&gt; &amp;",
    "back\\slash \\[not a link\\](x)",
    "<img src=x onerror=alert(1)>",
]


JOINER = "\u2060"


def _unescape(text: str) -> str:
    """Remove the backslash before each ASCII punctuation character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(JOINER, "")


def _unescaped_controls(text: str) -> list[str]:
    """Control characters not preceded by an odd run of backslashes."""
    found = []
    for at, char in enumerate(text):
        if char not in CONTROL:
            continue
        run = len(text[:at]) - len(text[:at].rstrip("\\"))
        if run % 2 == 0:
            found.append(char)
    return found


# --- escape_markdown ---------------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_escape_markdown_leaves_no_control_character_unescaped(attack: str) -> None:
    escaped = escape_markdown(attack)
    assert _unescaped_controls(escaped) == []
    assert _unescape(escaped) == attack


def test_escape_markdown_known_values() -> None:
    # A word joiner (invisible) breaks each literal autolink: https:⁠//, www⁠., a⁠@b.
    assert escape_markdown("[Session expired, sign in](https://evil.example/login)") == (
        r"\[Session expired, sign in\]\(https\:" + JOINER + r"//evil\.example/login\)"
    )
    assert escape_markdown("![x](https://evil.example/x.png)") == (
        r"\!\[x\]\(https\:" + JOINER + r"//evil\.example/x\.png\)"
    )
    assert escape_markdown('=HYPERLINK("http://x","y")') == (
        r'\=HYPERLINK\("http\:' + JOINER + r'//x","y"\)'
    )
    assert escape_markdown("www.evil.example") == "www" + JOINER + r"\.evil\.example"
    assert escape_markdown("ana@evil.example") == "ana" + JOINER + r"@evil\.example"
    assert escape_markdown("# Acme") == r"\# Acme"
    assert escape_markdown("> Acme") == r"\> Acme"
    assert escape_markdown("- Acme") == r"\- Acme"
    assert escape_markdown("1. Acme") == r"1\. Acme"
    assert escape_markdown("$5 & $6") == r"\$5 \& \$6"
    assert escape_markdown("Acme Corp") == "Acme Corp"


def test_escape_markdown_keeps_the_behaviour_of_the_presenter_version() -> None:
    # The presenter's escape (before the move) escaped this set; it still does.
    for char in "\\`*_{}[]()#+-.!|<>~$:&":
        assert escape_markdown(char) == "\\" + char


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("[a](b)")
@example("\\")
@example("\\\\[x]")
def test_escape_markdown_round_trips_any_text(text: str) -> None:
    escaped = escape_markdown(text)
    assert _unescaped_controls(escaped) == []
    assert _unescape(escaped) == text


# --- plotly_label ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme <b>Corp</b>", "Acme &lt;b&gt;Corp&lt;/b&gt;"),
        ("R&D", "R&amp;D"),
        ('The "Best" plan', 'The "Best" plan'),  # no &quot;: Plotly would show it as is
        ("O'Brien's", "O'Brien's"),
        (
            "<a href='https://evil.example'>x</a>",
            "&lt;a href='https://evil.example'&gt;x&lt;/a&gt;",
        ),
        ("100%{y}", "100%\u200b{y}"),  # never a hover-template variable
        ("100% sure", "100% sure"),
        ("&amp;", "&amp;amp;"),  # shows "&amp;" as typed
    ],
)
def test_plotly_label(text: str, expected: str) -> None:
    assert plotly_label(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
@example("%\u200b{")
def test_plotly_label_has_no_markup_and_no_quote_entities(text: str) -> None:
    label = plotly_label(text)
    assert "<" not in label
    assert ">" not in label
    assert "&quot;" not in label
    assert label.count('"') == text.count('"')
    assert "%{" not in label
    decoded = label.replace("%\u200b{", "%{")
    decoded = decoded.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert decoded == text.replace("%\u200b{", "%{")  # a "%", zero-width space, "{" typed


# --- clean_text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Revenue", 40, "Revenue"),
        ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg", 40, "abcdefg"),  # C0, DEL, C1 removed
        ("tab\tand\nnewline", 40, "tab\tand\nnewline"),  # kept
        ("carriage\r\nreturn", 40, "carriage\nreturn"),
        ("lone \ud800 surrogate", 40, "lone  surrogate"),
        ("evil\u202etxt.exe", 40, "eviltxt.exe"),  # bidi override removed
        ("héllo 👋", 40, "héllo 👋"),
        ("abcdefghij", 10, "abcdefghij"),  # exactly the limit: untouched
        ("abcdefghijk", 10, "abcdefghi…"),  # 9 characters + the ellipsis = 10
        ("a\x00" * 8, 5, "aaaa…"),  # cleaned first (8 characters), then trimmed
        ("abc", 1, "…"),
        ("abc", 0, ""),
        ("abc", -3, ""),
        ("", 0, ""),
    ],
)
def test_clean_text(text: str, limit: int, expected: str) -> None:
    assert clean_text(text, limit) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=())), st.integers(min_value=0, max_value=50))
def test_clean_text_is_short_and_printable(text: str, limit: int) -> None:
    cleaned = clean_text(text, limit)
    assert len(cleaned) <= limit
    for char in cleaned:
        assert char in "\t\n" or not (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F)
        assert not 0xD800 <= ord(char) <= 0xDFFF
    cleaned.encode("utf-8")  # no lone surrogate left: it encodes
    if len(text) <= limit:
        assert cleaned == "".join(c for c in text if c == clean_text(c, 1))


# --- label_markdown ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Fax", "X (Twitter)", "Live-Chat", "WhatsApp Business", "Café"])
def test_label_markdown_keeps_plain_names_as_they_are(name: str) -> None:
    """A widget label is also its accessible name: no backslashes for plain text."""
    assert label_markdown(name) == name


@pytest.mark.parametrize("attack", ATTACKS)
def test_label_markdown_escapes_anything_markdown_would_read(attack: str) -> None:
    assert label_markdown(attack) == escape_markdown(attack)


@given(st.text(max_size=40))
@settings(max_examples=300)
def test_label_markdown_is_plain_or_escaped(text: str) -> None:
    shown = label_markdown(text)
    assert shown in (text, escape_markdown(text))
    if shown != escape_markdown(text):  # kept as typed although escaping would change it
        assert text[0].isalpha()
        assert not set(text) & set("[]!<>`*_#$~|:&=+")
