"""A one-connection stand-in for a PostgreSQL server that rejects every password.

The local server trusts every connection, so it cannot show what a wrong password does. This speaks just
enough of the PostgreSQL wire protocol (version 3) for the real driver: it refuses SSL and GSS encryption,
asks for a cleartext password, and answers with the server's own error for a wrong one (SQLSTATE 28P01).
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


def _read_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def _serve(conn: socket.socket, received: list[bytes]) -> None:
    with conn:
        while True:  # startup: SSL / GSS requests are refused with 'N', then the startup message
            (length,) = struct.unpack("!I", _read_exact(conn, 4))
            body = _read_exact(conn, length - 4)
            (code,) = struct.unpack("!I", body[:4])
            if code in (_SSL_REQUEST, _GSS_REQUEST):
                conn.sendall(b"N")
                continue
            break
        conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        kind = _read_exact(conn, 1)
        (length,) = struct.unpack("!I", _read_exact(conn, 4))
        received.append(kind + _read_exact(conn, length - 4))
        fields = b"".join(
            key + value + b"\0"
            for key, value in (
                (b"S", b"FATAL"),
                (b"V", b"FATAL"),
                (b"C", b"28P01"),
                (b"M", b'password authentication failed for user "app"'),
            )
        )
        payload = fields + b"\0"
        conn.sendall(b"E" + struct.pack("!I", len(payload) + 4) + payload)


@contextmanager
def password_rejecting_server() -> Iterator[tuple[int, list[bytes]]]:
    """Listens on 127.0.0.1; yields (port, the password messages received)."""
    received: list[bytes] = []
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            try:
                _serve(conn, received)
            except (ConnectionError, OSError, struct.error):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], received
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
