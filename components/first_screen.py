"""The server side of the Find page's first screen (directory/render/first_screen.py): the launcher
(components/serve.py) has Streamlit's page file answered with that screen inside it.

Streamlit answers every page address (`/`, `/find`, `/details`, …) with the same static `index.html`.
`install` wraps the handler that serves it, before the server is built: a GET of the Find page
(`/` or `/find`) is answered with `index.html` plus the first screen for its query string, made by the
Find page's own search; any other address, a link the first screen does not draw, a search index not
loaded yet, or any failure gets Streamlit's own answer unchanged. The answer is never cached
(`no-store`): it holds results, which change with the catalog. Nothing of the request is kept or logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl

from components import page_style

HERE = Path(__file__).parent
SWITCH = "AFTERCARE_FIRST_SCREEN"  # "0": no first screen (Streamlit's page as it is)
FIND_PATHS = (".", "", "find")  # the Find page's addresses, as the static files' handler sees them
_log = logging.getLogger(__name__)
_SCRIPT = (HERE / "first_screen.js").read_text(encoding="utf-8")  # removes the first screen (static)


def _media(static_dir: Path, pattern: str) -> str | None:
    """The name of Streamlit's font file matching `pattern` (its name carries a hash), if there is one."""
    found = sorted((static_dir / "static" / "media").glob(pattern))
    return found[0].name if found else None


def _fonts(static_dir: Path) -> tuple[str, str]:
    """The two fonts the first screen uses, from Streamlit's own files (Streamlit declares them in its
    scripts, which have not run when the first screen is painted), as @font-face rules; and a preload of
    the icon font (Streamlit preloads only its text font)."""
    faces, preload = [], ""
    for family, pattern, weight in (
        ("Source Sans", "SourceSansVF-Upright*.woff2", "200 900"),
        ("Material Symbols Rounded", "MaterialSymbols-Rounded*.woff2", "400"),
    ):
        if name := _media(static_dir, pattern):
            faces.append(
                f'@font-face{{font-family:"{family}";font-weight:{weight};font-display:block;'
                f'src:url("./static/media/{name}") format("woff2")}}'
            )
            if family == "Material Symbols Rounded":
                preload = f'<link rel="preload" href="./static/media/{name}" as="font" type="font/woff2" crossorigin>'
    return "".join(faces), preload


def template(index_html: str, style: str, head: str = "") -> str:
    """Streamlit's `index_html` made ready for a first screen, once per server: the first screen's style
    (and `head`) in its head, its script and the noscript rule before the body's end (after the app's root
    element, so the app's own elements come first in the document), and Streamlit's bundle started late."""
    page = index_html.replace("</head>", f"{head}<style>{style}</style></head>", 1)
    # Streamlit's bundle starts once the first screen has been painted in its fonts (at most 300 ms
    # later), and so do its sixty `modulepreload` fetches: begun while the browser was still reading the
    # page, their fetching and compiling held its first paint back to about 0.85 s.
    modules = re.findall(r'<link rel="modulepreload" crossorigin href="([^"]+)">', page)
    boot = BOOT.replace("MODULES", json.dumps(modules))
    page = _ENTRY.sub(lambda m: boot.replace("ENTRY", json.dumps(m.group(1))), page, count=1)
    page = _PRELOAD.sub("", page)
    noscript = "<noscript><style>#ac-first .ac-add{display:none}</style></noscript>"
    return page.replace("</body>", f"{_SCREEN}{noscript}<script>{_SCRIPT}</script></body>", 1)


def page_with(ready: str, screen: str, title: str, lang: str) -> str:
    """The page of one request: the `template` with its language, its title and its first screen."""
    page = re.sub(r'<html lang="[^"]*"', f'<html lang="{lang}"', ready, count=1)
    page = re.sub(r"<title>[^<]*</title>", f"<title>{escape(title)}</title>", page, count=1)
    return page.replace(_SCREEN, screen, 1)


_SCREEN = "<!-- the first screen -->"  # where `page_with` puts it in the template
_PRELOAD = re.compile(r'\s*<link rel="modulepreload"[^>]*>')
_ENTRY = re.compile(r'<script type="module" crossorigin src="(\./static/js/index\.[\w-]+\.js)"></script>')
# Streamlit's own files (its index.html), never catalog text, fill MODULES and ENTRY.
BOOT = """<script type="module">
const fonts = ['400 16px "Source Sans"', '700 16px "Source Sans"', '16px "Material Symbols Rounded"'];
const painted = Promise.all(fonts.map((font) => document.fonts.load(font)));
Promise.race([painted, new Promise((done) => setTimeout(done, 300))]).then(() =>
  requestAnimationFrame(() => setTimeout(() => {
    for (const href of MODULES) {
      const link = Object.assign(document.createElement("link"), { rel: "modulepreload", href, crossOrigin: "" });
      document.head.append(link);
    }
    import(ENTRY);
  }, 0)));
</script>"""


def install(current_index: Callable[[], object | None]) -> None:
    """Answer the Find page's address with its first screen from now on. `current_index()` gives the
    search index to use, or None while there is none yet (the page is then served as it is)."""
    from starlette.responses import HTMLResponse
    from streamlit import file_util
    from streamlit.web.server.starlette import starlette_static_routes as routes

    if getattr(routes.create_streamlit_static_handler, "_aftercare", False):
        return
    create = routes.create_streamlit_static_handler
    static_dir = Path(file_util.get_static_dir())
    faces, preload = _fonts(static_dir)
    style = (
        faces
        + page_style()
        + (HERE / "result_list.css").read_text(encoding="utf-8")
        + (HERE / "first_screen.css").read_text(encoding="utf-8")
    )
    ready = template((static_dir / "index.html").read_text(encoding="utf-8"), style, preload)

    def answer(scope) -> str | None:
        from directory.render.first_screen import first_screen, screen_language
        from directory.words import t

        index = current_index()
        if index is None:
            return None
        params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        accept = ""
        for name, value in scope.get("headers") or ():
            if name.lower() == b"accept-language":
                accept = value.decode("latin-1")
        screen = first_screen(index, params, accept_language=accept)
        if screen is None:
            return None
        lang = screen_language(params, accept)
        return page_with(ready, screen, t("app.title", lang), lang)

    def wrapped(directory: str, base_url: str | None):
        handler = create(directory, base_url)
        original = handler.get_response

        async def get_response(path: str, scope):
            if scope.get("method") == "GET" and path in FIND_PATHS:
                try:
                    html = await asyncio.to_thread(answer, scope)
                except Exception as exc:  # noqa: BLE001 - the page as Streamlit serves it is always an answer
                    # The type only: a message could quote what somebody searched for.
                    _log.error("the first screen could not be drawn: %s", type(exc).__name__)
                    html = None
                if html is not None:
                    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
            return await original(path, scope)

        handler.get_response = get_response
        return handler

    wrapped._aftercare = True
    routes.create_streamlit_static_handler = wrapped
