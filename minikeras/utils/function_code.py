"""``func_dump`` / ``func_load``: Keras's way of putting a Python function into a file, and why
minikeras only goes half of it.

Keras 2 saved a ``Lambda`` layer's function as its bytecode (``marshal``, base64-encoded), and
``func_load`` turned such a string back into a function. Loading bytecode runs whatever code the
string holds, so a file could carry a program; minikeras never loads code (its ``Lambda`` saves
the function's *name*, restored with ``custom_objects``). ``func_dump`` is kept (it only reads
your own function); ``func_load`` refuses, saying how to do it instead.

>>> def scale(x, factor=2):
...     return x * factor
>>> code, defaults, closure = func_dump(scale)
>>> isinstance(code, str), defaults, closure
(True, (2,), None)
"""
import base64
import marshal


def func_dump(func):
    """Returns ``(code, defaults, closure)``: the function's base64 bytecode and what it needs to run.

    Args:
        func: a Python function (a ``def`` or a ``lambda``).

    Returns:
        tuple: ``(code string, __defaults__, tuple of closure values or None)``.
    """
    code = base64.b64encode(marshal.dumps(func.__code__)).decode("ascii")
    closure = tuple(cell.cell_contents for cell in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """Refuses: minikeras never turns a string into running code.

    Args:
        code: what :func:`func_dump` returned (not read).
        defaults, closure, globs: as in Keras (not read).

    Raises:
        ValueError: always, saying what to do instead.
    """
    raise ValueError("minikeras has no func_load: loading a function's bytecode from a string runs whatever "
                     "code the string holds, and minikeras never loads code. Define the function in your "
                     "program and pass it by name, e.g. load_model(path, custom_objects={'my_fn': my_fn}).")
