"""``RemoteMonitor``: POSTs every epoch's logs to an HTTP server (standard library only)."""
import json
import threading
import urllib.parse
import warnings

import numpy as np

from .callback import Callback


class RemoteMonitor(Callback):
    """Sends ``{'epoch': epoch, **logs}`` to ``root + path`` at every epoch end
    (Keras ``keras.callbacks.RemoteMonitor``, sending the same requests as tf_keras 2.21's).

    Args:
        root: the server's root URL.
        path: the path appended to ``root``.
        field: the form field that holds the JSON text (form mode only).
        headers: a dict of extra HTTP headers, or None.
        send_as_json: False (default): an ``application/x-www-form-urlencoded`` body with one
            field, ``field=<json.dumps(data)>``; True: the JSON text itself as an
            ``application/json`` body.

    The data is ``{"epoch": <0-based epoch>, <every log key>: <value>}``; NumPy scalars become
    Python numbers. For example, epoch 0 with ``loss=0.5`` gives the body
    ``data=%7B%22epoch%22%3A+0%2C+%22loss%22%3A+0.5%7D`` (form) or
    ``{"epoch": 0, "loss": 0.5}`` (JSON).

    A server that cannot be reached (refused, unknown host, bad URL, timeout) never stops the
    training: the warning ``Warning: could not reach RemoteMonitor root server at <root>`` is
    issued and the next epoch tries again. As with tf_keras (which uses ``requests``), an HTTP
    error status from a server that *was* reached is ignored.

    Deviations from tf_keras 2.21: it uses ``urllib`` from the standard library instead of
    ``requests`` (same bodies and content types; the other default headers, such as
    ``User-Agent``, differ); a request gives up after ``timeout`` seconds in all (a class
    attribute, 10 s; one deadline for the whole request, even against a server that sends one
    byte at a time; ``requests`` without a timeout can wait forever); a NumPy array with several values
    is sent as a JSON list (tf_keras's ``.item()`` fails on it); warnings use Python's
    ``warnings``. As in tf_keras, in JSON mode a NaN or infinite value cannot be sent (it is
    not valid JSON): that epoch is skipped with a warning saying so.

    >>> monitor = RemoteMonitor(root='http://localhost:9000', send_as_json=True)
    >>> monitor.root + monitor.path
    'http://localhost:9000/publish/epoch/end/'
    """

    timeout = 10.0

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data", headers=None,
                 send_as_json=False):
        super().__init__()
        for name, value in (("root", root), ("path", path), ("field", field)):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a string, got {value!r}.")
        if headers is not None and not isinstance(headers, dict):
            raise TypeError(f"headers must be a dict of header names to values, or None; got {headers!r}.")
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = _plain(value)
        if self.send_as_json:
            try:
                body = json.dumps(send, allow_nan=False).encode("utf-8")
            except ValueError:
                warnings.warn(f"RemoteMonitor could not send epoch {epoch}: a value is NaN or infinite, which "
                              f"JSON cannot hold ({send}).", RuntimeWarning, stacklevel=2)
                return
            content_type = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        headers = dict(self.headers or {})
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = content_type
        outcome = []
        worker = threading.Thread(target=self._post, args=(body, headers, outcome), daemon=True)
        worker.start()
        worker.join(self.timeout)      # one deadline for the whole request, however the server trickles
        if outcome != ["sent"]:
            warnings.warn("Warning: could not reach RemoteMonitor root server at " + str(self.root),
                          RuntimeWarning, stacklevel=2)

    def _post(self, body, headers, outcome):
        """Sends one request (in a worker thread); appends ``'sent'`` to ``outcome`` when done."""
        import http.client      # imported here: only sending needs them (they slow `import minikeras`)
        import urllib.error
        import urllib.request
        try:
            request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
            outcome.append("sent")
        except urllib.error.HTTPError as error:
            error.close()  # the server answered (with an error status): requests would not raise either
            outcome.append("sent")
        except (OSError, ValueError, http.client.HTTPException):
            outcome.append("failed")


def _plain(value):
    """NumPy scalars/arrays -> Python numbers (lists for arrays of several values)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item() if np.size(value) == 1 else value.tolist()
    return value
