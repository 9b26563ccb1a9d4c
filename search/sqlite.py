"""The SQLite engine: an external-content FTS5 table per searched table, which triggers keep."""

import operator
from functools import reduce

from django.db import connections, migrations
from django.db.models import Case, FloatField, Q, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from .query import boolean, crude_stem

SCORES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # PostgreSQL's default rank weights.
TOKENIZE = "porter unicode61 remove_diacritics 2"
# The lengths a prefix term has once stemmed ("leaders"* is "leader"*): such a term reads one
# list, from which a pool stops early (8-45 ms for a common prefix at 100,000 practices without).
PREFIX_LENGTHS = "4 5 6 7 8 9 10"
TRIGGERS = ("insert", "delete", "update")


def ensure_index(connection, table, columns, pk="id", *, create=True):
    """Create `table`'s FTS5 index and triggers where missing and fill it; with `create` False, only
    put back an index's missing triggers (SQLite's schema editor drops them rebuilding a table)."""
    if connection.vendor != "sqlite":
        return
    fts, cols = f"{table}_fts", ", ".join(columns)
    old, new = (", ".join(f"{row}.{c}" for c in columns) for row in ("old", "new"))
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{pk}, {new});"
    with connection.cursor() as cursor:
        names = [fts, *(f"{fts}_{event}" for event in TRIGGERS)]
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        found = {name for (name,) in cursor.fetchall()}
        if not create and (len(found) == len(names) or fts not in found):
            return
        for statement in [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
            f"content_rowid='{pk}', tokenize='{TOKENIZE}', prefix='{PREFIX_LENGTHS}')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {cols} ON {table} "
            f"BEGIN {delete} {insert} END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]:
            cursor.execute(statement)


def drop_index(connection, table):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for event in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
            cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


def fts_operation(table, columns):
    """A migration operation creating `table`'s FTS5 index on SQLite (nothing elsewhere)."""
    return migrations.RunPython(
        lambda apps, editor: ensure_index(editor.connection, table, columns),
        lambda apps, editor: drop_index(editor.connection, table),
        elidable=False,
    )


def form_text(form):
    """A word or phrase as an FTS5 string: quoted, so never FTS5 syntax (query.WORD)."""
    return '"' + " ".join(form.words) + '"' + "*" * form.prefix


def match_expression(parsed, column=None):
    """`parsed` as an FTS5 MATCH expression; with `column`, the wanted terms must be in it."""

    def group(text):
        return f"({{{column}}} : ({text}))" if column else f"({text})"

    return boolean(parsed, form_text, " AND ", " OR ", "({} NOT ({}))".format, group)


def first(queryset, spec, parsed, limit, titled=()):
    """The keys of the first `limit` matches (with `titled`, in the title), each looked up by key:
    `pk IN (MATCH)` reads every match first (35-50 ms for a common word at 100,000 practices)."""
    fts = f"{queryset.model._meta.db_table}_fts"
    own = queryset.filter(pk=RawSQL(f"{fts}.rowid", ())).values("pk").query.sql_with_params()
    expression = match_expression(parsed, spec.title_field if titled else None)
    found = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND EXISTS ({own[0]}) LIMIT {limit:d}"
    return queryset.filter(pk__in=RawSQL(found, (expression, *own[1]))).values("pk")


def matches(queryset, spec, parsed):
    fts = f"{queryset.model._meta.db_table}_fts"
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
    return Q(pk__in=RawSQL(sql, [match_expression(parsed)]))


def rank(spec, parsed):
    """Per term, the weight of the best field holding it (LIKE), averaged over an alternative's
    terms, the best alternative counting: PostgreSQL's scale, so that types merge. (bm25() needs
    a MATCH per row, reading a common word's whole list each time: 5-30 ms a row.)"""
    fields = sorted(((name, SCORES[weight]) for name, weight in spec.weights), key=lambda f: -f[1])

    def score(term):
        texts = [crude_stem(f.words[0]) if f.prefix else " ".join(f.words) for f in term.forms()]
        whens = (
            When(reduce(operator.or_, [Q(**{f"{name}__icontains": t}) for t in texts]), then=value)
            for name, value in fields
        )
        return Case(*whens, default=0.0, output_field=FloatField())

    groups = [[term for term in group if not term.negated] for group in parsed.groups]
    averages = [reduce(operator.add, map(score, terms)) / float(len(terms)) for terms in groups]
    return averages[0] if len(averages) == 1 else Greatest(*averages)


def headline(model, spec, parsed, start, stop):
    """FTS5's snippet() of the first non-empty of `snippet_fields` and `search_names`."""
    table, pk, columns = model._meta.db_table, model._meta.pk.column, spec.fields()
    shown = [columns.index(name) for name in [*spec.snippet_fields, "search_names"]]
    pieces = ", ".join(f"NULLIF(snippet({table}_fts, {i}, %s, %s, ' … ', 35), '')" for i in shown)
    sql = f"SELECT COALESCE({pieces}, '') FROM {table}_fts WHERE {table}_fts MATCH %s"
    sql += f" AND rowid = {table}.{pk}"
    return RawSQL(sql, [*[start, stop] * len(shown), match_expression(parsed)])


def index(model, spec, using, *, create=True):
    """Rebuild the model's index from its table (see ensure_index); the triggers index writes."""
    columns = [model._meta.get_field(name).column for name in spec.fields()]
    table, pk = model._meta.db_table, model._meta.pk.column
    ensure_index(connections[using], table, columns, pk, create=create)
