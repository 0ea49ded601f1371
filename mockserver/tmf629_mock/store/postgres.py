"""PostgreSQL store: psycopg 3 with an async connection pool, documents in a JSONB column.

* Table ``<table>(collection, id, seq, version, doc jsonb)`` with primary key
  ``(collection, id)``, an index on ``(collection, seq)`` (insertion order) and a GIN
  ``jsonb_path_ops`` index on ``doc`` used by the filter predicates.
* Filters are translated to SQL/JSON path predicates (``doc @? '$."a"."b" ? (@ == "x")'``,
  lax mode, so arrays anywhere on the path match when any element matches) for the operators and
  value types whose semantics are identical to :mod:`tmf629_mock.query`: equality/inequality of
  strings and booleans, and numeric comparisons. Other conditions (regex, date-times, string
  ordering) are evaluated in Python on the rows the SQL part selected; sorting and paging are
  pushed into SQL whenever the whole filter is.
* Counting a page's total is the costly part of a list (every matching row visited): for the
  most common filter, a top-level attribute equal to one of some strings (``status=Active``),
  the total comes from an index-only scan of ``<table>_attr (collection, name, value, id)``:
  one row per string a top-level attribute of a document holds (itself, or in arrays as the
  jsonpath predicate sees them), kept up to date by a trigger on ``<table>`` (so COPY and any
  other writer maintain it too) and filled from the documents when it is first created.
  Strings longer than :data:`ATTR_MAX` are not recorded there; a filter value that long is
  counted the general way.
* :meth:`PostgresStore.update` locks the row (``SELECT ... FOR UPDATE``) inside a transaction,
  so concurrent updates of one document are serialised and none is lost.
* The jsonpath text is always a bound parameter; attribute names are quoted as jsonpath string
  literals; values are JSON-encoded literals.

``postgresql://...?table=name`` chooses the table (default ``tmf_documents``); the same can be
passed as the ``table`` option.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from psycopg import AsyncConnection, errors, sql
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from tmf629_mock.query import Condition, Filter, SortKey, TypedValue, matches, sort_documents
from tmf629_mock.store import Change, Document, Page, Store

__all__ = ["PostgresStore", "condition_to_jsonpath", "split_filter"]

_TABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,50}$")

ATTR_MAX = 64
"""Longest string recorded in the ``<table>_attr`` table: names, states, types and ids, not
long free text (which would make the table as large as the documents)."""

# The (collection, name, value, id) rows of one document: its top-level string attributes, the
# strings in its top-level arrays and in arrays in those (what the lax-mode jsonpath equality
# of the page query matches: ``$."a" ? (@ == "x")`` unwraps two levels of arrays).
_ATTR_ROWS = """
    SELECT DISTINCT {collection}, e.key, v.value, {id}
    FROM {source} jsonb_each({doc}) AS e,
    LATERAL (
        SELECT e.value #>> '{{}}' AS value WHERE jsonb_typeof(e.value) = 'string'
        UNION ALL
        SELECT x #>> '{{}}' FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]'::jsonb END
        ) AS x WHERE jsonb_typeof(x) = 'string'
        UNION ALL
        SELECT y #>> '{{}}' FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(e.value) = 'array' THEN e.value ELSE '[]'::jsonb END
        ) AS x, jsonb_array_elements(
            CASE WHEN jsonb_typeof(x) = 'array' THEN x ELSE '[]'::jsonb END
        ) AS y WHERE jsonb_typeof(y) = 'string'
    ) AS v
    WHERE length(v.value) <= {limit}
