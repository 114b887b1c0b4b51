"""The published Meeting Guide feed: `static/meeting-guide.json`, served by the app at
`/app/static/meeting-guide.json` so a TSML UI or Meeting Guide client can read it by URL.

Written again after every import or refresh that changes the embedded catalog `data/catalog.db` (the
hook is in `Catalog.import_records`); other catalogs (tests, copies) leave it alone. A deployment whose
catalog lives elsewhere (`AFTERCARE_CATALOG`) sets `AFTERCARE_FEED_FILE` (for example to
`static/meeting-guide.json`): then every import into any catalog writes that file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from directory.render.meeting_guide_export import export_meeting_guide

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
FEED_FILE = ROOT / "static" / "meeting-guide.json"
FEED_URL_PATH = "/app/static/meeting-guide.json"


def feed_path() -> Path:
    """Where the published feed lives."""
    return Path(os.environ.get("AFTERCARE_FEED_FILE") or FEED_FILE)


def _is_embedded_catalog(path: Path) -> bool:
    from directory.catalog import DEFAULT_DB

    try:
        return path.resolve() == Path(DEFAULT_DB).resolve()
    except OSError:
        return False


def publish(catalog) -> Path | None:
    """Write the catalog's meetings to the feed file when it is the embedded one; the path, or None.

    A file that cannot be written is logged, never raised: the import it follows has already succeeded.
    """
    if not (os.environ.get("AFTERCARE_FEED_FILE") or _is_embedded_catalog(Path(catalog.path))):
        return None
    target = feed_path()
    try:
        data = export_meeting_guide(catalog.records())
        partial = target.with_suffix(".json.partial")
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        log.warning("could not write the Meeting Guide feed %s: %s", target, exc.strerror)
        return None
    return target
