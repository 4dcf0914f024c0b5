"""User text shown back to people: in Markdown, in Plotly labels, in messages. Pure.

Text someone typed or uploaded (a prospect's name, a scenario name, a CSV header,
a link value) is shown as typed: never as a link, an image, a heading, a formula
or markup, and never with invisible control characters.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "escape_markdown", "label_markdown", "plotly_label"]

#: Every character Markdown (CommonMark, GFM, Streamlit's ``:emoji:``/``:red[]``
#: directives, ``$`` math) can read as syntax. Each ASCII punctuation character may
#: be backslash-escaped in CommonMark, so escaping is always safe.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")

#: Bidirectional embeddings, overrides and isolates: they reorder what is shown.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_ELLIPSIS = "…"

#: Where GFM sees a literal autolink: a scheme's ``://``, ``www.``, an e-mail's ``@``.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[Ww]{3})(?=\.)|(?=@)")


def escape_markdown(text: str) -> str:
    """Every Markdown control character backslash-escaped, so ``st.markdown`` shows
    the text as typed.

    Escaped: ``\\ ` * _ { } [ ] ( ) # + - . ! | < > ~ $ : & =``. So links and images
    (``[x](url)``, ``![x](url)``) stay text, autolinks break at ``\\:`` and ``\\.``,
    heading, quote and list markers at the start of a line (``#``, ``>``, ``-``,
    ``+``, ``1.``, ``1)``) and setext underlines (``===``) are plain characters,
    ``$`` opens no math, ``:red[x]`` colours nothing and ``&amp;`` reads as typed.

    Escapes do not stop GFM's *literal* autolinks (a bare ``https://…``,
    ``www.…`` or ``name@host`` becomes a live link whatever its backslashes), so
    an invisible WORD JOINER (U+2060) is put inside each of those patterns:
    ``https:⁠//``, ``www⁠.``, ``name⁠@host`` read the same and link nowhere.
    Removing the backslash before each escaped character, and the word joiners,
    gives the text back.
    """
    defused = _AUTOLINK.sub(_JOINER, text)
    return _MARKDOWN.sub(r"\\\1", defused)


#: Text Markdown reads as itself: a letter first, then letters, digits, spaces, parentheses,
#: commas, apostrophes, slashes, and dots or hyphens after the first character.
_PLAIN = re.compile(r"[^\W\d_][\w ()',/.\-]*")


def label_markdown(text: str) -> str:
    """User text for a widget label (Streamlit reads labels as Markdown): as it is when
    Markdown would show it as typed (``X (Twitter)``), else :func:`escape_markdown`.

    A label is also the widget's accessible name, where escapes would be read out as
    backslashes; plain names keep none.
    """
    if _PLAIN.fullmatch(text) and "_" not in text and "www." not in text.lower():
        return text
    return escape_markdown(text)


def plotly_label(text: str) -> str:
    """User text for a Plotly label, legend, title or hover: shown as typed.

    Plotly reads a little HTML, so ``&``, ``<`` and ``>`` become entities; quotes
    stay quotes (``&quot;`` would show literally: Plotly does not decode it). A
    ``%{`` gets a zero-width space after the ``%`` so a hover template never reads
    user text as a ``%{variable}``.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("%{", "%\u200b{")


def _shown(char: str) -> bool:
    """False for a control character (C0, DEL, C1) other than tab and newline, a
    lone surrogate or a bidirectional override."""
    if char in "\t\n":
        return True
    return unicodedata.category(char) not in ("Cc", "Cs") and char not in _BIDI


def clean_text(text: str, limit: int) -> str:
    """Untrusted text safe to echo in a message: control characters (C0, DEL and C1
    except tab and newline), lone surrogates and bidirectional overrides removed,
    then at most ``limit`` characters, ending in ``…`` when it was cut.

    ``limit`` counts the ellipsis; a limit of zero or less gives ``""``.
    """
    kept = "".join(char for char in text if _shown(char))
    if len(kept) <= limit:
        return kept
    if limit <= 0:
        return ""
    return kept[: limit - 1] + _ELLIPSIS
