"""The suite's tolerance policy: how a test compares a float that BLAS or another library computed.

Why: a matrix product's sum is split differently by each BLAS kernel (Haswell, SandyBridge, ...)
and thread count, so the same float32 training run agrees only to the last few bits between
machines. A test that pins such a float with ``==`` (or compares full-precision reprs) passes on
the CPU it was recorded on and fails on the next one. The rules:

* **float32 traces** (losses, metrics, weights, predictions after training steps, and anything
  compared with tf_keras): ``|actual - expected| <= RTOL * |expected| + ATOL``, with
  ``RTOL = 1e-5`` (~80 float32 ulps: many steps of float32 rounding) and ``ATOL = 1e-6`` (for
  values that pass near zero, e.g. a weight that is the difference of two O(1) numbers).
  Use :func:`assert_close`.
* **printed output** (docs pages, tutorials, progress bars): words and integers exact; each
  decimal number within the float32 rule *or* one unit of its last printed digit, since a value
  that agrees to 1e-7 can still round the 4th decimal the other way (``2.3655`` -> 2.365/2.366).
  Use :func:`assert_text_close`. Pages print rounded values (4 significant digits is the house
  style), never a full-precision repr.
* **exact** comparisons stay exact where no BLAS is involved or both sides come from the same
  process on the same machine: scalar float32 arithmetic scripted through stubs (learning-rate
  trajectories, callback bookkeeping), file bytes written from given values, the same fit run
  twice in one process (bit-for-bit reproducibility is promised on one machine, not across them).

The conformance suite applies the same numbers through its field rules
(``tests/conformance/rules.py``: ``FLOAT32`` and ``TEXT`` are built from this module).

>>> assert_close([1.0, 2.0], [1.0, 2.00001])
>>> assert_text_close("loss: 2.366", "loss: 2.365")
"""
import numpy as np

#: Relative tolerance for float32 values after per-step arithmetic (~80 float32 ulps).
RTOL = 1e-5
#: Absolute tolerance for float32 values that pass near zero (~16 ulps of an O(1) value).
ATOL = 1e-6


def assert_close(actual, expected, rtol=RTOL, atol=ATOL, what="value"):
    """Asserts ``actual`` equals ``expected`` (nested lists/arrays of floats) within the float32 rule.

    Args:
        actual: what the code computed.
        expected: the reference (a recording, tf_keras's value, a formula).
        rtol: relative tolerance; keep the default unless a comment states why.
        atol: absolute tolerance; keep the default unless a comment states why.
        what: a name for the failure message.

    Raises:
        AssertionError: naming ``what``, when a value (or the shape) differs.
    """
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                               rtol=rtol, atol=atol, err_msg=f"{what} differs beyond the float32 tolerance")


def assert_text_close(actual, expected, what="output"):
    """Asserts two printed texts agree: words exactly, numbers by the printed-output rule.

    Raises:
        AssertionError: with the first differing token and its line.
    """
    from tests.conformance.rules import TEXT, compare
    messages = compare(expected, actual, TEXT, what)
    assert not messages, "\n".join(messages)
