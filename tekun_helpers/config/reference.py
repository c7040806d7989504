"""The banner's townships and nursing homes (data/reference/*.csv)."""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.exceptions import PolicyError
from ..core.paths import reference_dir
from ..core.text import fold, similarity


@dataclass(frozen=True)
class Township:
    order: int
    name: str
    served_by: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Home:
    order: int
    name: str
    township: str
    head: str
    phone: str
    aliases: tuple[str, ...] = ()


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split(";") if x.strip())


@dataclass(frozen=True)
class Reference:
    townships: tuple[Township, ...]
    homes: tuple[Home, ...]

    @property
    def township_names(self) -> list[str]:
        return [t.name for t in self.townships]

    @property
    def home_names(self) -> list[str]:
        return [h.name for h in self.homes]

    def township_rank(self, name: str) -> int:
        """A township's place in 附件1's order (townships.csv, 0 first); a name it does not hold sorts after all."""
        for i, t in enumerate(self.townships):
            if t.name == name:
                return i
        return len(self.townships)

    def township(self, name: str) -> Township:
        for t in self.townships:
            if t.name == name:
                return t
        raise KeyError(name)

    def home(self, name: str) -> Home:
        for h in self.homes:
            if h.name == name:
                return h
        raise KeyError(name)

    def homes_serving(self, township: str) -> list[Home]:
        return [self.home(n) for n in self.township(township).served_by]

    # -- name matching ---------------------------------------------------
    def _candidates(self, kind: str) -> dict[str, str]:
        """folded spelling -> official name."""
        out: dict[str, str] = {}
        if kind == "townships":
            for t in self.townships:
                out[fold(t.name)] = t.name
        else:
            for h in self.homes:
                for spelling in (h.name, *h.aliases):
                    out[fold(spelling)] = h.name
        return out

    def match(self, kind: str, raw: str) -> tuple[str | None, str | None]:
        """(official name, None) for a known name, else (None, closest known name or None)."""
        cands = self._candidates(kind)
        key = fold(raw)
        if key in cands:
            return cands[key], None
        best, score = None, 0.0
        for spelling, official in cands.items():
            s = similarity(key, spelling)
            # a known name that contains what was typed (贝子府 in 贝子府镇) is a strong hint
            if key and (key in spelling or spelling in key):
                s = max(s, 0.8)
            if s > score:
                best, score = official, s
        return None, (best if score >= 0.6 else None)


def load_reference(data_dir: str | os.PathLike | None = None) -> Reference:
    """Read townships.csv and nursing_homes.csv from data/reference/."""
    return read_reference(reference_dir(data_dir))


def reference_for(policy=None) -> Reference:
    """The townships and homes of ``policy``'s county: those of the reference folder its policy.toml was read
    from; the default data folder's without a policy, or where that folder holds no townships.csv."""
    path = getattr(policy, "path", None)
    if path is not None and (Path(path).parent / "townships.csv").is_file():
        return read_reference(Path(path).parent)
    return load_reference()


def read_reference(folder: Path) -> Reference:
    """Read townships.csv and nursing_homes.csv from the reference folder ``folder``."""
    try:
        with open(folder / "townships.csv", encoding="utf-8-sig", newline="") as f:
            towns = tuple(
                Township(int(r["order"]), r["name"].strip(), _split(r.get("served_by", "")), (r.get("note") or "").strip())
                for r in csv.DictReader(f)
            )
        with open(folder / "nursing_homes.csv", encoding="utf-8-sig", newline="") as f:
            homes = tuple(
                Home(int(r["order"]), r["name"].strip(), r["township"].strip(), (r.get("head") or "").strip(),
                     (r.get("phone") or "").strip(), _split(r.get("aliases", "")))
                for r in csv.DictReader(f)
            )
    except FileNotFoundError as exc:
        raise PolicyError(f"找不到参考数据：{exc.filename}") from exc
    except (KeyError, ValueError) as exc:
        raise PolicyError(f"参考数据 {folder} 格式有误：{exc}") from exc
    ref = Reference(tuple(sorted(towns, key=lambda t: t.order)), tuple(sorted(homes, key=lambda h: h.order)))
    known = set(ref.home_names)
    for t in ref.townships:
        for h in t.served_by:
            if h not in known:
                raise PolicyError(f"参考数据 townships.csv：{t.name} 的 served_by 写了未知敬老院 {h}")
    return ref
