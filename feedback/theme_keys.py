"""Keys are never reused: a theme or sub-theme id the engine gives afresh must not bring back
an older row that links (contract review actions, bookmarks) still point at.

The engine numbers a new theme after the highest id of the run it follows, and a new sub-theme
after the highest of its theme's previous sub-themes; an id retired two runs ago is not among
those, so it could come back for different texts. ``KeyMap.build`` gives every such id a key no
row has held, and the bridge stores rows, and the next run's ``previous``, under the app's keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from .extensions import db
from .models import Subtheme, Theme

_THEME = re.compile(r"^T(\d+)$")


@dataclass
class KeyMap:
    themes: dict[str, str] = field(default_factory=dict)
    subthemes: dict[str, str] = field(default_factory=dict)

    def theme(self, engine_id: str) -> str:
        return self.themes.get(engine_id, engine_id)

    def subtheme(self, engine_id: str) -> str:
        return self.subthemes.get(engine_id, engine_id)

    @classmethod
    def build(cls, result, previous: dict | None) -> "KeyMap":
        """Fresh app keys for the engine's new ids that an existing row already holds."""
        before = (previous or {}).get("themes") or []
        prev_themes = {str(t["id"]) for t in before}
        prev_subs = {str(s["id"]) for t in before for s in t.get("subthemes") or ()}
        theme_keys = set(db.session.execute(select(Theme.key)).scalars())
        sub_keys = set(db.session.execute(select(Subtheme.key)).scalars())
        out = cls()
        taken = theme_keys | {t.id for t in result.themes}
        top = max((int(m.group(1)) for k in taken if (m := _THEME.match(k))), default=0)
        for found in result.themes:
            if found.id not in prev_themes and found.id in theme_keys:
                top += 1
                out.themes[found.id] = f"T{top}"
        for found in result.themes:
            key = out.theme(found.id)
            used = sub_keys | {key + s.id[len(found.id):] for s in found.subthemes}
            numbers = [int(k.rsplit(".", 1)[1]) for k in used
                       if k.startswith(key + ".") and k.rsplit(".", 1)[1].isdigit()]
            last = max(numbers, default=0)
            for sub in found.subthemes:
                wanted = key + sub.id[len(found.id):]
                if sub.id not in prev_subs and wanted in sub_keys:
                    last += 1
                    wanted = f"{key}.{last}"
                if wanted != sub.id:
                    out.subthemes[sub.id] = wanted
        return out

    def previous_state(self, themes: list[dict]) -> list[dict]:
        """The engine's ``to_previous()`` entries under the app's keys (for the next run)."""
        out = []
        for entry in themes:
            entry = dict(entry, id=self.theme(entry["id"]))
            entry["subthemes"] = [dict(s, id=self.subtheme(s["id"]))
                                  for s in entry.get("subthemes") or ()]
            out.append(entry)
        return out
