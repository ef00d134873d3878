"""How two traces are compared: one written-down rule per trace field.

Three kinds of rule:

* ``exact``: the values must be identical (hook order, file names, epochs run, keys, params).
* ``numeric``: same structure (dict keys in order, list lengths, strings, ints, None) and every
  float within ``|a - b| <= rtol * |expected| + atol`` (NaN equals NaN).
* ``differs``: pins a KNOWN difference: the values must NOT all agree by the ``numeric`` rule
  (so a change on either side that removes the difference is noticed and the entry revisited).
* ``text``: like ``numeric`` for strings: the text is split into number and non-number tokens;
  non-number tokens and integers must be identical, decimals must agree within ``rtol`` or one
  unit in the last printed digit (a value printed with ``%.4f`` may round either way).

>>> compare([1.0, 2.0], [1.0, 2.000001], FLOAT32, "history['loss']")
[]
>>> compare("loss: 0.5000", "loss: 0.5001", TEXT, "stdout")
[]
>>> compare("Epoch 1/3", "Epoch 2/3", TEXT, "stdout")[0][:31]
"stdout: token 1 differs: '1' vs"
"""
import math
import re
from dataclasses import dataclass

from tests.tolerance import ATOL, RTOL


@dataclass(frozen=True)
class Rule:
    """A comparison rule (see the module docstring)."""
    kind: str
    rtol: float = 0.0
    atol: float = 0.0
    reason: str = ""

    def describe(self):
        """A short human description, used in messages and in docs/conformance.md."""
        if self.kind == "exact":
            return "exact"
        tol = f"rtol {self.rtol:g}" + (f", atol {self.atol:g}" if self.atol else "")
        if self.kind == "differs":
            return f"must differ beyond {tol} (a known difference)"
        return tol if self.kind == "numeric" else f"text, numbers {tol} or 1 unit in the last printed digit"


EXACT = Rule("exact", reason="the protocol itself: order, names and counts must be identical")
FLOAT32 = Rule("numeric", rtol=RTOL, atol=ATOL,
               reason="float32 values after per-step arithmetic: rtol 1e-5 (~80 float32 ulps); atol 1e-6 "
                      "(~16 ulps of an O(1) value) for values that pass near zero, e.g. a weight "
                      "that is the difference of two O(1) numbers")
TEXT = Rule("text", rtol=RTOL, atol=ATOL,
            reason="printed output: words exact, numbers as FLOAT32 or one unit of the last printed digit "
                   "(a running mean that agrees to 1e-7 can still round the 4th decimal differently)")

#: The rule of every trace field. A scenario may override one with a written reason.
FIELD_RULES = {
    "hooks": EXACT,            # [hook, index, [logs keys]] for every callback hook, in order
    "history_keys": EXACT,     # History.history keys, in order
    "epochs": EXACT,           # History.epoch
    "params": EXACT,           # Callback.params during fit
    "files": EXACT,            # names of the files the scenario wrote
    "errors": EXACT,           # exception class names raised where Keras raises
    "h5": FLOAT32,             # structure of an HDF5 file: paths, attributes, shapes exact; values FLOAT32
    "config": FLOAT32,         # configs (model_config, training_config) as parsed JSON; floats such as
                               # learning_rate may be a float32 widened (0.009999999776) or shortest (0.01)
    "history": FLOAT32,        # History.history values
    "batch_logs": FLOAT32,     # numeric logs of each on_train_batch_end (running means)
    "lr": FLOAT32,             # optimizer learning rate at each epoch end
    "weights": FLOAT32,        # final weights (large arrays summarised: shape, sum |w|, sample)
    "predictions": FLOAT32,    # model.predict outputs
    "evaluate": FLOAT32,       # model.evaluate results
    "values": FLOAT32,         # other numbers a scenario collects (e.g. LossHistory.losses)
    "stdout": TEXT,            # printed output, timings normalised (tracing.normalise_stdout)
    "file_text": TEXT,         # contents of text files written (CSV logs)
    "requests": TEXT,          # HTTP requests received (RemoteMonitor)
    "events": FLOAT32,         # TensorBoard events: [run folder, step, tag, plugin, value]; value = the scalar,
                               # a histogram's total count, an image's 'WxH xN' (events.py)
}

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\bnan\b|\binf\b")


