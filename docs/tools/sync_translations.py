"""Keeps the code of the Chinese Learn pages in step with the English pages.

    python docs/tools/sync_translations.py           # report the blocks that differ
    python docs/tools/sync_translations.py --write   # copy those English blocks into the .zh.md pages

A ```python block of a ``.zh.md`` page must be the same program as the English block at the
same position: comments, docstrings and string literals written in Chinese may differ, nothing
else (``same_program``; ``tests/docs/test_translations.py`` checks it). Output blocks must
match too, except where a translated string was printed. ``--write`` replaces each block that
is out of step by the English one, so its comments are English again until someone translates
them; the prose around it is left alone.
"""
import io
import pathlib
import re
import sys
import tokenize

DOCS = pathlib.Path(__file__).resolve().parents[1]
#: The Learn section: every one of these has a ``.zh.md`` translation.
LEARN = ["index.md", "how-fit-works.md", "callbacks-guide.md", "custom-callbacks.md", "saving.md"]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
BLOCK = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
TIMING = re.compile(r"\d+(?:\.\d+)?(?:s|ms|us)\b")


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


def same_output(english, chinese):
    """Equal outputs, apart from timings and lines that print translated text."""
    a, b = TIMING.sub("<t>", english).splitlines(), TIMING.sub("<t>", chinese).splitlines()
    return len(a) == len(b) and all(x == y or CJK.search(y) for x, y in zip(a, b))


def out_of_step(page):
    """``[(index, English block text)]`` of the blocks of ``page``'s translation that differ."""
    english = list(BLOCK.finditer((DOCS / page).read_text(encoding="utf-8")))
    chinese = list(BLOCK.finditer((DOCS / page.replace(".md", ".zh.md")).read_text(encoding="utf-8")))
    if [m.group(1) for m in english] != [m.group(1) for m in chinese]:
        raise SystemExit(f"{page}: the pages have different blocks; translate the new prose and blocks by hand")
    differ = []
    for k, (en, zh) in enumerate(zip(english, chinese)):
        if en.group(1) in ("python", "py"):
            ok = same_program(en.group(2), zh.group(2))
        else:
            ok = same_output(en.group(2), zh.group(2))
        if not ok:
            differ.append((k, en.group(0)))
    return differ


def write(page, differ):
    path = DOCS / page.replace(".md", ".zh.md")
    text = path.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    for k, english in sorted(differ, reverse=True):
        text = text[:blocks[k].start()] + english + text[blocks[k].end():]
    path.write_text(text, encoding="utf-8")


def main(argv):
    for page in LEARN:
        differ = out_of_step(page)
        for k, _ in differ:
            print(f"{page.replace('.md', '.zh.md')}: block {k + 1} differs from the English one")
        if differ and "--write" in argv:
            write(page, differ)
            print(f"{page.replace('.md', '.zh.md')}: {len(differ)} blocks copied from the English page")


if __name__ == "__main__":
    main(sys.argv[1:])
