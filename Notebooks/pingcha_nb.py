"""What every notebook shares: where pingcha and the data are, running it for JSON, and
matplotlib set up for Chinese text (Noto Sans CJK, from Debian's fonts-noto-cjk)."""
import json
import os
import pathlib
import subprocess
import warnings

import matplotlib.pyplot as plt
from matplotlib import font_manager

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIGURES = pathlib.Path(os.environ.get("PINGCHA_FIGURES", ROOT / ".build" / "notebooks" / "figures"))


def binary():
    """The built pingcha: $PINGCHA_BIN, else the release build, else the debug build."""
    if os.environ.get("PINGCHA_BIN"):
        return os.environ["PINGCHA_BIN"]
    for kind in ("release", "debug"):
        candidate = ROOT / ".build" / kind / "pingcha"
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError("pingcha is not built: run `swift build` (or `make notebooks`) first")


def data_dir(default="Datasets/sample"):
    """The exports to analyse: $PINGCHA_DATA (a `pingcha generate` output directory) or the sample."""
    return pathlib.Path(os.environ.get("PINGCHA_DATA", ROOT / default))


def pingcha(*args):
    """Runs pingcha with --format json and returns the parsed document; fails loudly on errors."""
    result = subprocess.run([binary(), *map(str, args), "--format", "json"], cwd=ROOT, capture_output=True,
                            env=dict(os.environ, PINGCHA_NO_PROGRESS="1"))
    if result.returncode != 0:
        raise RuntimeError(f"pingcha {' '.join(map(str, args))} exited {result.returncode}: {result.stderr.decode()}")
    return json.loads(result.stdout)


CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC")
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.local/share/fonts"))


def installed_cjk_font_files():
    """The Noto Sans CJK files on disk, found by name: matplotlib's cached font list may predate
    the font's install (a machine where matplotlib ran before fonts-noto-cjk came)."""
    found = []
    for folder in FONT_FOLDERS:
        root = pathlib.Path(folder)
        if root.is_dir():
            found += sorted(path for path in root.rglob("NotoSansCJK*") if path.suffix.lower() in (".ttc", ".otf", ".ttf"))
    return found


def setup_chinese_fonts():
    """Uses Noto Sans CJK SC for every label and turns a missing glyph (a tofu box) into an error.

    The font files are registered with matplotlib directly, so a stale font cache cannot hide them."""
    for path in installed_cjk_font_files():
        font_manager.fontManager.addfont(str(path))
    names = {font.name for font in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_FAMILIES if name in names), None)
    if family is None:
        raise RuntimeError("no Noto Sans CJK font: install Debian's fonts-noto-cjk (make notebooks does)")
    plt.rcParams["font.family"] = [family]
    plt.rcParams["axes.unicode_minus"] = False
    warnings.filterwarnings("error", message=".*Glyph .* missing from")
    return family


def save(figure, name):
    """Writes the figure as PNG under .build/notebooks/figures (for looking at) and shows it."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"{name}.png"
    figure.savefig(path, dpi=110, bbox_inches="tight")
    return path
