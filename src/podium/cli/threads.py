"""``podium threads``, ``podium thread ID`` and ``podium watch …``: recurring questions and alerts."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated

import typer

from podium.cli import app, fail
from podium.cli._options import DbOption, format_option, write_json
from podium.errors import PodiumError, UsageError


class Fmt(str, Enum):
    table = "table"
    json = "json"


def _clip(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@app.command("threads")
def threads_cmd(
    db: DbOption = None,
    min_size: Annotated[int, typer.Option("--min-size", help="Only threads asked on at least this many occasions (dates).")] = 2,
    unanswered: Annotated[bool, typer.Option("--unanswered", help="Only threads no answer clearly replied to.")] = False,
    org: Annotated[str | None, typer.Option(help="Asked of this organisation (substring, any case).")] = None,
    since: Annotated[str | None, typer.Option(help="Last asked on or after this date (YYYY[-MM[-DD]]).")] = None,
    limit: Annotated[int, typer.Option(help="Number of threads to print.")] = 50,
    update: Annotated[bool, typer.Option("--update", help="First embed and thread questions that have no thread yet.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="First recompute every thread from the stored vectors.")] = False,
    format: Annotated[Fmt, format_option()] = Fmt.table,
) -> None:
    """Recurring questions: threads of the same question asked again, largest first.

    Threads are made at ``podium ingest --embed`` (or with ``--update`` here); see docs/threads.md.
    """
    from podium.analyze import thread_views, threads
    from podium.store import open_store

    try:
        if limit < 1:
            raise UsageError(f"--limit {limit}: give 1 or more")
        with open_store(db) as store:
            if update or rebuild:
                embedded = threads.embed_questions(store)
                rep = threads.update_threads(store, rebuild=rebuild)
                sys.stderr.write(
                    f"embedded {embedded} questions; threaded {rep.threaded} in {rep.seconds:.2f} s\n"
                )
            result = thread_views.list_threads(
                store, min_size=min_size, unanswered=unanswered, org=org, since=since, limit=limit
            )
    except PodiumError as exc:
        raise fail(exc) from None
    if format is Fmt.json:
        write_json(result)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not result["threads"]:
        console.print("no threads match (threads need `podium ingest --embed` or `podium threads --update`)")
        return
    table = Table(show_lines=False)
    for col in ("thread", "asked", "first", "last", "replies", "question"):
        table.add_column(col, overflow="fold")
    for t in result["threads"]:
        table.add_row(
            str(t["id"]), str(t["occasions"]), t["first_asked"] or "", t["last_asked"] or "",
            f"{t['replies']}/{t['labelled']}" if t["labelled"] else "-",
            escape(_clip(t["question"], 90)),
        )
    console.print(table)
    console.print(f"{result['total']} threads asked on {min_size}+ occasions; `podium thread ID` shows one")


_BADGE = {"clear_reply": "reply", "clear_non_reply": "NON-REPLY", "ambivalent": "ambivalent"}


@app.command("thread")
def thread_cmd(
    thread_id: Annotated[int, typer.Argument(help="A thread id from `podium threads`.")],
    db: DbOption = None,
    format: Annotated[Fmt, format_option()] = Fmt.table,
) -> None:
    """One thread: when the question was asked, by whom, the answer's label, and answer drift."""
    from podium.analyze import thread_views
    from podium.store import open_store

    try:
        with open_store(db) as store:
            t = thread_views.thread(store, thread_id)
    except PodiumError as exc:
        raise fail(exc) from None
    if t is None:
        raise fail(UsageError(f"no thread with id {thread_id}; `podium threads` lists them"))
    if format is Fmt.json:
        write_json(t)
        return
    out = sys.stdout
    out.write(f"thread {t['id']}: asked {t['size']} times, {t['first_asked']} to {t['last_asked']}"
              f" ({', '.join(t['organisations'])})\n\n")
    for m in t["members"]:
        who = m["asker"] or "unnamed"
        if m["outlet"]:
            who += f" ({m['outlet']})"
        out.write(f"{m['date'] or '????-??-??'}  {who}  [{_BADGE.get(m['clarity'] or '', 'unlabelled')}]\n")
        out.write(f"    Q: {_clip(m['text'], 160)}\n")
        if m["answer"]:
            out.write(f"    A: {_clip(m['answer'], 160)}\n")
        out.write(f"    {m['transcript_id']} exchange {m['exchange_index'] + 1}\n")
    if t["drift"]:
        out.write("\nanswer drift:\n")
        for d in t["drift"]:
            out.write(f"  {d['before']['date']} -> {d['after']['date']}: {', '.join(d['kinds'])}"
                      f" {json.dumps(d['detail'], ensure_ascii=False)}\n")
            out.write(f"    before: {_clip(d['before']['passage'], 200)}\n")
            out.write(f"    after:  {_clip(d['after']['passage'], 200)}\n")


