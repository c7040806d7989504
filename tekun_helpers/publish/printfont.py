"""A copy of the reports' Chinese font that Chromium can embed in a PDF quickly.

Debian's Chinese font (fonts-noto-cjk: Noto Sans CJK SC) has PostScript (CFF) outlines in a
font collection (.ttc). Chromium's PDF writer cannot embed such a font: it draws every glyph
as a Type 3 font of its own, hundreds of them per report, which makes printing one report
take about a second and the PDF three times its size. The same font with TrueType outlines
is embedded as one subset font in a fraction of that time.

:func:`browser_env` makes that copy once per machine (fontTools, which matplotlib already
depends on): the installed font's glyphs for GB 2312 and the punctuation and Latin ranges,
converted to TrueType outlines, both weights, cached under ``~/.cache/tekun/fonts`` (about a
minute of CPU the first time, then nothing). It returns the environment for the printing
browser: a fontconfig file that puts the copies before the installed fonts, which stay
available for any character the copies lack. The copies keep the font's name, metrics and
shaping, so the page shows the same glyphs either way; pages, headers and footers all use
them, and the browser loads them once, not once per report as a web font would be.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: the family the report's CSS names first (render.FONT_FAMILY, the template's --tekun-font)
FAMILY = "Noto Sans CJK SC"
WEIGHTS = {400: "Regular", 700: "Bold"}
#: bump when the conversion changes, so that cached copies are rebuilt
VERSION = "2"
#: OpenType features kept besides fontTools' defaults
LAYOUT_FEATURES = ("tnum", "pnum", "lnum")
#: how far a converted curve may stray from the original, in font units (1000 to the em): invisible
MAX_ERR = 0.5

_BLOCKS = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x25FF),
           (0x3000, 0x303F), (0xFF00, 0xFFEF))


def charset() -> list[int]:
    """The code points copied: GB 2312 (every simplified character of everyday use and its symbols),
    ASCII, Latin-1, general punctuation, arrows, circled numbers, box drawing and shapes, CJK
    punctuation, full-width forms."""
    points = {cp for a, b in _BLOCKS for cp in range(a, b + 1)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tekun" / "fonts"


@dataclass(frozen=True)
class Installed:
    """An installed font file (``index``: the font's number in a collection) and its PostScript name."""

    path: Path
    index: int
    postscript: str
    weight: int


def find_installed(weight: int) -> Installed | None:
    """The installed :data:`FAMILY` font of ``weight`` through fontconfig, or None."""
    fc = shutil.which("fc-match")
    if fc is None:
        return None
    try:
        out = subprocess.run([fc, "--format=%{family}\n%{file}\n%{index}\n%{postscriptname}",
                              f"{FAMILY}:weight={'bold' if weight >= 700 else 'regular'}"],
                             capture_output=True, text=True, timeout=30, check=True).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 4 or FAMILY not in out[0].split(","):
        return None
    path = Path(out[1])
    return Installed(path, int(out[2] or 0), out[3], weight) if path.is_file() else None


def _key(font: Installed, points: list[int]) -> str:
    st = font.path.stat()
    h = hashlib.sha256(f"{VERSION}\0{font.path}\0{font.index}\0{st.st_size}\0{st.st_mtime_ns}\0{MAX_ERR}\0"
                       f"{','.join(LAYOUT_FEATURES)}".encode())
    h.update(",".join(map(str, points)).encode())
    return h.hexdigest()[:16]


def _to_truetype(font) -> None:
    """Replace a font's CFF outlines by TrueType (quadratic) ones, in place (after fontTools' otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\000\001\000\000"


def build(font: Installed, points: list[int], target: Path) -> Path:
    """Subset ``font`` to ``points``, give it TrueType outlines and write it to ``target`` (atomically)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tt = TTFont(str(font.path), fontNumber=font.index, lazy=False)
    if "glyf" in tt:      # already TrueType: Chromium embeds it as it is
        return font.path
    opts = subset.Options()
    # the shaping Chromium applies by default (fontTools' list: locl, kern, halt/chws punctuation spacing,
    # vert, ...) and the numerals the report's CSS asks for (font-variant-numeric: tabular-nums)
    opts.layout_features = [*opts.layout_features, *LAYOUT_FEATURES]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=points)
    sub.subset(tt)
    _to_truetype(tt)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tt.save(str(tmp))
        os.replace(tmp, target)      # last: a copy under its final name is complete
    finally:
        tmp.unlink(missing_ok=True)
    return target



def print_font(weight: int) -> tuple[Installed, Path] | None:
    """The cached TrueType copy of the installed font of ``weight`` (built when missing), or None."""
    font = find_installed(weight)
    if font is None:
        return None
    points = charset()
    folder = cache_dir()
    target = folder / f"{FAMILY.replace(' ', '')}-{WEIGHTS.get(weight, weight)}-{_key(font, points)}.ttf"
    if target.is_file():
        return font, target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:     # two batch workers starting together build it once
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not target.is_file():
                log.info("正在为打印 PDF 准备中文字体（只需一次）：%s", target)
                path = build(font, points, target)
                if path != target:
                    return None
                for stale in folder.glob(f"{target.name.rsplit('-', 1)[0]}-*.ttf"):   # an older copy would compete
                    if stale != target:
                        stale.unlink(missing_ok=True)
        return font, target
    except Exception as exc:  # noqa: BLE001 - without the copy, printing is only slower
        log.warning("无法准备打印用的中文字体，PDF 照常生成，只是较慢：%s", exc)
        return None



FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- written by tekun_helpers.publish.printfont for the browser that prints PDFs: the TrueType copies
     first, then the system's own configuration (every installed font stays available) -->
<fontconfig>
  <dir>{folder}</dir>
  <include ignore_missing="yes">{system}</include>
  <cachedir>{folder}/fontconfig</cachedir>
</fontconfig>
"""


def _matched(env: dict, weight: int) -> str:
    out = subprocess.run(["fc-match", "--format=%{file}", f"{FAMILY}:weight={'bold' if weight >= 700 else 'regular'}"],
                         capture_output=True, text=True, timeout=60, env=env, check=True)
    return out.stdout.strip()


def browser_env() -> dict[str, str] | None:
    """The environment for the printing browser: fontconfig finds the TrueType copies of :data:`FAMILY`
    before the installed collection (which stays there for any character the copies lack), so that every
    page, header and footer embeds one subset font. None when there is no copy (printing works as before)."""
    copies = [print_font(w) for w in WEIGHTS]
    if not all(copies):
        return None
    folder = cache_dir()
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    conf = folder / "fonts.conf"
    text = FONTS_CONF.format(folder=folder, system=system)
    try:
        if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
            tmp = conf.with_name(f".fonts.conf.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, conf)
        env = dict(os.environ, FONTCONFIG_FILE=str(conf))
        for weight, (_, path) in zip(WEIGHTS, copies):
            if Path(_matched(env, weight)) != path:
                log.warning("打印用的中文字体没有被 fontconfig 优先选用，PDF 照常生成，只是较慢。")
                return None
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("无法配置打印用的中文字体，PDF 照常生成，只是较慢：%s", exc)
        return None
    return env
