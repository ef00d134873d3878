"""``plot_history``: one panel per metric, training solid and validation dashed, epochs from 1."""
import sys

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils.plot import plot_history


def test_a_clear_import_error_without_matplotlib(monkeypatch):
    for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install matplotlib"):
        plot_history({"loss": [1.0, 0.5]})


def test_bad_input_is_rejected_before_matplotlib_is_needed(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(TypeError, match="History"):
        plot_history([0.5, 0.4])
    with pytest.raises(ValueError, match="no recorded values"):
        plot_history({})
    with pytest.raises(ValueError, match=r"\['accuracy'\] were not recorded"):
        plot_history({"loss": [1.0]}, metrics=["accuracy"])


@pytest.fixture
def plt():
    pyplot = pytest.importorskip("matplotlib.pyplot")
    yield pyplot
    pyplot.close("all")


def test_one_panel_per_metric_with_train_and_validation_curves(plt):
    logs = {"loss": [0.9, 0.5, 0.4], "accuracy": [0.5, 0.7, 0.8], "val_loss": [1.0, 0.7, 0.6],
            "val_accuracy": [0.4, 0.6, 0.7], "lr": [0.1, 0.1, 0.05]}
    fig = plot_history(logs, title="run")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy", "lr"]
    loss_train, loss_val = fig.axes[0].get_lines()
    assert list(loss_train.get_xdata()) == [1, 2, 3]                 # epochs counted from 1
    assert list(loss_train.get_ydata()) == [0.9, 0.5, 0.4]
    assert list(loss_val.get_ydata()) == [1.0, 0.7, 0.6]
    assert (loss_train.get_linestyle(), loss_val.get_linestyle()) == ("-", "--")
    assert len(fig.axes[2].get_lines()) == 1                          # no val_lr
    assert fig._suptitle.get_text() == "run"


def test_chosen_metrics_and_a_validation_only_key(plt):
    fig = plot_history({"loss": [1.0, 0.8], "val_mae": [0.3, 0.2]})
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    fig = plot_history({"loss": [1.0, 0.8], "val_loss": [1.1, 0.9]}, metrics="loss")
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 2


def test_history_from_fit_uses_its_epoch_numbers_and_saves_a_png(plt, tmp_path):
    keras.utils.set_random_seed(0)
    x = np.random.rand(20, 3).astype("float32")
    y = keras.utils.to_categorical(np.arange(20) % 2, 2)
    model = keras.Sequential([keras.layers.Dense(2, input_dim=3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    history = model.fit(x, y, epochs=4, initial_epoch=2, verbose=0, validation_split=0.25)
    path = tmp_path / "curves.png"
    fig = plot_history(history, filename=str(path))
    assert list(fig.axes[0].get_lines()[0].get_xdata()) == [3, 4]   # epochs 2 and 3, shown 1-based
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_figure_is_not_kept_by_pyplot_so_a_notebook_shows_it_once(plt, tmp_path):
    """Jupyter's inline backend draws every figure pyplot holds, and then the returned value again."""
    before = plt.get_fignums()
    fig = plot_history({"loss": [1.0, 0.5]}, filename=str(tmp_path / "c.png"))
    assert plt.get_fignums() == before
    assert type(fig).__name__ == "Figure" and len(fig.axes) == 1
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
