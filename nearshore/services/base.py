"""What every service shares: the context it runs in, the one result shape it returns, and the registry.

A service is one use case (one CLI command, one API endpoint): `service(ctx, request) -> Result`. The caller
opens the context (settings, the store, where progress goes) and passes it in; the service never opens a store
or prints. The result is the same for the CLI (table, JSON, CSV) and the HTTP API (JSON):

    title       one line saying what the rows are
    columns     name, unit (as a header shows it: '$B', '%', ...; None for text and keys), table decimals
    rows        plain values at full precision, one tuple per row, in column order (a long result may hold
                them as columns: columnar.TableRows, which CSV and JSON write in chunks)
    payload     the typed result the rows come from (a FigureTable, an OriginReport, a dict...), JSON via
                `to_dict()`/`as_dict()` or its dataclass fields (see envelope.plain)
    notes       lines a reader needs under the rows: source and vintage, method, caveats
    provenance  sources, vintages and the re-runnable SQL where there is one
    messages    what the service did along the way (files written, rows loaded, warnings)
    error       set when the work ran but the outcome is a failure (a brief with unsupported figures, fetch
                periods that failed): the rows are still the answer, and the CLI exits with its code
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

from nearshore.data.query.provenance import Provenance
from nearshore.errors import NearshoreError, StoreError
from nearshore.services.plain import plain
from nearshore.settings import Settings

if TYPE_CHECKING:
    from nearshore.analytics.result import FigureTable
    from nearshore.data.store import Store

StoreAccess = Literal["none", "read", "write"]
Req = TypeVar("Req")
P = TypeVar("P")


@dataclass(frozen=True)
class Step:
    """A progress report: what is being done, and how far along when that is countable."""

    label: str
    done: int | None = None
    total: int | None = None


def _ignore(step: Step) -> None:
    return None


def _silent(message: str) -> None:
    return None


@dataclass(frozen=True)
class Context:
    """What a service runs with: the settings, the opened store (None for services that read none), where
    progress goes (the CLI's progress bar; nothing by default), where a long-running service (a server)
    says what a user needs while it runs, before its result exists (`notify`; nothing by default), and the
    address of the HTTP caller the service runs for (`client`; None on the command line)."""

    settings: Settings
    store: Store | None = None
    progress: Callable[[Step], None] = _ignore
    notify: Callable[[str], None] = _silent
    client: str | None = None
    opener: Callable[[], Store] | None = None  # opens the store on first use (open_context: 'read', 'write')

    @property
    def db(self) -> Store:
        """The opened store (opened now if this context opens it on first use); a service registered with
        store='none' never asks for it."""
        if self.store is None and self.opener is not None:
            return self.opener()
        if self.store is None:
            raise StoreError("this service needs an opened store: open the context with store access 'read'")
        return self.store

    def step(self, label: str, done: int | None = None, total: int | None = None) -> None:
        self.progress(Step(label, done, total))


@contextmanager
def open_context(
    access: StoreAccess = "read",
    *,
    settings: Settings | None = None,
    progress: Callable[[Step], None] = _ignore,
    notify: Callable[[str], None] = _silent,
    client: str | None = None,
) -> Iterator[Context]:
    """Open the configured store as `access` needs (none, read, write) and yield the context around it
    (`client`: the HTTP caller's address, for the API).

    The store is opened when the service first asks for it (`ctx.db`), so a service that answers from a cache
    (tariff duty) never pays for DuckDB; it is closed when the context ends."""
    settings = settings or Settings.load()
    if access == "none":
        yield Context(settings, None, progress, notify, client)
        return
    with ExitStack() as stack:
        opened: list[Store] = []

        def opener() -> Store:
            if not opened:
                from nearshore.data.snapshot import open_store

                # 'read' opens read-only: many readers (CLI runs, API workers) share the file without a lock fight
                opened.append(stack.enter_context(open_store(settings, read_only=access == "read")))
            return opened[0]

        yield Context(settings, None, progress, notify, client, opener)


@dataclass(frozen=True)
class Column:
    """One column of a result: its name, the unit its values are in, and the digits a table shows."""

    name: str
    unit: str | None = None
    decimals: int | None = None

    @property
    def label(self) -> str:
        """The header: 'share (%)', 'imports ($B)'; the bare name without a unit."""
        return self.name if self.unit is None else f"{self.name} ({self.unit})"


def columns(*names: str) -> tuple[Column, ...]:
    """Plain columns (no unit) by name."""
    return tuple(Column(name) for name in names)


@dataclass(frozen=True)
class Result(Generic[P]):
    """The one result shape of every service (see the module docstring)."""

    title: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]]
    payload: P
    notes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    messages: tuple[str, ...] = ()
    error: NearshoreError | None = None

    def records(self) -> list[dict[str, Any]]:
        """The rows as mappings from column label to value."""
        labels = [c.label for c in self.columns]
        return [dict(zip(labels, row, strict=True)) for row in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (see envelope.envelope for the document around it)."""
        return {
            "title": self.title,
            "columns": [
                {"name": c.name, "unit": c.unit, "label": c.label, "decimals": c.decimals} for c in self.columns
            ],
            "rows": plain(self.records()),
            "notes": list(self.notes),
            "provenance": {
                "sources": list(self.provenance.sources),
                "vintages": list(self.provenance.vintages),
                "sql": self.provenance.query or None,
            },
            "messages": list(self.messages),
            "payload": plain(self.payload),
        }


def figure_columns(table: FigureTable) -> tuple[Column, ...]:
    """A FigureTable's columns: its keys, then its measures with the unit and table decimals of each."""
    names = [*table.key_columns, *table.measures]
    return tuple(
        Column(name, unit, places) for name, unit, places in zip(names, table.units(), table.decimals(), strict=True)
    )


def figure_rows(table: FigureTable) -> tuple[tuple[Any, ...], ...]:
    """A FigureTable's rows: values in each column's display unit, at full precision."""
    return tuple(tuple(row) for row in table.plain_rows())


@dataclass(frozen=True)
class Service(Generic[Req, P]):
    """One use case: `name` is its command path ('tariff.duty'), `request` the request type it takes, `store`
    the store access it needs (or a function of the request), `writes` whether it changes the store or files
    (an API puts those behind a key)."""

    name: str
    request: type[Req]
    run: Callable[[Context, Req], Result[P]]
    store: StoreAccess | Callable[[Req], StoreAccess] = "read"
    writes: bool = False

    def __call__(self, ctx: Context, request: Req) -> Result[P]:
        if type(request) is not self.request:
            raise TypeError(f"{self.name} takes a {self.request.__name__}, not a {type(request).__name__}")
        return self.run(ctx, request)

    def access(self, request: Req) -> StoreAccess:
        return self.store(request) if callable(self.store) else self.store

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or "").strip()


REGISTRY: Final[dict[str, Service[Any, Any]]] = {}


def service(
    name: str,
    request: type[Req],
    *,
    store: StoreAccess | Callable[[Req], StoreAccess] = "read",
    writes: bool = False,
) -> Callable[[Callable[[Context, Req], Result[P]]], Service[Req, P]]:
    """Register a service function under `name` (see Service)."""

    def register(run: Callable[[Context, Req], Result[P]]) -> Service[Req, P]:
        if name in REGISTRY:
            raise ValueError(f"service {name!r} is registered twice")
        made = Service(name, request, run, store, writes)
        REGISTRY[name] = made
        return made

    return register
