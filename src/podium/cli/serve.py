"""``podium serve``: the web interface and JSON API over a corpus store."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption
from podium.errors import PodiumError, UsageError

KEEP_ALIVE = 30
"""Seconds an idle keep-alive connection stays open. uvicorn's 5 s closed connections under
load just as clients sent their next request on them (ReadError at 200 concurrent clients)."""


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Refuse every write (uploads are parsed, never stored).")
    ] = False,
    max_upload: Annotated[
        int, typer.Option("--max-upload", min=1, help="Largest accepted upload in bytes.")
    ] = 2 * 1024 * 1024,
    get: Annotated[
        str | None, typer.Option("--get", help="Print the response for this path and exit (no server).")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Server processes answering requests.")
    ] = 1,
) -> None:
    """Serve the store at DB as web pages and a JSON API (http://HOST:PORT/)."""
    from podium.store import default_url

    db = db or default_url()
    try:
        _check_store(db, read_only)
        from podium.web import create_app

        web = create_app(db, read_only=read_only, max_upload=max_upload)
    except ImportError as exc:
        raise fail(UsageError(f"the web interface needs its extra: pip install 'podium[web]' ({exc.name})")) from None
    except PodiumError as exc:
        raise fail(exc) from None
    if get is not None:
        raise typer.Exit(_get(web, get))
    import uvicorn

    sys.stderr.write(f"podium: serving {db} at http://{host}:{port}/{' (read-only)' if read_only else ''}"
                     f"{f' with {workers} workers' if workers > 1 else ''}\n")
    if workers == 1:
        uvicorn.run(web, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE)
        return
    # Worker processes import the app by name; its settings travel in the environment.
    import os

    os.environ.update({"PODIUM_SERVE_DB": db, "PODIUM_SERVE_READ_ONLY": "1" if read_only else "",
                       "PODIUM_SERVE_MAX_UPLOAD": str(max_upload)})
    uvicorn.run("podium.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", timeout_keep_alive=KEEP_ALIVE)


def _check_store(db: str, read_only: bool = False) -> None:
    """Open the store once up front so a bad --db is one line, not a traceback per request."""
    from pathlib import Path

    if "://" not in db and not Path(db.removeprefix("sqlite:///")).exists():
        raise UsageError(f"--db {db}: no such store; create it with 'podium ingest FOLDER --db {db}'")
    from podium.store import open_store

    store = open_store(db, existing=True, read_only=read_only)
    try:
        problem = store.quick_check() if hasattr(store, "quick_check") else None
        if problem is not None:
            from podium.errors import StoreError

            raise StoreError(
                f"{db}: the store is damaged ({problem}); restore it from a backup, "
                "or rebuild it with 'podium ingest FOLDER --db NEW.db'"
            )
    finally:
        store.close()


def _get(web: object, path: str) -> int:
    """Render ``path`` in-process and print it: 0 if it answered 2xx/3xx, else 1."""
    from fastapi.testclient import TestClient

    with TestClient(web) as client:  # type: ignore[arg-type]
        response = client.get(path, follow_redirects=False)
    sys.stdout.write(response.text)
    return 0 if response.status_code < 400 else 1
