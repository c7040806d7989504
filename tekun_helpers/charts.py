"""Charts for the briefings (matplotlib), with a Chinese font found among the installed ones."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg") if not matplotlib.get_backend().lower().startswith(("module://matplotlib_inline", "inline")) else None

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .exceptions import FontNotFound  # noqa: E402
from .policy import Policy  # noqa: E402

PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
                   "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
WIDTH_IN = 7.5
COLORS = {"self": "#9db4cf", "semi": "#f0a85c", "full": "#c0392b", "ok": "#4c8c4a", "below": "#d9534f",
          "target": "#333333", "above": "#7aa6d6"}


def _installed_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def find_cjk_font() -> str:
    """The family name of the first installed Chinese font of :data:`PREFERRED_FONTS`."""
    names = _installed_families()
    for fam in PREFERRED_FONTS:
        if fam in names:
            return fam
    # fonts installed after matplotlib built its cache: rebuild once
    font_manager.fontManager = font_manager.FontManager()
    names = _installed_families()
    for fam in PREFERRED_FONTS:
        if fam in names:
            return fam
    raise FontNotFound("没有找到中文字体，图表中的汉字将无法显示。请安装 Debian 软件包 fonts-noto-cjk"
                       "（apt-get install fonts-noto-cjk），或安装以下任一字体：" + "、".join(PREFERRED_FONTS))


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese with the found font; returns its family name."""
    fam = find_cjk_font()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [fam, *[f for f in matplotlib.rcParams["font.sans-serif"] if f != fam]]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return fam


def _figure(height: float) -> tuple[Figure, plt.Axes]:
    fig = Figure(figsize=(WIDTH_IN, height), dpi=150)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _short(name: str, policy: Policy | None = None) -> str:
    if policy is not None and name.startswith(policy.banner) and len(name) > len(policy.banner) + 2:
        return name[len(policy.banner):]
    return name


def township_chart(ts) -> Figure:
    """People in dispersed care per township, stacked by self-care level, most people on top."""
    df = ts.sort_values("dispersed", ascending=True)
    fig, ax = _figure(0.32 * len(df) + 1.2)
    y = range(len(df))
    able = df["dispersed"] - df["disabled"]
    ax.barh(y, able, color=COLORS["self"], label="自理及其他")
    ax.barh(y, df["semi_disabled"], left=able, color=COLORS["semi"], label="半失能")
    ax.barh(y, df["fully_disabled"], left=able + df["semi_disabled"], color=COLORS["full"], label="全失能")
    ax.set_yticks(list(y), df["township"])
    for i, n in zip(y, df["dispersed"]):
        ax.text(n + df["dispersed"].max() * 0.01, i, f"{int(n):,}", va="center", fontsize=8)
    ax.set_xlabel("人数")
    ax.set_title("各乡镇苏木街道分散供养特困人员（按自理能力）")
    ax.legend(loc="lower right", frameon=False)
    ax.set_xlim(0, df["dispersed"].max() * 1.12 if len(df) else 1)
    fig.tight_layout()
    return fig


def occupancy_chart(hs, policy: Policy) -> Figure:
    """Occupancy per home against the target line; homes below target in the warning colour."""
    df = hs.sort_values("occupancy", ascending=True)
    fig, ax = _figure(0.34 * len(df) + 1.2)
    y = range(len(df))
    colors = [COLORS["ok"] if ok else COLORS["below"] for ok in df["at_target"]]
    ax.barh(y, df["occupancy"] * 100, color=colors)
    ax.set_yticks(list(y), [_short(n, policy) for n in df["home"]])
    target = policy.occupancy_target * 100
    ax.axvline(target, color=COLORS["target"], linestyle="--", linewidth=1)
    ax.text(target, len(df) - 0.4, f" 目标 {policy.target_percent}", fontsize=8, va="bottom")
    for i, occ in zip(y, df["occupancy"]):
        ax.text(occ * 100 + 1, i, f"{occ * 100:.1f}%", va="center", fontsize=8)
    ax.set_xlim(0, max(105, float(df["occupancy"].max() * 100 + 12) if len(df) else 105))
    ax.set_xlabel("入住率（%）")
    ax.set_title("各敬老院入住率（红色为未达目标）")
    fig.tight_layout()
    return fig


def missing_chart(hs, policy: Policy | None = None) -> Figure:
    """Residents still needed per home to reach the target (negative: above target)."""
    df = hs.sort_values("gap", ascending=True)
    fig, ax = _figure(0.34 * len(df) + 1.2)
    y = range(len(df))
    colors = [COLORS["below"] if g > 0 else COLORS["above"] for g in df["gap"]]
    ax.barh(y, df["gap"], color=colors)
    ax.set_yticks(list(y), [_short(n, policy) for n in df["home"]])
    ax.axvline(0, color="#555555", linewidth=0.8)
    span = max(1, int(df["gap"].abs().max())) if len(df) else 1
    for i, g in zip(y, df["gap"]):
        ax.text(g + (0.02 * span if g >= 0 else -0.02 * span), i, f"{int(g):+d}" if g else "0",
                va="center", ha="left" if g >= 0 else "right", fontsize=8)
    ax.set_xlim(min(0, int(df["gap"].min()) - 0.2 * span) if len(df) else -1, (int(df["gap"].max()) + 0.2 * span) if len(df) else 1)
    ax.set_xlabel("还应入住人数（负数为已超过目标的人数）")
    ax.set_title("各敬老院距入住率目标还差的人数")
    fig.tight_layout()
    return fig
