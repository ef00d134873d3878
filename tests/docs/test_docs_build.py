"""``mkdocs build --strict`` succeeds, and the built site has every page, in both languages where
the site promises a translation.

Needs the ``docs`` extra (mkdocs, mkdocs-material, mkdocstrings[python], mkdocs-static-i18n);
skipped with the reason when it is missing.
"""
import html as html_module
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python", "mkdocs_static_i18n"):
    pytest.importorskip(module, reason=f"{module} is not installed: pip install -e '.[docs]'")

# page (site path) -> a phrase its English version must contain
PAGES = {
    "": "minikeras",
    "how-fit-works/": "How fit() works",
    "callbacks-guide/": "Callbacks guide",
    "custom-callbacks/": "Write your own callback",
    "tutorials/": "Tutorials",
    "core/history/": "History",
    "core/base-logger/": "BaseLogger",
    "core/progbar-logger/": "ProgbarLogger",
    "core/terminate-on-nan/": "TerminateOnNaN",
    "core/lambda-callback/": "LambdaCallback",
    "callbacks/": "ModelCheckpoint",
    "saving/": "save",
    "tensorboard/": "TensorBoard",
    "running-keras-code/": "import keras",
    "running-keras-examples/": "mnist_mlp.py",
    "differences/": "Differences from Keras",
    "conformance/": "Conformance",
    "performance/": "Performance",
    "api/models/": "minikeras.models.training.fit_loop",
    "api/callbacks/": "minikeras.callbacks.History",
    "api/layers/": "Dense",
    "api/optimizers/": "Nadam",
    "api/utils/": "to_categorical",
    "api/datasets/": "digits",
    "api/saving/": "minikeras.saving",
    "api/tensorboard/": "minikeras.tensorboard",
    "api/wrappers/": "KerasClassifier",
}

# page -> its Chinese title
TRANSLATED = {
    "how-fit-works/": "fit() 是如何工作的",
    "callbacks-guide/": "回调函数指南",
    "custom-callbacks/": "编写自己的回调函数",
    "saving/": "保存与加载",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    warnings = [s for s in proc.stderr.splitlines() if s.startswith(("WARNING", "ERROR"))]
    details = warnings or proc.stderr.splitlines()[-30:]
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(details)
    return out


def html(site, page, language=""):
    path = site / language / page / "index.html"
    assert path.is_file(), f"{path.relative_to(site)} was not built"
    return path.read_text(encoding="utf-8")


def title(text):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip() if match else ""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "index")
def test_english_page_is_built(site, page):
    text = html(site, page)
    assert '<html lang="en"' in text
    assert PAGES[page] in text


@pytest.mark.parametrize("page", TRANSLATED)
def test_chinese_page_is_built_from_its_translation(site, page):
    text = html(site, page, "zh")
    assert '<html lang="zh"' in text
    assert title(text) == TRANSLATED[page]
    assert title(html(site, page)) != TRANSLATED[page]                 # the English one is different
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 500               # a real translation, not a fallback


def test_untranslated_pages_fall_back_to_english_in_the_chinese_site(site):
    assert title(html(site, "differences/", "zh")) == "Differences from Keras"
    quickstart = html(site, "", "zh")                                     # same title, translated text
    assert '<html lang="zh"' in quickstart and "第一个模型" in quickstart


def test_pages_offer_the_language_switch(site):
    english = html(site, "how-fit-works/")
    assert "中文" in english and re.search(r'href="[./]*zh/how-fit-works/"', english)


def test_api_reference_is_generated_from_docstrings(site):
    text = html(site, "api/callbacks/")
    assert 'id="minikeras.callbacks.History"' in text
    assert "Records the logs of every epoch" in text                    # History's docstring


def built_pages(site):
    return sorted(site.rglob("*.html"))


def prose(text):
    """The page without the source listings (a docstring's own source may show its Sphinx roles)."""
    return re.sub(r'<details class="mkdocstrings-source">.*?</details>', "", text, flags=re.S)


def test_no_raw_sphinx_roles_anywhere(site):
    raw = {str(p.relative_to(site)): re.findall(r":(?:func|class|mod|meth|attr|data|exc|obj):`[^`]*`", prose(p.read_text("utf-8")))
           for p in built_pages(site)}
    assert not {page: roles for page, roles in raw.items() if roles}


def test_roles_became_links_to_the_public_paths(site):
    text = html(site, "api/callbacks/")
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="\.\./models/#minikeras\.models\.Sequential"', text)
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="#minikeras\.callbacks\.Callback\.on_train_batch_begin"',
                     text)
    history = html(site, "api/saving/")                               # :class:`~minikeras.callbacks.History`-style
    assert len(re.findall(r'class="autorefs autorefs-internal"', history)) >= 3


def test_no_parameter_table_has_an_empty_column(site):
    """Parameters, returns and raises are listed without a Type column that would stay empty."""
    empty = []
    for path in [p for p in built_pages(site) if "/api/" in p.as_posix()]:
        text = prose(path.read_text("utf-8"))
        assert "<th>Type</th>" not in text, path
        for table in re.findall(r"<table>.*?</table>", text, re.S):
            for row in re.findall(r'<tr class="doc-section-item">(.*?)</tr>', table, re.S):
                cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                empty += [f"{path.relative_to(site)}: {cells}" for c in cells if not c]
    assert not empty
    utils = html_module.unescape(re.sub(r"<[^>]+>", "", html(site, "api/utils/")))
    assert re.search(r"num_classes\s*\(int or None, default:\s*None\s*\)", utils)   # a type from the docstring


def test_api_headings_show_public_paths_and_hide_the_machinery_from_the_contents(site):
    models = html(site, "api/models/")
    headings = [html_module.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h\d[^>]*>(.*?)</h\d>", models, re.S)]
    assert any(h.strip().startswith("minikeras.models.Sequential") for h in headings)
    assert not [h for h in headings if "minikeras.models.sequential" in h]
    callbacks = html(site, "api/callbacks/")
    sidebar = callbacks[callbacks.index("md-sidebar--secondary"):callbacks.index("md-content")]
    contents = re.findall(r'href="#([^"]+)"', sidebar)
    assert "minikeras.callbacks.EarlyStopping" in contents and "minikeras.callbacks.Callback.on_epoch_end" in contents
    assert not [c for c in contents if "CallbackList" in c or "MonitorCallback" in c]
    assert 'id="minikeras.callbacks.CallbackList"' in callbacks                # still documented, and linkable


def test_tutorials_are_pages_with_outputs_plots_and_notebooks(site):
    text = html(site, "tutorials/06_history_and_learning_curves/")
    assert '<img alt="06_learning_curves.png" src="../06_learning_curves.png"' in text
    assert "keys:   ['loss', 'accuracy', 'val_loss', 'val_accuracy']" in html_module.unescape(text)   # an output
    assert 'href="../06_history_and_learning_curves.ipynb"' in text
    assert (site / "tutorials" / "06_learning_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert '"nbformat": 4' in (site / "tutorials" / "06_history_and_learning_curves.ipynb").read_text("utf-8")
    index = html(site, "tutorials/")
    assert 'href="06_history_and_learning_curves/"' in index and 'href="06_history_and_learning_curves.ipynb"' in index


def test_code_outputs_are_on_the_pages(site):
    shown = html_module.unescape(re.sub(r"<[^>]+>", "", html(site, "how-fit-works/")))
    assert "on_train_batch_begin 0  {'batch': 0, 'size': 4}" in shown
