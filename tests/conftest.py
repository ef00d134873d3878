"""Suite-wide settings: hypothesis keeps no example database (it would write ``.hypothesis/`` into the
checkout; the suite writes only to temporary folders, see tests/README.md)."""
try:
    from hypothesis import settings
except ImportError:  # the test extra is not installed: the property tests skip themselves
    settings = None

if settings is not None:
    settings.register_profile("minikeras", database=None)
    settings.load_profile("minikeras")
