"""policy.toml as a typed object. No threshold of the plan is written in code."""
from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .exceptions import PolicyError
from .paths import reference_dir

ROUNDINGS = ("up", "nearest", "down")


@dataclass(frozen=True)
class Policy:
    """The plan's rules. ``raw`` keeps the whole file for sections other modules read."""

    occupancy_target: float
    occupancy_deadline: dt.date
    rounding: str
    training_hours: int
    raw: dict = field(repr=False, default_factory=dict)
    path: Path | None = None

    @property
    def target_percent(self) -> str:
        """'60%'."""
        return f"{self.occupancy_target * 100:g}%"

    def needed_residents(self, beds: int) -> int:
        """Residents a home of ``beds`` beds needs to reach the target, rounded as policy says.

        Exact arithmetic: 0.6 x 24 = 14.4 -> 15 (up); 0.6 x 40 = 24 stays 24.
        """
        exact = Fraction(str(self.occupancy_target)) * int(beds)
        if self.rounding == "up":
            return math.ceil(exact)
        if self.rounding == "down":
            return math.floor(exact)
        return int(exact + Fraction(1, 2)) if exact >= 0 else -int(-exact + Fraction(1, 2))

    def section(self, *keys: str) -> dict:
        node = self.raw
        for k in keys:
            node = node.get(k, {})
        return node

    @property
    def banner(self) -> str:
        return self.raw.get("document", {}).get("banner", "敖汉旗")


def load_policy(path: str | os.PathLike | None = None, data_dir=None) -> Policy:
    """Read policy.toml (default: data/reference/policy.toml) into a :class:`Policy`."""
    p = Path(path) if path else reference_dir(data_dir) / "policy.toml"
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"找不到政策文件 {p}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"政策文件 {p} 格式有误：{exc}") from exc
    try:
        occ = raw["occupancy"]
        target = float(occ["target"])
        deadline = occ["deadline"]
        rounding = occ.get("rounding", "up")
        hours = int(raw["training"]["min_hours_per_year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"政策文件 {p} 缺少必需项：{exc}") from exc
    if not 0 < target <= 1:
        raise PolicyError(f"政策文件 {p}：occupancy.target 应在 0 到 1 之间，实际为 {target}")
    if rounding not in ROUNDINGS:
        raise PolicyError(f"政策文件 {p}：occupancy.rounding 应为 {'/'.join(ROUNDINGS)}，实际为 {rounding!r}")
    if not isinstance(deadline, dt.date):
        raise PolicyError(f"政策文件 {p}：occupancy.deadline 应为日期，如 2023-10-31")
    return Policy(target, deadline, rounding, hours, raw=raw, path=p)
