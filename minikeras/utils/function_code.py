"""``func_dump`` / ``func_load``: a Python function to a string and back (Keras ``keras.utils.generic_utils``).

The string is the function's bytecode (``marshal``), base64-encoded; defaults and closure values
travel beside it. Bytecode belongs to one Python version: a string made by another version may
not load. minikeras's own ``Lambda`` layer never saves code (it saves the function's name).

>>> def scale(x, factor=2):
...     return x * factor
>>> code, defaults, closure = func_dump(scale)
>>> func_load(code, defaults=defaults, closure=closure)(5), defaults
(10, (2,))
"""
import base64
import binascii
import marshal
import types


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
    """Rebuilds a function from :func:`func_dump`'s output (or from the tuple itself).

    Also reads the older format Keras wrote before 2.1.2 (raw bytecode as a ``raw_unicode_escape`` string).

    Args:
        code: the code string, or the whole ``(code, defaults, closure)`` tuple.
        defaults: the function's default argument values (a tuple, or a list).
        closure: the values of its closure variables (a tuple), or None.
        globs: the global names it sees (default: this module's globals).

    Returns:
        function: the rebuilt function.
    """
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
        if isinstance(defaults, list):
            defaults = tuple(defaults)
    try:
        raw = base64.b64decode(code.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raw = code.encode("raw_unicode_escape")
    code = marshal.loads(raw)
    if closure is not None:
        closure = tuple(_cell(value) for value in closure)
    return types.FunctionType(code, globs if globs is not None else globals(), name=code.co_name,
                              argdefs=defaults, closure=closure)


def _cell(value):
    """A closure cell holding ``value`` (cells compare by content, so a rebuilt closure equals the original)."""
    return types.CellType(value)
