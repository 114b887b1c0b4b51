"""The referral list: the resources a clinician or patient picked, in order, each with an optional note.

It lives in the user's session only. A share link carries the resource ids and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_ITEMS = 200
MAX_NOTE = 500
SHARE_PARAM = "ids"
# The list's ids in the address bar of every page, so that a reload brings the list back (notes stay out).
KEEP_PARAM = "list"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,119}$")


@dataclass
class ReferralItem:
    resource_id: str
    note: str = ""


@dataclass
class ReferralList:
    """An ordered list of picked resources; adding one twice keeps the first."""

    items: list[ReferralItem] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [i.resource_id for i in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, resource_id: str) -> bool:
        return resource_id in self.ids

    def add(self, resource_id: str) -> bool:
        """Add a resource at the end; False when it is already there or the list is full."""
        if resource_id in self or len(self.items) >= MAX_ITEMS:
            return False
        self.items.append(ReferralItem(resource_id))
        return True

    def remove(self, resource_id: str) -> None:
        self.items = [i for i in self.items if i.resource_id != resource_id]

    def move(self, resource_id: str, offset: int) -> None:
        """Move an item up (offset -1) or down (+1), staying inside the list."""
        ids = self.ids
        if resource_id not in ids:
            return
        old = ids.index(resource_id)
        new = max(0, min(len(ids) - 1, old + offset))
        item = self.items.pop(old)
        self.items.insert(new, item)

    def set_note(self, resource_id: str, note: str) -> None:
        for item in self.items:
            if item.resource_id == resource_id:
                item.note = note[:MAX_NOTE]

    def notes(self) -> dict[str, str]:
        return {i.resource_id: i.note for i in self.items if i.note}

    def share_params(self) -> dict[str, str]:
        """URL parameters that rebuild this list: the ids only, never the notes."""
        return {SHARE_PARAM: ",".join(self.ids)}

    def keep_value(self) -> str:
        """The value of the `list` URL parameter that keeps this list over a reload ("" when empty)."""
        return ",".join(self.ids)

    @classmethod
    def from_share_params(cls, params: dict) -> ReferralList:
        """Rebuild a list from a share link; malformed ids are dropped."""
        raw = params.get(SHARE_PARAM, "")
        if isinstance(raw, (list, tuple)):
            raw = ",".join(raw)
        result = cls()
        for part in str(raw).split(","):
            part = part.strip()
            if _ID_RE.match(part):
                result.add(part)
        return result

    def to_dict(self) -> dict:
        return {"items": [{"resource_id": i.resource_id, "note": i.note} for i in self.items]}

    @classmethod
    def from_dict(cls, data: dict) -> ReferralList:
        result = cls()
        for entry in data.get("items", []):
            if isinstance(entry, dict) and _ID_RE.match(str(entry.get("resource_id", ""))):
                if result.add(str(entry["resource_id"])):
                    result.set_note(str(entry["resource_id"]), str(entry.get("note", "")))
        return result
