"""The Chinese Learn section is complete and in step with the English pages.

Every English Learn page (``LEARN`` of ``docs/tools/sync_translations.py``) has a ``.zh.md``
counterpart with the same fenced blocks in the same order: every ```python block the same
program, token for token (comments, docstrings and string literals written in Chinese may
differ), and every output block the same text (timings and lines printing Chinese aside). So
an edit to an English example that is not made on the Chinese page fails here;
``python docs/tools/sync_translations.py --write`` copies the English blocks over.
"""
import importlib.util
import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
_spec = importlib.util.spec_from_file_location("sync_translations", DOCS / "tools" / "sync_translations.py")
sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sync)
LEARN, CJK, same_program = sync.LEARN, sync.CJK, sync.same_program


def fenced(path):
    """``[(language, code), ...]`` of the page's fenced blocks, in order."""
    return re.findall(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", path.read_text(encoding="utf-8"), re.S | re.M)


@pytest.mark.parametrize("page", LEARN)
def test_every_learn_page_has_a_chinese_translation(page):
    english, chinese = DOCS / page, DOCS / page.replace(".md", ".zh.md")
    assert chinese.is_file(), f"{chinese.name} is missing"
    text = chinese.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```\s*$", "", text, flags=re.S | re.M)
    assert len(CJK.findall(prose)) > 0.25 * len(re.sub(r"\s", "", prose)), "the prose is not in Chinese"
    title, english_title = text.splitlines()[0], english.read_text(encoding="utf-8").splitlines()[0]
    assert title.startswith("# ") and (CJK.search(title) or title == english_title == "# minikeras"), \
        "the title is not translated"


@pytest.mark.parametrize("page", LEARN)
def test_the_chinese_page_has_the_same_code_blocks(page):
    english, chinese = fenced(DOCS / page), fenced(DOCS / page.replace(".md", ".zh.md"))
    assert [lang for lang, _ in chinese] == [lang for lang, _ in english], "block languages or count differ"
    for k, ((lang, en), (_, zh)) in enumerate(zip(english, chinese)):
        if lang in ("python", "py"):
            assert same_program(en, zh), f"python block {k + 1} differs: python docs/tools/sync_translations.py --write"


@pytest.mark.parametrize("page", LEARN)
def test_the_chinese_page_shows_the_same_outputs(page):
    assert sync.out_of_step(page) == [], "python docs/tools/sync_translations.py --write copies the English blocks"


def test_the_chinese_callbacks_table_lists_every_callback_of_the_english_one():
    rows = {lang: set(re.findall(r"^\| \[`(\w+)`\]", (DOCS / name).read_text(encoding="utf-8"), re.M))
            for lang, name in (("en", "callbacks-guide.md"), ("zh", "callbacks-guide.zh.md"))}
    assert "BackupAndRestore" in rows["zh"]
    assert rows["zh"] == rows["en"]


def test_only_comments_docstrings_and_chinese_strings_may_differ():
    assert same_program('print("training starts")  # note\n', 'print("训练开始")  # 注释\n')
    assert same_program('def f():\n    """Prints."""\n', 'def f():\n    """打印。"""\n')
    assert not same_program("x = round(v, 4)\n", "x = v\n")
    assert not same_program('print(f"{v:.4g}")\n', 'print(f"{v:.3g}")\n')
    assert not same_program('print("loss")\n', 'print("val_loss")\n')
    assert sync.same_output("loss: 0.5 - 3ms/step\ntraining ends\n", "loss: 0.5 - 9ms/step\n训练结束\n")
    assert not sync.same_output("loss: 0.5000\n", "loss: 0.5001\n")
