"""A small, safe text format for the legal documents staff write in the admin.

Blank lines separate paragraphs; ``# `` and ``## `` start headings; ``- `` starts a list
item; ``**words**`` are in bold; ``[text](https://…)``, ``(mailto:…)`` or ``(/path)``
is a link. Every character typed is escaped first: markup in the text is shown as
typed, never interpreted, and a link can only lead to http(s), mailto or this site.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\[\]]+)\]\(((?:https?://|mailto:|/(?!/))[^\s()<>\"']*)\)")


def _inline(text: str) -> str:
    # Escape first, then recognise the few constructs on the escaped text: whatever the
    # patterns capture is already harmless.
    html: str = str(escape(text))
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    return _BOLD.sub(r"<strong>\1</strong>", html)


def _block(lines: list[str], heading_level: int) -> str:
    first = lines[0]
    if first.startswith("## "):
        level = min(heading_level + 1, 6)
        return f"<h{level}>{_inline(' '.join(lines)[3:].strip())}</h{level}>"
    if first.startswith("# "):
        return f"<h{heading_level}>{_inline(' '.join(lines)[2:].strip())}</h{heading_level}>"
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>"


def render(text: str, *, heading_level: int = 2) -> SafeString:
    """``text`` as HTML, every character escaped but for the constructs above.
    ``# `` gives a heading of ``heading_level``, ``## `` the level below."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        starts_block = line.startswith(("# ", "## "))
        if not line or (starts_block and current):
            if current:
                blocks.append(current)
            current = []
        if line:
            current.append(line)
            if starts_block:  # a heading is one line
                blocks.append(current)
                current = []
    if current:
        blocks.append(current)
    # Every piece went through escape() in _inline: the assembled text is safe.
    return mark_safe("\n".join(_block(lines, heading_level) for lines in blocks))  # noqa: S308
