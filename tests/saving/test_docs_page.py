"""docs/saving.md: every python block runs and prints what the page shows (tests/docs runs the
other pages the same way; this page is ours)."""
import pathlib

from tests.docs import test_docs_code as pages

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "saving.md"


def test_saving_page_code_runs_and_prints_what_it_shows(tmp_path):
    blocks = pages.python_blocks_with_outputs(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 7
    outputs, stderr, returncode = pages.run_page(PAGE, tmp_path)
    assert returncode == 0, stderr
    assert len(outputs) == len(blocks)
    for (line, _, expected), actual in zip(blocks, outputs):
        if expected is not None:
            pages.assert_output_matches(actual, expected, f"saving.md: block at line {line}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adam.h5", "custom.h5", "model.h5", "weights.h5"]