"""


def _path_literal(path: Sequence[str]) -> str:
    return "$" + "".join("." + json.dumps(segment) for segment in path)


def _value_predicate(op: str, value: TypedValue) -> str | None:
    """The jsonpath predicate on ``@`` for one value, ``None`` when not translatable."""
    comparators = {"eq": "==", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
    if value.kind == "number":
        return f"@.double() {comparators[op]} {value.number!r}"
    if op != "eq":
        return None
    if value.kind == "bool":
        return f"(@ == {value.raw} || @ == {json.dumps(value.raw)})"
    if value.kind == "string":
        return f"@ == {json.dumps(value.raw)}"
    return None


def condition_to_jsonpath(condition: Condition) -> tuple[str, bool] | None:
    """``(jsonpath, negated)`` for a condition, ``None`` when it must be evaluated in Python."""
    if condition.op == "regex":
        return None
    op = "eq" if condition.op == "ne" else condition.op
    predicates = [_value_predicate(op, value) for value in condition.values]
    if not predicates or any(predicate is None for predicate in predicates):
        return None
    joined = " || ".join(f"({predicate})" for predicate in predicates if predicate)
    return f"{_path_literal(condition.path)} ? ({joined})", condition.op == "ne"


def split_filter(filter_: Filter) -> tuple[list[tuple[str, bool]], Filter]:
    """(SQL-translatable predicates, remaining filter for Python)."""
    pushed: list[tuple[str, bool]] = []
    remaining: list[Condition] = []
    for condition in filter_.conditions:
        translated = condition_to_jsonpath(condition)
        if translated is None:
            remaining.append(condition)
        else:
            pushed.append(translated)
    return pushed, Filter(tuple(remaining))


class PostgresStore(Store):
    def __init__(
        self, url: str, *, table: str | None = None, min_size: int = 1, max_size: int = 10
    ) -> None:
        parts = urlsplit(url)
        query = parse_qsl(parts.query)
        table = table or dict(query).get("table") or "tmf_documents"
        if not _TABLE_RE.match(table):
            raise ValueError(f"Invalid table name {table!r}")
        self.table = table
        self.conninfo = urlunsplit(
            parts._replace(query=urlencode([(k, v) for k, v in query if k != "table"]))
        )
        self._min_size = min_size
        self._max_size = max_size
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] | None = None
        self._opening: asyncio.Lock | None = None

    @property
    def _t(self) -> sql.Identifier:
        return sql.Identifier(self.table)

    @property
    def _seq_t(self) -> sql.Identifier:
        return sql.Identifier(self.table + "_seq")

    @property
    def _attr_t(self) -> sql.Identifier:
        return sql.Identifier(self.table + "_attr")

    async def open(self) -> None:
        if self._pool is not None:
            return
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._pool is None:
                await self._open()

    async def _open(self) -> None:
        pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            self.conninfo, min_size=self._min_size, max_size=self._max_size, open=False
        )
        await pool.open(wait=True, timeout=10)
        async with pool.connection() as connection:
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
            await connection.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {t} ("
                    " collection text NOT NULL, id text NOT NULL,"
                    " seq bigserial NOT NULL, version integer NOT NULL DEFAULT 1,"
                    " doc jsonb NOT NULL, PRIMARY KEY (collection, id))"
                ).format(t=self._t)
            )
            await connection.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {i} ON {t} (collection, seq)").format(
                    i=sql.Identifier(self.table + "_order"), t=self._t
                )
            )
            await connection.execute(
                sql.SQL(
                    "CREATE INDEX IF NOT EXISTS {i} ON {t} USING gin (doc jsonb_path_ops)"
                ).format(i=sql.Identifier(self.table + "_doc"), t=self._t)
            )
            await connection.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {t}"
                    " (collection text PRIMARY KEY, value bigint NOT NULL)"
                ).format(t=self._seq_t)
            )
            await self._create_attributes(connection)
        self._pool = pool

    async def _create_attributes(self, connection: AsyncConnection[Any]) -> None:
        """The ``<table>_attr`` table, its trigger, and its rows for existing documents."""
        cursor = await connection.execute(
            "SELECT to_regclass(%s) IS NULL", (f'"{self.table}_attr"',)
        )
        row = await cursor.fetchone()
        missing = bool(row and row[0])
        await connection.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {a} ("
                " collection text NOT NULL, name text NOT NULL, value text NOT NULL,"
                " id text NOT NULL, PRIMARY KEY (collection, name, value, id))"
            ).format(a=self._attr_t)
        )
        await connection.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {i} ON {a} (collection, id)").format(
                i=sql.Identifier(self.table + "_attr_id"), a=self._attr_t
            )
        )
        rows = sql.SQL(_ATTR_ROWS).format(
            source=sql.SQL(""),
            collection=sql.SQL("NEW.collection"),
            id=sql.SQL("NEW.id"),
            doc=sql.SQL("NEW.doc"),
            limit=sql.Literal(ATTR_MAX),
        )
        function = sql.Identifier(self.table + "_attr_sync")
        await connection.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $body$"
                " BEGIN"
                " IF TG_OP IN ('UPDATE', 'DELETE') THEN"
                " DELETE FROM {a} WHERE collection = OLD.collection AND id = OLD.id;"
                " END IF;"
                " IF TG_OP IN ('INSERT', 'UPDATE') THEN"
                " INSERT INTO {a} (collection, name, value, id) {rows};"
                " END IF;"
                " RETURN NULL;"
                " END $body$"
            ).format(f=function, a=self._attr_t, rows=rows)
        )
        await connection.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {f} AFTER INSERT OR UPDATE OR DELETE ON {t}"
                " FOR EACH ROW EXECUTE FUNCTION {f}()"
            ).format(f=function, t=self._t)
        )
        if missing:  # a table made before the attribute rows existed: fill it
            backfill = sql.SQL(_ATTR_ROWS).format(
                source=sql.SQL("{t} AS d,").format(t=self._t),
                collection=sql.SQL("d.collection"),
                id=sql.SQL("d.id"),
                doc=sql.SQL("d.doc"),
                limit=sql.Literal(ATTR_MAX),
            )
            await connection.execute(
                sql.SQL("INSERT INTO {a} (collection, name, value, id) {rows}").format(
                    a=self._attr_t, rows=backfill
                )
            )

    async def _ready(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        if self._pool is None:
            await self.open()
        assert self._pool is not None
        return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def drop(self) -> None:
        """Drop the tables (tests)."""
        pool = await self._ready()
        async with pool.connection() as connection:
            await connection.execute(sql.SQL("DROP TABLE IF EXISTS {t}").format(t=self._t))
            await connection.execute(sql.SQL("DROP TABLE IF EXISTS {t}").format(t=self._seq_t))
            await connection.execute(sql.SQL("DROP TABLE IF EXISTS {t}").format(t=self._attr_t))
            await connection.execute(
                sql.SQL("DROP FUNCTION IF EXISTS {f}()").format(
                    f=sql.Identifier(self.table + "_attr_sync")
                )
            )

    async def insert(self, collection: str, document: Document) -> None:
        pool = await self._ready()
        try:
            async with pool.connection() as connection:
                await connection.execute(
                    sql.SQL("INSERT INTO {t} (collection, id, doc) VALUES (%s, %s, %s)").format(
                        t=self._t
                    ),
                    (collection, str(document["id"]), Jsonb(document)),
                )
        except errors.UniqueViolation as exc:
            raise KeyError(str(document["id"])) from exc
        except errors.DataError as exc:
            raise ValueError(str(exc).splitlines()[0]) from exc

    async def get(self, collection: str, ident: str) -> Document | None:
        pool = await self._ready()
        async with pool.connection() as connection:
            cursor = await connection.execute(
                sql.SQL("SELECT doc FROM {t} WHERE collection = %s AND id = %s").format(t=self._t),
                (collection, ident),
            )
            row = await cursor.fetchone()
        return _document(row[0]) if row else None

    async def query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        try:
            return await self._query(collection, filter_, sort, offset, limit)
        except errors.DataError as exc:
            raise ValueError(str(exc).splitlines()[0]) from exc

    async def _query(
        self,
        collection: str,
        filter_: Filter,
        sort: Sequence[SortKey],
        offset: int,
        limit: int | None,
    ) -> Page:
        pool = await self._ready()
        pushed, remaining = split_filter(filter_)
        where: list[sql.Composable] = [sql.SQL("collection = %s")]
        params: list[Any] = [collection]
        for jsonpath, negated in pushed:
            predicate = sql.SQL("doc @? %s::jsonpath")
            where.append(sql.SQL("NOT ({})").format(predicate) if negated else predicate)
            params.append(jsonpath)
        condition = sql.SQL(" AND ").join(where)
        async with pool.connection() as connection:
            if remaining:
                cursor = await connection.execute(
                    sql.SQL("SELECT doc FROM {t} WHERE {c} ORDER BY seq").format(
                        t=self._t, c=condition
                    ),
                    params,
                )
                documents = [_document(row[0]) for row in await cursor.fetchall()]
                selected = [doc for doc in documents if matches(doc, remaining)]
                if sort:
                    selected = sort_documents(selected, sort)
                end = None if limit is None else offset + limit
                return Page(selected[offset:end], len(selected))
            counted = _attribute_count(filter_)
            if counted is not None:
                name, values = counted
                cursor = await connection.execute(
                    sql.SQL(
                        "SELECT count(DISTINCT id) FROM {a}"
                        " WHERE collection = %s AND name = %s AND value = ANY(%s)"
                        if len(values) > 1
                        else "SELECT count(*) FROM {a}"
                        " WHERE collection = %s AND name = %s AND value = ANY(%s)"
                    ).format(a=self._attr_t),
                    (collection, name, values),
                )
            else:
                cursor = await connection.execute(
                    sql.SQL("SELECT count(*) FROM {t} WHERE {c}").format(t=self._t, c=condition),
                    params,
                )
            count_row = await cursor.fetchone()
            total = int(count_row[0]) if count_row else 0
            order: list[sql.Composable] = []
            for key in sort:
                path = _path_literal(key.path) + "[*]"
                value = sql.SQL("jsonb_path_query_first(doc, {p}::jsonpath)").format(
                    p=sql.Literal(path)
                )
                direction = sql.SQL("DESC" if key.descending else "ASC")
                order.append(sql.SQL("({v} IS NULL OR {v} = 'null'::jsonb) ASC").format(v=value))
                order.append(
                    sql.SQL(
                        "CASE jsonb_typeof({v}) WHEN 'number' THEN 0 WHEN 'string' THEN 1"
                        " WHEN 'boolean' THEN 2 ELSE 3 END {d}"
                    ).format(v=value, d=direction)
                )
                order.append(
                    sql.SQL(
                        "CASE WHEN jsonb_typeof({v}) = 'number'"
                        " THEN ({v} #>> '{{}}')::float8 END {d}"
                    ).format(v=value, d=direction)
                )
                order.append(
                    sql.SQL(
                        "(CASE WHEN jsonb_typeof({v}) IN ('string', 'boolean')"
                        " THEN {v} #>> '{{}}' END) COLLATE \"C\" {d}"
                    ).format(v=value, d=direction)
                )
            order.append(sql.SQL("seq ASC"))
            statement = sql.SQL("SELECT doc FROM {t} WHERE {c} ORDER BY {o} OFFSET %s").format(
                t=self._t, c=condition, o=sql.SQL(", ").join(order)
            )
            all_params = [*params, offset]
            if limit is not None:
                statement = sql.SQL("{s} LIMIT %s").format(s=statement)
                all_params.append(limit)
            cursor = await connection.execute(statement, all_params)
            items = [_document(row[0]) for row in await cursor.fetchall()]
        return Page(items, total)

    async def update(self, collection: str, ident: str, change: Change) -> Document | None:
        try:
            return await self._update(collection, ident, change)
        except errors.DataError as exc:
            raise ValueError(str(exc).splitlines()[0]) from exc

    async def _update(self, collection: str, ident: str, change: Change) -> Document | None:
        pool = await self._ready()
        async with pool.connection() as connection, connection.transaction():
            cursor = await connection.execute(
                sql.SQL("SELECT doc FROM {t} WHERE collection = %s AND id = %s FOR UPDATE").format(
                    t=self._t
                ),
                (collection, ident),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            updated = change(_document(row[0]))
            await connection.execute(
                sql.SQL(
                    "UPDATE {t} SET doc = %s, version = version + 1 "
                    "WHERE collection = %s AND id = %s"
                ).format(t=self._t),
                (Jsonb(updated), collection, ident),
            )
        return updated

    async def delete(self, collection: str, ident: str) -> Document | None:
        pool = await self._ready()
        async with pool.connection() as connection:
            cursor = await connection.execute(
                sql.SQL("DELETE FROM {t} WHERE collection = %s AND id = %s RETURNING doc").format(
                    t=self._t
                ),
                (collection, ident),
            )
            row = await cursor.fetchone()
        return _document(row[0]) if row else None

    async def next_sequence(self, collection: str) -> int:
        pool = await self._ready()
        async with pool.connection() as connection:
            cursor = await connection.execute(
                sql.SQL(
                    "INSERT INTO {t} AS s (collection, value) VALUES (%s, 1) "
                    "ON CONFLICT (collection) DO UPDATE SET value = s.value + 1 RETURNING value"
                ).format(t=self._seq_t),
                (collection,),
            )
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def clear(self) -> None:
        pool = await self._ready()
        async with pool.connection() as connection:
            await connection.execute(
                sql.SQL("TRUNCATE {t}, {s}, {a}").format(t=self._t, s=self._seq_t, a=self._attr_t)
            )


def _attribute_count(filter_: Filter) -> tuple[str, list[str]] | None:
    """``(attribute, values)`` when the number of documents matching ``filter_`` can be counted
    in ``<table>_attr``: one condition, a top-level attribute equal to one of some strings."""
    if len(filter_.conditions) != 1:
        return None
    condition = filter_.conditions[0]
    if condition.op != "eq" or len(condition.path) != 1:
        return None
    values = [value.raw for value in condition.values]
    if any(value.kind != "string" for value in condition.values):
        return None
    if any(len(value) > ATTR_MAX for value in values):
        return None
    return condition.path[0], sorted(set(values))


def _document(value: Any) -> Document:
    document = value if isinstance(value, dict) else json.loads(value)
    assert isinstance(document, dict)
    return document
