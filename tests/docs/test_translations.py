"""The Chinese Learn section is complete and in step with the English pages.

Every English Learn page has a ``.zh.md`` counterpart whose code is the same: the same fenced
blocks in the same order (same languages), and every ```python block the same program, token
for token. Comments may be translated, and so may string literals that are Chinese on the
Chinese page (``print("训练开始")``); everything else must be equal, so an edit to an English
example that is not made on the Chinese page fails here. (The outputs of both pages are
checked by ``test_docs_code.py``, which runs every page.)
"""
import io
import pathlib
import re
import tokenize

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
LEARN = ["index.md", "how-fit-works.md", "callbacks-guide.md", "custom-callbacks.md", "saving.md"]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def fenced(path):
    """``[(language, code), ...]`` of the page's fenced blocks, in order."""
    return re.findall(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", path.read_text(encoding="utf-8"), re.S | re.M)


def tokens(code):
    """The tokens of ``code`` that make the program: no comments, no line structure."""
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    return [(tok.type, tok.string) for tok in tokenize.generate_tokens(io.StringIO(code).readline)
            if tok.type not in skip]


def same_program(english, chinese):
    """Token for token equal, except string literals that one side writes in Chinese and
    docstrings (triple-quoted), which may be translated."""
    a, b = tokens(english), tokens(chinese)
    if len(a) != len(b):
        return False
    for (kind_a, text_a), (kind_b, text_b) in zip(a, b):
        translated = kind_a == kind_b == tokenize.STRING and (
            CJK.search(text_a + text_b) or (text_a[:3] in ('"""', "'''") and text_b[:3] in ('"""', "'''")))
        if text_a != text_b and not translated:
            return False
    return True


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
            assert same_program(en, zh), f"python block {k + 1} differs from the English one:\n{en}\n{zh}"


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
