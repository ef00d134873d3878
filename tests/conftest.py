"""Suite-wide settings: hypothesis keeps its files (example database, constants cache) in a temporary
folder removed at exit, not in ``.hypothesis/`` inside the checkout: the suite writes only to
temporary folders (tests/README.md)."""
import atexit
import shutil
import tempfile

try:
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
except ImportError:  # the test extra is not installed: the property tests skip themselves
    settings = None

if settings is not None:
    _home = tempfile.mkdtemp(prefix="minikeras-hypothesis-")
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
    set_hypothesis_home_dir(_home)
    settings.register_profile("minikeras", database=None)
    settings.load_profile("minikeras")
