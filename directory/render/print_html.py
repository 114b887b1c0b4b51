"""The printed page as HTML: one self-contained document with print CSS (no navigation, items kept whole
across page breaks), no scripts and no remote files.

Every piece of catalog or plan text is escaped, and wrapped in <bdi> so right-to-left text cannot reorder
the labels around it; links must be http(s).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from directory import phones
from directory.render import qr
from directory.render.facts import ItemFacts, clip
from directory.words import language, t

PRINT_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       color: #111; max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #999;
     margin-top: 1.5rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
p, dd, dt, li, td, th, h1, h2, h3 { overflow-wrap: anywhere; word-break: break-word; }
.item { display: flex; gap: 1rem; justify-content: space-between; border-top: 1px solid #ccc;
        padding: .6rem 0; break-inside: avoid; page-break-inside: avoid; }
.item .facts { flex: 1 1 auto; min-width: 0; }
.item .qr { flex: 0 0 auto; width: 7rem; } .item .qr svg { width: 100%; height: auto; }
.call-large { font-size: 1.5rem; font-weight: bold; margin: .1rem 0 .3rem; }
dl { margin: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem .6rem; }
dt { font-weight: bold; } dd { margin: 0; min-width: 0; }
.meta, .small { color: #444; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { text-align: left; vertical-align: top; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
tr { break-inside: avoid; page-break-inside: avoid; }
.write-in { display: inline-block; min-width: 16rem; border-bottom: 1px solid #333; }
.write-in.short { min-width: 8rem; }
.section { break-inside: auto; }
@page { size: auto; margin: 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .no-print { display: none; }
}
"""
WRITE_IN = '<span class="write-in">&nbsp;</span>'


def esc(text: object) -> str:
    """HTML-escaped text (quotes included, so it is safe inside attributes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def bdi(text: object) -> str:
    """Escaped, length-capped text isolated from the text direction around it."""
    return f"<bdi>{esc(clip(text))}</bdi>"


def html_document(title: str, body: str, lang: str | None = None) -> str:
    """A whole HTML page around `body` in `lang` (default: the current language); its security policy
    allows no scripts and no remote loads."""
    code = language(lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(code)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No scripts, no remote loads: the page is a document, and hostile text can't run.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">\n'
        f"<title>{esc(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n{body}\n"
        f'<p class="meta">{esc(t("print.accessible_note", code))}</p>\n</body>\n</html>\n'
    )


def html_link(url: str) -> str:
    """A link showing its own address, or '' when the address is not a plain http(s) link."""
    url = qr.safe_url(url)
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>' if url else ""


def fact_list(rows: Iterable[tuple[str, str]], *, blank_lines: bool = True) -> str:
    """A <dl> of 'label: value'; with `blank_lines` an empty value becomes a line to write on."""
    items = []
    for name, value in rows:
        if value:
            items.append(f"<dt>{bdi(name)}</dt><dd>{bdi(value)}</dd>")
        elif blank_lines:
            items.append(f"<dt>{bdi(name)}</dt><dd>{WRITE_IN}</dd>")
    return f"<dl>{''.join(items)}</dl>"


def bullet_list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{bdi(i)}</li>" for i in items) + "</ul>"


def resource_article(facts: ItemFacts, *, number: int | None = None) -> str:
    """One resource as an <article> kept whole on paper, with its QR code at the right."""
    rows = []
    for field, name, value in facts.keyed_lines():
        if not value:
            continue
        if field == "website":
            shown = html_link(value)
        elif field == "source":
            # The catalog's source name is isolated; the sentence around it is ours.
            shown = esc(facts.source_words()).replace(esc(facts.source), bdi(facts.source), 1)
            if facts.source_url:
                shown += f" ({html_link(facts.source_url)})"
        else:
            shown = bdi(value)
        rows.append(f"<dt>{esc(name)}</dt><dd>{shown}</dd>")
    code = qr.qr_svg(facts.qr_url)
    label = t("printout.qr_label", url=facts.qr_url)
    qr_html = f'<div class="qr" aria-label="{esc(label)}">{code}</div>' if code else ""
    title = f"{number}. " if number is not None else ""
    return (
        f'<article class="item"><div class="facts"><h3>{esc(title)}{bdi(facts.name)}</h3>'
        f"{_large_phone(facts.large_phone)}<dl>{''.join(rows)}</dl></div>{qr_html}</article>"
    )


def _large_phone(phone: str) -> str:
    """'Call 555-0100' in large type, a tap-to-call link, for a listing without a QR code (issue 10)."""
    if not phone:
        return ""
    words = esc(t("printout.call_large", phone="\x00")).replace("\x00", bdi(phone))
    link = phones.href(phone)
    if link:
        words = f'<a href="{esc(link)}">{words}</a>'
    return f'<p class="call-large">{words}</p>'


def legend_section(entries: Sequence[tuple[str, str]]) -> str:
    """What each meeting code used above means, and where the meanings come from ('' when none)."""
    if not entries:
        return ""
    rows = "".join(f"<dt>{esc(code)}</dt><dd>{esc(meaning)}</dd>" for code, meaning in entries)
    source = t("printout.legend_source", source=t("printout.legend_source_name"))
    return (
        f'<section class="section"><h2>{esc(t("printout.legend_title"))}</h2><dl>{rows}</dl>'
        f'<p class="small">{esc(source)}</p></section>'
    )