watch_app = typer.Typer(help="Saved searches: what is new since the last run (and an Atom feed per watch).",
                        no_args_is_help=True)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add(
    query: Annotated[str, typer.Argument(help="A `podium search` query; empty to follow filters only.")] = "",
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Follow a speaker (name or alias).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Follow an outlet.")] = None,
    org: Annotated[str | None, typer.Option(help="Organisation, e.g. NATO.")] = None,
    kind: Annotated[str | None, typer.Option(help="question, answer, statement, …")] = None,
    clarity: Annotated[str | None, typer.Option(help="clear_reply, ambivalent or clear_non_reply.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY[-MM[-DD]]).")] = None,
    thread: Annotated[int | None, typer.Option(help="Follow a thread: new questions that join it.")] = None,
) -> None:
    """Save a search; what matches now counts as seen, so `watch run` reports only what is new."""
    from podium.store import open_store, watch

    filters = {"speaker": speaker, "outlet": outlet, "org": org, "kind": kind, "clarity": clarity,
               "since": since, "thread": thread}
    try:
        with open_store(db) as store:
            wid, now = watch.add(store, query, filters)
    except PodiumError as exc:
        raise fail(exc) from None
    sys.stdout.write(f"watch {wid} saved ({now} current matches marked as seen); feed: /feeds/{wid}.atom\n")


@watch_app.command("list")
def watch_list(db: DbOption = None) -> None:
    """The saved watches."""
    from podium.store import open_store

    try:
        with open_store(db) as store:
            ws = store.watches()
    except PodiumError as exc:
        raise fail(exc) from None
    for w in ws:
        filters = " ".join(f"--{k} {v}" for k, v in w["filters"].items())
        sys.stdout.write(f"{w['id']}\t{w['query']!r} {filters}\tlast run {w['last_run_at'] or 'never'}\n")


@watch_app.command("remove")
def watch_remove(watch_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """Delete a watch and what it remembered."""
    from podium.store import open_store

    try:
        with open_store(db) as store:
            if not store.remove_watch(watch_id):
                raise UsageError(f"no watch with id {watch_id}")
    except PodiumError as exc:
        raise fail(exc) from None


@watch_app.command("run")
def watch_run(
    watch_id: Annotated[int | None, typer.Argument(help="One watch; all of them when left out.")] = None,
    db: DbOption = None,
    format: Annotated[Fmt, format_option()] = Fmt.table,
) -> None:
    """Print matches that are new since the last run. Exit code 0 when something is new, 1 when
    nothing is (like grep, for scripts and cron), 2 on errors."""
    from podium.store import open_store, watch

    found: list[dict[str, object]] = []
    try:
        with open_store(db) as store:
            ids = [watch_id] if watch_id is not None else [w["id"] for w in store.watches()]
            for wid in ids:
                for m in watch.run(store, wid):
                    found.append({"watch": wid, "key": m.key, "date": m.date, "title": m.title, "text": m.text})
    except PodiumError as exc:
        sys.stderr.write(f"podium: error: {exc}\n")
        raise typer.Exit(2) from None
    if format is Fmt.json:
        write_json(found)
    else:
        for f in found:
            sys.stdout.write(f"watch {f['watch']}\t{f['key']}\t{f['date'] or ''}\t{_clip(str(f['text']), 120)}\n")
    raise typer.Exit(0 if found else 1)
