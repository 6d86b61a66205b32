"""The edition's look, defined once: inline ``style`` attributes in email, classes in the draft page.

Email clients drop ``<style>`` blocks and ignore classes often enough that the email carries every
rule inline; the draft page (read in a browser by a reviewer) uses the same rules as classes plus
the verdict colours.
"""

from __future__ import annotations

from typing import Literal

from markupsafe import Markup

__all__ = ["STYLES", "VERDICT_STYLES", "Mode", "attribute", "stylesheet"]

Mode = Literal["draft", "email"]

_SERIF = "Georgia, 'Times New Roman', serif"
_SANS = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"

STYLES: dict[str, str] = {
    "body": f"margin:0;padding:0;background:#f4f3ef;color:#1d1d1b;font-family:{_SERIF};",
    "page": "max-width:680px;margin:0 auto;padding:24px 28px;background:#ffffff;",
    # Email: a 600 px table (the width attribute is what Outlook's Word engine honours; the style lets
    # it shrink on a phone), content in one cell, long model names and URLs allowed to break.
    "outer": "width:100%;background:#f4f3ef;",
    "sheet": "width:100%;max-width:600px;table-layout:fixed;background:#ffffff;",
    "cell": "padding:24px 20px;overflow-wrap:break-word;word-wrap:break-word;",
    "preview": "display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;"
    "overflow:hidden;mso-hide:all;",
    "nav": f"padding:14px 20px 0 20px;font-family:{_SANS};font-size:13px;color:#6b6b66;",
    "footer": f"padding:16px 20px 24px 20px;border-top:1px solid #e4e2dc;font-family:{_SANS};font-size:12px;"
    "line-height:1.6;color:#6b6b66;",
    "correction": f"font-family:{_SANS};font-size:13px;color:#8a5a00;border-left:3px solid #8a5a00;"
    "padding:4px 10px;margin:0 0 20px 0;",
    "title": "font-size:32px;line-height:1.2;margin:8px 0 4px 0;",
    "date": f"font-family:{_SANS};font-size:14px;color:#6b6b66;margin:0 0 24px 0;",
    "status": f"font-family:{_SANS};font-size:13px;color:#6b6b66;border:1px solid #d8d6cf;padding:6px 10px;"
    "margin:0;",
    "legend": f"font-family:{_SANS};font-size:12px;line-height:1.7;color:#6b6b66;margin:6px 0 20px 0;",
    "para": "font-size:17px;line-height:1.6;margin:0 0 16px 0;",
    "byline": "font-size:16px;font-style:italic;margin:0 0 32px 0;",
    "drafted": "font-size:13px;color:#555555;margin:0 0 32px 0;",
    "section": "margin:0 0 32px 0;",
    "h2": f"font-family:{_SANS};font-size:20px;border-bottom:2px solid #1d1d1b;padding-bottom:4px;"
    "margin:0 0 12px 0;",
    "h3": "font-size:17px;line-height:1.35;margin:16px 0 6px 0;",
    "list": "margin:0;padding:0 0 0 18px;",
    "li": "font-size:16px;line-height:1.5;margin:0 0 10px 0;",
    "meta": f"font-family:{_SANS};font-size:13px;color:#6b6b66;",
    "tag": f"font-family:{_SANS};font-size:12px;color:#1a4f8b;border:1px solid #1a4f8b;padding:0 4px;",
    "summary": "font-size:16px;line-height:1.55;margin:0 0 12px 0;",
    "note": f"font-family:{_SANS};font-size:14px;font-style:italic;color:#8a5a00;margin:0 0 12px 0;",
    "link": "color:#1a4f8b;text-decoration:underline;",
    "sup": "font-size:11px;line-height:0;",
    "table": f"border-collapse:collapse;width:100%;font-family:{_SANS};font-size:14px;margin:0 0 8px 0;",
    "th": "text-align:left;border-bottom:1px solid #1d1d1b;padding:4px 6px;",
    "th-num": "text-align:right;border-bottom:1px solid #1d1d1b;padding:4px 6px;",
    "td": "text-align:left;border-bottom:1px solid #e4e2dc;padding:4px 6px;word-break:break-word;"
    "overflow-wrap:anywhere;",
    "td-num": "text-align:right;border-bottom:1px solid #e4e2dc;padding:4px 6px;",
    "refs": f"font-family:{_SANS};font-size:13px;line-height:1.5;color:#45453f;margin:0;padding:0 0 0 22px;",
}

# The draft page only: the verdict of every sentence, as the reviewer needs to see it.
VERDICT_STYLES: dict[str, str] = {
    "claim": "border-radius:2px;padding:0 1px;",
    "claim-supported": "background:#e3f2e5;",
    "claim-unsupported": "background:#fbd9d6;text-decoration:underline wavy #b3261e;",
    "claim-no_citation": "background:#fdebc8;text-decoration:underline dotted #8a5a00;",
    "claim-unverifiable": "background:#e8e8e8;",
    "claim-unchecked": "background:#eef1f8;",
    "claim-flagged": "outline:2px solid #b3261e;",
}


def attribute(name: str, mode: Mode) -> Markup:
    """`` style="..."`` in email, `` class="name"`` in the draft page. Names are constants of this
    module, never data, so the markup is safe."""
    if mode == "email":
        return Markup(' style="{}"').format(STYLES[name])
    if name not in STYLES:
        raise KeyError(name)
    return Markup(' class="{}"').format(name)


def stylesheet() -> Markup:
    rules = {**STYLES, **VERDICT_STYLES}
    return Markup("\n".join(f".{name} {{ {css} }}" for name, css in rules.items()))
