"""``Corpus``: the Python API over a store, for notebooks and scripts.

    >>> from podium import Corpus
    >>> hits = Corpus("podium.db").search("sanctions", kind="answer", since="2019")
    >>> hits.to_pandas()            # with pandas installed

It is a thin, typed façade: every method delegates to the store (``podium.store``), so the
CLI, this API and the web UI answer the same question the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from podium.model import Transcript
from podium.store import (
    Facets,
    OutletSummary,
    Page,
    PersonSummary,
    QuestionRecord,
    SearchHit,
    Stats,
    TranscriptSummary,
    open_store,
)
from podium.store.ingest import IngestReport, ingest
from podium.store.results import ExchangeHit
from podium.store.searching import Mode, Sort

Hit = SearchHit | ExchangeHit


class Results(Sequence[Hit]):
    """Search hits: a list you can index and iterate, plus ``to_pandas`` and ``to_dicts``."""

    def __init__(self, hits: Sequence[Hit]) -> None:
        self._hits = list(hits)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...
    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        return self._hits[i]

    def __len__(self) -> int:
        return len(self._hits)

    def __repr__(self) -> str:
        return f"Results({len(self._hits)} hits)"

    def to_dicts(self) -> list[dict[str, Any]]:
        """The hits as JSON-ready dictionaries."""
        return [h.to_dict() for h in self._hits]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one row per hit (needs ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            from podium.errors import UsageError

            raise UsageError("to_pandas() needs pandas: pip install 'podium[pandas]'") from None
        kind = type(self._hits[0]) if self._hits else SearchHit
        columns = list(kind.__dataclass_fields__)
        return pd.DataFrame(self.to_dicts(), columns=columns)


class Corpus:
    """A store of transcripts opened by path or URL (``None``: ``$PODIUM_DB`` or podium.db)."""

    def __init__(self, url: str | None = None, **options: Any) -> None:
        self.store = open_store(url, **options)

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying store."""
        self.store.close()

    def __len__(self) -> int:
        return len(self.store)

    def __iter__(self) -> Iterator[Transcript]:
        return iter(self.store.iter_transcripts())

    def ingest(self, *paths: str, jobs: int | None = None, embed: bool = False) -> IngestReport:
        """Parse files and folders into the corpus (see ``podium ingest``)."""
        return ingest(self.store, paths, jobs=jobs, embed=embed)

    def search(
        self, query: str | None = None, *, by: str = "turn", mode: Mode = "fulltext", limit: int = 20,
        offset: int = 0, sort: Sort = "relevance", **filters: Any,
    ) -> Results:
        """Ranked turns (``by="exchange"``: question-answer exchanges); ``filters`` as in
        ``podium search`` (see ``podium.store.Filters``); ``sort="date"`` for newest first."""
        if by == "exchange":
            if mode != "fulltext":
                from podium.errors import UsageError

                raise UsageError("exchange search ranks by full text; leave out mode=")
            return Results(self.store.search_exchanges(query, limit=limit, offset=offset, sort=sort, **filters))
        if by != "turn":
            from podium.errors import UsageError

            raise UsageError(f"by={by!r}: choose turn or exchange")
        return Results(self.store.search(query, mode=mode, limit=limit, offset=offset, sort=sort, **filters))

    def facets(self, query: str | None = None, **filters: Any) -> Facets:
        """How all matches split by organisation, year, kind, role, speaker and outlet."""
        return self.store.facets(query, **filters)  # type: ignore[no-any-return]

    def transcript(self, transcript_id: str) -> Transcript:
        """One transcript, as parsed."""
        return self.store.get(transcript_id)  # type: ignore[no-any-return]

    def transcripts(self, **kwargs: Any) -> Page[TranscriptSummary]:
        """A page of transcript summaries (``offset``, ``limit``, filters)."""
        return self.store.list_transcripts(**kwargs)  # type: ignore[no-any-return]

    def persons(self, **kwargs: Any) -> Page[PersonSummary]:
        """A page of persons (``name``, ``role``, ``offset``, ``limit``)."""
        return self.store.persons(**kwargs)  # type: ignore[no-any-return]

    def outlets(self, **kwargs: Any) -> Page[OutletSummary]:
        """A page of outlets (``name``, ``offset``, ``limit``)."""
        return self.store.outlets(**kwargs)  # type: ignore[no-any-return]

    def questions(self, **kwargs: Any) -> Page[QuestionRecord]:
        """A page of questions with answers (``asker``, ``outlet``, ``answered_by``, filters)."""
        return self.store.questions(**kwargs)  # type: ignore[no-any-return]

    def stats(self, top: int = 10) -> Stats:
        """Corpus counts."""
        return self.store.stats(top=top)  # type: ignore[no-any-return]