def compare(expected, actual, rule, path, limit=8):
    """Returns a list of messages, one per disagreement, each naming its place (``path``).

    Args:
        expected: the oracle's value (after normalisation).
        actual: minikeras's value.
        rule: a :class:`Rule`.
        path: where the value sits, e.g. ``"history['loss']"``; it starts every message.
        limit: stop after this many messages.
    """
    messages = []
    if rule.kind == "differs":
        _compare(expected, actual, Rule("numeric", rule.rtol, rule.atol), path, messages, 1)
        if messages:
            return []
        return [f"{path}: expected to differ (rule: {rule.describe()}; {rule.reason}), but agrees"]
    _compare(expected, actual, rule, path, messages, limit)
    return messages[:limit]


def _compare(a, b, rule, path, out, limit):
    if len(out) >= limit:
        return
    if rule.kind == "exact":
        if a != b:
            _first_difference(a, b, path, out)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            out.append(f"{path}: keys differ: expected {list(a)}, got {list(b)} (keys and their order are exact)")
        for key in a:
            if key in b:
                _compare(a[key], b[key], rule, f"{path}[{key!r}]", out, limit)
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length differs: expected {len(a)}, got {len(b)} (lengths are exact)")
        for i, (x, y) in enumerate(zip(a, b)):
            _compare(x, y, rule, f"{path}[{i}]", out, limit)
        return
    if _is_number(a) and _is_number(b):
        if not _close(float(a), float(b), rule.rtol, rule.atol):
            out.append(f"{path}: expected {a!r}, got {b!r} (rule: {rule.describe()})")
        return
    if isinstance(a, str) and isinstance(b, str) and rule.kind == "text":
        _compare_text(a, b, rule, path, out)
        return
    if a != b or type(a) is not type(b):
        out.append(f"{path}: expected {_short(a)}, got {_short(b)} (rule: {rule.describe()}; non-floats exact)")


def _first_difference(a, b, path, out):
    """Reports the innermost first place where ``a`` and ``b`` differ (exact rule)."""
    if len(repr(a)) <= 200 and len(repr(b)) <= 200:  # short enough to show whole
        out.append(f"{path}: expected {a!r}, got {b!r} (rule: exact)")
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]", out)
        out.append(f"{path}: length differs: expected {len(a)}, got {len(b)}; first extra item: "
                   f"{_short((a if len(a) > len(b) else b)[min(len(a), len(b))])} (rule: exact)")
        return None
    if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        for key in a:
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{path}[{key!r}]", out)
    out.append(f"{path}: expected {_short(a)}, got {_short(b)} (rule: exact)")
    return None


def _compare_text(a, b, rule, path, out):
    ta, tb = _tokens(a), _tokens(b)
    for i, (x, y) in enumerate(zip(ta, tb)):
        if x == y:
            continue
        if _NUMBER.fullmatch(x) and _NUMBER.fullmatch(y) and _is_decimal(x) and _is_decimal(y):
            unit = _last_digit_unit(x)
            if _close(float(x), float(y), rule.rtol, max(rule.atol, unit * 1.0000001)):
                continue
        line = a.count("\n", 0, sum(len(t) for t in ta[:i])) + 1
        out.append(f"{path}: token {i} differs: {x!r} vs {y!r} (line {line}: expected "
                   f"{_line_of(a, ta, i)!r}, got {_line_of(b, tb, i)!r}; rule: {rule.describe()})")
        return
    if len(ta) != len(tb):
        out.append(f"{path}: expected {len(ta)} tokens, got {len(tb)}: expected tail "
                   f"{''.join(ta[len(tb):])[:200]!r}, got tail {''.join(tb[len(ta):])[:200]!r}")


def _tokens(text):
    tokens, pos = [], 0
    for m in _NUMBER.finditer(text):
        if m.start() > pos:
            tokens.append(text[pos:m.start()])
        tokens.append(m.group())
        pos = m.end()
    if pos < len(text):
        tokens.append(text[pos:])
    return tokens


def _line_of(text, tokens, i):
    start = sum(len(t) for t in tokens[:i])
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin:end if end >= 0 else None]


def _is_decimal(token):
    return "." in token or "e" in token.lower() or token in ("nan", "inf")


def _last_digit_unit(token):
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(a, b, rtol, atol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rtol * abs(a) + atol


def _short(value, width=300):
    text = repr(value)
    return text if len(text) <= width else text[:width] + "..."
