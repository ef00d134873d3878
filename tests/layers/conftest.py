"""Layer tests run in float64, so central differences are accurate to ~1e-9, with fresh layer names."""
import pytest

from minikeras import backend


@pytest.fixture(autouse=True)
def float64_and_fresh_names():
    backend.set_floatx("float64")
    backend.reset_uids()
    yield
    backend.set_floatx("float32")
