"""The SQLite engine: an external-content FTS5 table per searched table, which triggers keep."""

from django.db import connections, migrations
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from .query import boolean, crude_stem

SCORES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # PostgreSQL's default rank weights.
TOKENIZE = "porter unicode61 remove_diacritics 2"
# The lengths a prefix term has once stemmed ("leaders"* is "leader"*): such a term reads one
# list, from which a pool stops early (8-45 ms for a common prefix at 100,000 practices without).
PREFIX_LENGTHS = "4 5 6 7 8 9 10"
TRIGGERS = ("insert", "delete", "update")


def ensure_index(connection, table, columns, pk="id", *, name="", rebuild=True):
    """Create what is missing of `table`'s FTS5 index `name` (`<table>_fts`) and its triggers,
    and fill the index if anything was missing or `rebuild` asks."""
    if connection.vendor != "sqlite":
        return
    fts, cols = name or f"{table}_fts", ", ".join(columns)
    old, new = (", ".join(f"{row}.{c}" for c in columns) for row in ("old", "new"))
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{pk}, {new});"
    with connection.cursor() as cursor:
        names = [fts, *(f"{fts}_{event}" for event in TRIGGERS)]
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        if len(cursor.fetchall()) == len(names) and not rebuild:
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
            for fts in (f"{table}_fts", f"{table}_title_fts"):
                for event in TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")


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
    """The keys of the first `limit` matches, each looked up by key (`pk IN (MATCH)` reads every
    match first). With `titled`, of those with the query's words in their title: from the titles'
    own index, whose short lists answer at once, unless the query leaves out words (any field)."""
    table = queryset.model._meta.db_table
    excluding = any(term.negated for group in parsed.groups for term in group)
    fts = f"{table}_title_fts" if titled and not excluding else f"{table}_fts"
    own = queryset.filter(pk=RawSQL(f"{fts}.rowid", ())).values("pk").query.sql_with_params()
    expression = match_expression(parsed, spec.title_field if titled and excluding else None)
    found = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND EXISTS ({own[0]}) LIMIT {limit:d}"
    return queryset.filter(pk__in=RawSQL(found, (expression, *own[1]))).values("pk")


def matches(queryset, spec, parsed):
    fts = f"{queryset.model._meta.db_table}_fts"
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
    return Q(pk__in=RawSQL(sql, [match_expression(parsed)]))


def rank(model, spec, parsed):
    """Per term, the weight of the best field holding it (LIKE), averaged over an alternative's
    terms, the best alternative counting: PostgreSQL's scale, so that types merge. (bm25() needs
    a MATCH per row, which reads a common word's whole list.) Written as SQL: as ORM expressions,
    a long query's CASEs took longer to build than to run."""
    table, fields = model._meta.db_table, sorted(spec.weights, key=lambda field: field[1])
    fields = [(f'"{table}"."{model._meta.get_field(n).column}"', SCORES[w]) for n, w in fields]

    def score(term):  # Words are letters and digits only (query.WORD): nothing to escape.
        texts = [crude_stem(f.words[0]) if f.prefix else " ".join(f.words) for f in term.forms()]
        like = " OR ".join(["{0} LIKE %s"] * len(texts))
        whens = " ".join(f"WHEN {like.format(column)} THEN {value}" for column, value in fields)
        return f"CASE {whens} ELSE 0.0 END", [f"%{text}%" for text in texts] * len(fields)

    averages, params = [], []
    for group in parsed.groups:
        scores = [score(term) for term in group if not term.negated]
        averages.append(f"({' + '.join(sql for sql, _ in scores)}) / {len(scores)}.0")
        params += [param for _, term_params in scores for param in term_params]
    sql = averages[0] if len(averages) == 1 else f"MAX({', '.join(averages)})"
    return RawSQL(sql, params, output_field=FloatField())


def headline(model, spec, parsed, start, stop):
    """FTS5's snippet() of the first non-empty of `snippet_fields` and `search_names`."""
    table, pk, columns = model._meta.db_table, model._meta.pk.column, spec.fields()
    shown = [columns.index(name) for name in [*spec.snippet_fields, "search_names"]]
    pieces = ", ".join(f"NULLIF(snippet({table}_fts, {i}, %s, %s, ' … ', 35), '')" for i in shown)
    sql = f"SELECT COALESCE({pieces}, '') FROM {table}_fts WHERE {table}_fts MATCH %s"
    sql += f" AND rowid = {table}.{pk}"
    return RawSQL(sql, [*[start, stop] * len(shown), match_expression(parsed)])


def index(model, spec, using, *, rebuild=True):
    """Put back what is missing of the model's index where its migrations made it (SQLite's schema
    editor drops triggers), and of a pooled type's title index; fill them if it was or if asked."""
    table, pk, connection = model._meta.db_table, model._meta.pk.column, connections[using]
    tables = connection.introspection.table_names() if connection.vendor == "sqlite" else ()
    if f"{table}_fts" not in tables:
        return
    columns = [model._meta.get_field(name).column for name in spec.fields()]
    ensure_index(connection, table, columns, pk, rebuild=rebuild)
    if spec.pooled:
        title = [model._meta.get_field(spec.title_field).column]
        ensure_index(connection, table, title, pk, name=f"{table}_title_fts", rebuild=rebuild)
