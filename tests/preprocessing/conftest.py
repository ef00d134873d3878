"""The live oracle: tf_keras's preprocessing modules, or a skip when tf_keras is not installed."""
import os

import pytest


@pytest.fixture(scope="session")
def tk_preprocessing():
    """``(tf_keras.preprocessing.text, tf_keras.preprocessing.sequence)``; skips without tf_keras."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    return tf_keras.preprocessing.text, tf_keras.preprocessing.sequence


@pytest.fixture(scope="session")
def tk_image():
    """``tf_keras.preprocessing.image``; skips without tf_keras."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("tf_keras").preprocessing.image
