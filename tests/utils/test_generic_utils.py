"""keras.utils.generic_utils helpers Keras 2 code imports: has_arg, to_list, unpack_singleton, func_dump/func_load."""
import numpy as np
import pytest

from minikeras.utils.generic_utils import func_dump, func_load, has_arg, to_list, unpack_singleton


@pytest.mark.parametrize("source, name, accept_all, expected", [
    ("def f(x): pass", "x", False, True),
    ("def f(x): pass", "y", True, False),
    ("def f(x, **kwargs): pass", "y", False, False),
    ("def f(x, **kwargs): pass", "y", True, True),
    ("def f(x, *, y=1): pass", "y", False, True),
    ("def f(x, /, y=1): pass", "x", False, False),     # positional-only: not a keyword argument
])
def test_has_arg(source, name, accept_all, expected):
    namespace = {}
    exec(source, namespace)
    assert has_arg(namespace["f"], name, accept_all) is expected


def test_to_list_and_unpack_singleton():
    assert to_list(3) == [3]
    assert to_list((1, 2)) == [(1, 2)]
    assert to_list((1, 2), allow_tuple=True) == [1, 2]
    values = [1, 2]
    assert to_list(values) is values
    assert unpack_singleton((7,)) == 7
    assert unpack_singleton([7, 8]) == [7, 8]


def test_func_dump_reads_a_function_and_func_load_refuses_to_run_code():
    offset = np.float32(1.5)

    def shifted(x, scale=3.0):
        return x * scale + offset

    code, defaults, closure = func_dump(shifted)
    assert isinstance(code, str) and defaults == (3.0,) and closure == (offset,)
    import base64
    import marshal
    assert marshal.loads(base64.b64decode(code)) == shifted.__code__  # what Keras 2 wrote into its files
    with pytest.raises(ValueError, match=r"minikeras has no func_load.*custom_objects"):
        func_load(code, defaults=defaults, closure=closure)


def test_get_functions_find_names_registered_in_a_custom_object_scope():
    from minikeras import activations, constraints, initializers, regularizers
    from minikeras.utils import custom_object_scope

    def double(x):
        return 2 * x

    class Halve:
        def __call__(self, w, *args, **kwargs):
            return 0.5 * np.asarray(w)

    with custom_object_scope({"double": double, "Halve": Halve}):
        assert activations.get("double") is double
        for module in (regularizers, initializers, constraints):   # a class comes back as an instance
            found = module.get("Halve")
            assert type(found) is Halve and found(np.ones(2))[0] == 0.5
    with pytest.raises(ValueError, match="Unknown activation"):
        activations.get("double")
