"""A store of known transcripts and a real uvicorn server on 127.0.0.1, for browser and load tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def build_store(db: Path, files: list[Path], extra_texts: dict[str, str] | None = None) -> list[str]:
    """Parse ``files`` (and named ``extra_texts``) into a new SQLite store at ``db``; their ids."""
    from podium.parse import parse_document, parse_file
    from podium.readers import read_bytes
    from podium.store import open_store

    ids = []
    store = open_store(str(db))
    try:
        for f in files:
            ids.append(store.add(parse_file(f)))
        for name, text in (extra_texts or {}).items():
            ids.append(store.add(parse_document(read_bytes(text.encode(), name))))
    finally:
        store.close()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db: Path, *, read_only: bool = False) -> Iterator[str]:
    """Serve ``db`` in a background thread; yields the base URL and stops the server after."""
    import uvicorn

    from podium.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(str(db), read_only=read_only), host="127.0.0.1", port=port,
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
