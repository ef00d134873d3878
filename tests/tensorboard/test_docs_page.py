"""docs/tensorboard.md: every python block runs and prints what the page shows (the page is ours;
tests/docs runs the other pages the same way)."""
import pathlib

import pytest

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "tensorboard.md"


def test_tensorboard_page_code_runs_and_prints_what_it_shows(tmp_path):
    pytest.importorskip("tensorboard", reason="the page reads the logs back with the tensorboard package")
    pages = pytest.importorskip("tests.docs.test_docs_code")
    blocks = pages.python_blocks_with_outputs(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) == 2 and all(expected is not None for _, _, expected in blocks)
    outputs, stderr, returncode = pages.run_page(PAGE, tmp_path)
    assert returncode == 0, stderr
    assert len(outputs) == len(blocks)
    for (line, _, expected), actual in zip(blocks, outputs):
        pages.assert_output_matches(actual, expected, f"tensorboard.md: block at line {line}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.tsv", "logs"]
    assert (tmp_path / "logs" / "embeddings" / "hidden.tsv").read_text().count("\n") == 200
