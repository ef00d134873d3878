"""RemoteMonitor against a real HTTP server on 127.0.0.1: the exact POST bodies equal tf_keras 2.21's.

TF_KERAS was recorded by pointing tf_keras 2.21's own ``tf_keras.callbacks.RemoteMonitor`` (which
uses ``requests``) at the recording server below and calling ``on_epoch_end`` with the same logs:

    TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=. /opt/venv/bin/python -m tests.callbacks.test_remote_monitor

prints the table (the path, Content-Type and body of every request the server received).
"""
import contextlib
import http.server
import socket
import threading
import time
import warnings

import numpy as np
import pytest

from minikeras.callbacks.remote_monitor import RemoteMonitor
from minikeras.layers import Dense
from minikeras.models import Sequential
from tests.callbacks.stubs import tk_callbacks

LOGS = {"loss": 0.42004412412643433, "val_loss": np.float32(2.848), "lr": np.float32(0.001),
        "one": np.array([3.5]), "count": 3, "name": "x y&z=é", "nan": float("nan")}

# name: (constructor kwargs without root, epoch, logs)
SCENARIOS = {
    "form": ({}, 0, LOGS),
    "json": ({"send_as_json": True}, 1, {k: v for k, v in LOGS.items() if k != "nan"}),
    "form_custom_field_and_path": ({"field": "payload", "path": "/api/epochs"}, 7, {"loss": 0.5}),
    "json_with_headers": ({"send_as_json": True, "headers": {"X-Run": "abc"}}, 2, {"loss": 0.5}),
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Stores (path, Content-Type, X-Run header, body) of every POST; answers with ``status``."""
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append([self.path, self.headers["Content-Type"], self.headers["X-Run"], body])
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def recording_server():
    """An HTTP server on 127.0.0.1 (a free port) in a thread; ``.received`` lists the requests."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.received, httpd.status = [], 200
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.root = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server():
    with recording_server() as httpd:
        yield httpd


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def send(cls, name, root):
    kwargs, epoch, logs = SCENARIOS[name]
    cls(root=root, **kwargs).on_epoch_end(epoch, dict(logs))


# Recorded from tf_keras 2.21 with the command in the module docstring.
TF_KERAS = {'form': [['/publish/epoch/end/', 'application/x-www-form-urlencoded', None,
           b'data=%7B%22epoch%22%3A+0%2C+%22loss%22%3A+0.4200441241264343%2C+%22val_loss%22%3A+2.848000049591'
           b'0645%2C+%22lr%22%3A+0.0010000000474974513%2C+%22one%22%3A+3.5%2C+%22count%22%3A+3%2C+%22name%22%'
           b'3A+%22x+y%26z%3D%5Cu00e9%22%2C+%22nan%22%3A+NaN%7D']],
 'json': [['/publish/epoch/end/', 'application/json', None,
           b'{"epoch": 1, "loss": 0.4200441241264343, "val_loss": 2.8480000495910645, "lr": 0.001000000047497'
           b'4513, "one": 3.5, "count": 3, "name": "x y&z=\\u00e9"}']],
 'form_custom_field_and_path': [['/api/epochs', 'application/x-www-form-urlencoded', None,
                                 b'payload=%7B%22epoch%22%3A+7%2C+%22loss%22%3A+0.5%7D']],
 'json_with_headers': [['/publish/epoch/end/', 'application/json', 'abc', b'{"epoch": 2, "loss": 0.5}']]}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_request_matches_tf_keras(name, server):
    send(RemoteMonitor, name, server.root)
    assert server.received == TF_KERAS[name]


@pytest.mark.tf_keras
def test_live_tf_keras_matches_recording():
    assert record_tf_keras() == TF_KERAS


def test_defaults_are_the_seed_documents():
    monitor = RemoteMonitor()
    assert (monitor.root, monitor.path, monitor.field, monitor.headers, monitor.send_as_json) == \
        ("http://localhost:9000", "/publish/epoch/end/", "data", None, False)


def test_server_down_warns_and_training_goes_on():
    with socket.socket() as s:               # a port on which nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = Sequential([Dense(1, input_dim=2)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    root = f"http://127.0.0.1:{port}"
    with pytest.warns(RuntimeWarning, match=f"Warning: could not reach RemoteMonitor root server at {root}"):
        h = model.fit(x, y, epochs=3, verbose=0, callbacks=[RemoteMonitor(root=root)])
    assert h.epoch == [0, 1, 2]


@pytest.mark.parametrize("root", ["not a url", "http://nonexistent.invalid"])
def test_bad_root_warns(root):
    with pytest.warns(RuntimeWarning, match="could not reach RemoteMonitor root server"):
        RemoteMonitor(root=root).on_epoch_end(0, {"loss": 1.0})


def test_http_error_status_is_ignored_as_requests_does(server):
    server.status = 500
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RemoteMonitor(root=server.root, send_as_json=True).on_epoch_end(0, {"loss": 1.0})
    assert server.received[0][3] == b'{"epoch": 0, "loss": 1.0}'


def test_nan_cannot_be_sent_as_json(server):
    # tf_keras: requests refuses NaN in JSON (InvalidJSONError) and the callback warns; nothing is sent.
    with pytest.warns(RuntimeWarning, match="NaN or infinite"):
        RemoteMonitor(root=server.root, send_as_json=True).on_epoch_end(0, {"loss": float("nan")})
    assert server.received == []


def test_array_of_several_values_is_sent_as_a_list(server):
    # Deviation: tf_keras's ``.item()`` raises on such an array.
    RemoteMonitor(root=server.root, send_as_json=True).on_epoch_end(0, {"w": np.array([1.5, 2.0])})
    assert server.received[0][3] == b'{"epoch": 0, "w": [1.5, 2.0]}'


def test_fit_sends_one_request_per_epoch_with_the_history_values(server):
    import json
    model = Sequential([Dense(1, input_dim=2)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    h = model.fit(x, y, epochs=3, verbose=0, validation_data=(x, y),
                  callbacks=[RemoteMonitor(root=server.root, send_as_json=True)])
    sent = [json.loads(body) for _, _, _, body in server.received]
    assert sent == [{"epoch": e, "loss": h.history["loss"][e], "val_loss": h.history["val_loss"][e]}
                    for e in range(3)]


@pytest.mark.parametrize("kwargs", [{"root": 9000}, {"headers": ["X-Run: 1"]}])
def test_bad_arguments_are_type_errors(kwargs):
    with pytest.raises(TypeError, match=next(iter(kwargs))):
        RemoteMonitor(**kwargs)


def record_tf_keras():
    """Returns the TF_KERAS table: what the server received from tf_keras's RemoteMonitor."""
    callbacks = tk_callbacks()
    table = {}
    for name in SCENARIOS:
        with recording_server() as httpd:
            send(callbacks.RemoteMonitor, name, httpd.root)
        table[name] = httpd.received
    return table


if __name__ == "__main__":
    import pprint
    pprint.pprint(record_tf_keras(), width=110, compact=True, sort_dicts=False)


# --------------------------------------------------------------------------- issue 14, item 14: one deadline per request
class Trickler(http.server.BaseHTTPRequestHandler):
    """Answers one byte every 0.25 s (a 40-byte status line: 10 s), each byte within any per-read timeout."""

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        try:
            for byte in b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\nX-Pad: 0123\r\n\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.25)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_a_trickling_server_is_given_one_deadline_not_one_per_read():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        monitor = RemoteMonitor(root=f"http://127.0.0.1:{httpd.server_address[1]}")
        monitor.timeout = 1.0              # each 0.25 s read would pass a per-read timeout of 1 s
        start = time.monotonic()
        with pytest.warns(RuntimeWarning, match="could not reach RemoteMonitor"):
            monitor.on_epoch_end(0, {"loss": 0.5})
        assert time.monotonic() - start < 5.0     # the trickle takes 13 s; the deadline ends it after 1 s
    finally:
        httpd.shutdown()
        httpd.server_close()
