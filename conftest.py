"""pytest settings for the whole repository: the docstring examples of ``minikeras/`` (run with
``--doctest-modules``) may use ``np`` without importing it, as Keras's docs do."""
import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _numpy_in_doctests(doctest_namespace):
    doctest_namespace["np"] = np
