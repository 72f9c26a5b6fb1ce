"""Uploads are parsed in a child process with a CPU-time and memory budget, off the event loop.

Why: the server answers every request from one event loop, and parsing is pure Python. A
329-byte YAML file, 500 KB of nested ``<div>``s or 12,000 tiny exchanges held ``GET
/api/home`` for 5-14 s while they were parsed in the loop. Here each upload is parsed in a
process forked from a warm *fork server* (Podium's parser imported and its house styles
compiled once, so a child starts in milliseconds), under ``RLIMIT_CPU`` and ``RLIMIT_AS``.
The loop only waits on a pipe. An upload that runs out of time or memory is killed and
refused with one ``InputError`` line; the server and the other requests never notice.

At most ``PARSE_SLOTS`` uploads are parsed at once (a semaphore); more wait their turn, so a
burst of uploads cannot fork the machine to death.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from podium.errors import InputError, PodiumError
from podium.model import Transcript


@dataclass(frozen=True)
class Budget:
    """What one upload may cost: CPU seconds, extra address space, and wall seconds."""

    cpu_seconds: int = int(os.environ.get("PODIUM_PARSE_CPU_SECONDS", "2"))
    memory_bytes: int = int(os.environ.get("PODIUM_PARSE_MEMORY_MB", "300")) * 1024 * 1024
    wall_seconds: float = float(os.environ.get("PODIUM_PARSE_WALL_SECONDS", "20"))


PARSE_NICE = 10
"""How much lower than the server's the parsing children's scheduling priority is."""

PARSE_SLOTS = int(os.environ.get("PODIUM_PARSE_SLOTS", str(max(2, os.cpu_count() or 2))))
"""Uploads parsed at the same time; later ones wait."""

_context: Any = None
_context_lock = threading.Lock()
_slots: dict[int, asyncio.Semaphore] = {}


def _mp() -> Any:
    """The fork-server context, created once; the server preloads ``podium.web._warm``."""
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["podium.web._warm"])
            _context = ctx
        return _context


def warm() -> None:
    """Import the readers and parser and compile the house styles (runs in the fork server)."""
    from podium.parse import parse_document as parse
    from podium.readers import read_bytes

    try:
        parse(read_bytes(b"MODERATOR: Good morning.\n\nQ: Why?\n\nMINISTER: Because.\n", "warm.txt"))
    except PodiumError:  # pragma: no cover - warming is best effort
        pass


def _child(
    conn: Connection, data: bytes, filename: str | None, limit: int, budget: Budget,
    then: Callable[[Transcript], Any] | None = None,
) -> None:
    """In the child: set the limits, parse, send back ``("ok", transcript)`` or ``("error", message)``."""
    try:
        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):  # not Linux: no address-space limit
        used = 0
    resource.setrlimit(resource.RLIMIT_CPU, (budget.cpu_seconds, budget.cpu_seconds + 1))
    os.nice(PARSE_NICE)  # below the server: its loop answers first when the cores are busy
    if used:  # address space already mapped (the interpreter, Lexbor…) plus the budget
        resource.setrlimit(resource.RLIMIT_AS, (used + budget.memory_bytes, used + budget.memory_bytes))
    from podium.web.upload import parse_upload

    try:
        t = parse_upload(data, filename, limit)
        conn.send(("ok", then(t) if then is not None else t))
    except PodiumError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("memory", ""))
    except RecursionError:
        conn.send(("error", f"{filename or 'pasted text'}: nested too deeply to parse"))
    finally:
        conn.close()


def _run(
    data: bytes, filename: str | None, limit: int, budget: Budget, then: Callable[[Transcript], Any] | None = None
) -> Any:
    """Fork a child for one upload and wait for its answer (in a thread, never the loop)."""
    name = os.path.basename(filename) if filename else "pasted text"
    ctx = _mp()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, data, filename, limit, budget, then), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(budget.wall_seconds):
            raise InputError(f"{name}: took longer than {budget.wall_seconds:g} s to parse; refused")
        kind, value = parent.recv()
    except EOFError:  # killed: SIGXCPU/SIGKILL at the CPU limit, or out of memory
        proc.join(1)
        if proc.exitcode in (-24, -9):  # SIGXCPU, SIGKILL
            raise InputError(
                f"{name}: needs more than {budget.cpu_seconds} s of CPU time to parse; refused"
            ) from None
        raise InputError(f"{name}: the parser stopped (exit {proc.exitcode}); refused") from None
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(1)
    if kind == "ok":
        return value
    if kind == "memory":
        raise InputError(f"{name}: needs more than {budget.memory_bytes // 2**20} MB of memory to parse; refused")
    raise InputError(str(value))


async def parse_upload_isolated(
    data: bytes, filename: str | None, limit: int, budget: Budget | None = None
) -> Transcript:
    """Check, read and parse an upload in a budgeted child process (see the module docstring)."""
    return await _isolated(data, filename, limit, budget, None)  # type: ignore[no-any-return]


async def render_upload_isolated(
    data: bytes, filename: str | None, limit: int, render: Callable[[Transcript], bytes], budget: Budget | None = None
) -> bytes:
    """Like :func:`parse_upload_isolated`, and ``render`` (a module-level function) turns the
    transcript into the response body in the child too: a 2 MB transcript's reader view and
    JSON cost tens of milliseconds that would otherwise be spent on the event loop."""
    return await _isolated(data, filename, limit, budget, render)  # type: ignore[no-any-return]


async def _isolated(
    data: bytes, filename: str | None, limit: int, budget: Budget | None, then: Callable[[Transcript], Any] | None
) -> Any:
    from podium.web.upload import check

    check(data, filename, limit)  # cheap refusals need no process
    loop = asyncio.get_running_loop()
    slots = _slots.setdefault(id(loop), asyncio.Semaphore(PARSE_SLOTS))
    async with slots:
        return await asyncio.to_thread(_run, data, filename, limit, budget or Budget(), then)

