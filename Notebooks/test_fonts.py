"""The notebooks find the CJK font even when matplotlib's cached font list predates it."""
import pathlib
import sys

from matplotlib import font_manager

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import pingcha_nb  # noqa: E402


def test_font_files_are_on_disk():
    files = pingcha_nb.installed_cjk_font_files()
    assert files, "fonts-noto-cjk is not installed (make notebooks installs it)"
    assert all(path.name.startswith("NotoSansCJK") for path in files)


def test_a_stale_font_list_is_mended(monkeypatch):
    # The cached list as it is on a machine where matplotlib ran before the font was installed.
    stale = [font for font in font_manager.fontManager.ttflist if not font.name.startswith("Noto Sans CJK")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert not any(font.name in pingcha_nb.CJK_FAMILIES for font in font_manager.fontManager.ttflist)
    # matplotlib reads the first face of the .ttc collection (JP); its Han glyphs are the same
    # characters, and the notebooks turn any missing glyph into an error.
    assert pingcha_nb.setup_chinese_fonts() in pingcha_nb.CJK_FAMILIES
