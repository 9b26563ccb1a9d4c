"""The SQLite engine: SQLite's own full-text search, FTS5.

Each searchable table has an external-content FTS5 table, `<table>_fts`, over its searched
fields (the porter stemmer over unicode61, without diacritics), kept in step by triggers on the
table itself, so that every write is indexed: saves, queryset updates, bulk loads and deletes
alike. A parsed query becomes a MATCH expression in which every word is a quoted FTS5 string, so
nothing a user types is FTS5 syntax. Ranking is bm25() with the fields' weights; excerpts are
snippet()."""

import json

from django.db import connections
from django.db.models import F, FloatField, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

# bm25() weights by field class, in the proportions of PostgreSQL's default A/B/C/D weights.
WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
SCORES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
TOKENIZE = "porter unicode61 remove_diacritics 2"
POOLS_IN_UNION = False  # SQLite allows no LIMIT inside a UNION.


def fts_table(model):
    return f"{model._meta.db_table}_fts"


def fts_sql(table, columns, pk="id"):
    """The statements that create `table`'s FTS5 index and its triggers, if they are missing."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{pk}, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='{pk}', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def ensure_index(connection, table, columns, pk="id", *, create=True):
    """Create `table`'s FTS5 index and triggers where missing, and fill the index from the table
    if anything was. With `create` False, only put back the triggers of an existing index (a
    table that SQLite's schema editor rebuilt loses them)."""
    if connection.vendor != "sqlite":
        return
    names = [f"{table}_fts", *(f"{table}_fts_{e}" for e in ("insert", "delete", "update"))]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        found = {name for (name,) in cursor.fetchall()}
        if len(found) == len(names) or (names[0] not in found and not create):
            return
        for statement in fts_sql(table, columns, pk):
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def drop_index(connection, table):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for event in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
            cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


def fts_operation(table, columns):
    """A migration operation creating `table`'s FTS5 index on SQLite (nothing elsewhere)."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, editor: ensure_index(editor.connection, table, columns),
        lambda apps, editor: drop_index(editor.connection, table),
        elidable=False,
    )


# -- Queries --------------------------------------------------------------------------------


def prepared(parsed, using):
    return parsed


def term_expression(term):
    # Words are letters and digits only (query.WORD): quoted, they are FTS5 strings, never syntax.
    text = '"' + " ".join(term.words) + '"'
    return text + "*" if term.prefix else text


def match_expression(parsed):
    """`parsed` (with any alternative, see ParsedQuery.either) as an FTS5 MATCH expression."""
    alternatives = []
    for group in parsed.groups:
        wanted = " AND ".join(term_expression(t) for t in group if not t.negated)
        excluded = " OR ".join(term_expression(t) for t in group if t.negated)
        alternatives.append(f"({wanted})" + (f" NOT ({excluded})" if excluded else ""))
    return " OR ".join(f"({alternative})" for alternative in alternatives)


class FtsRow(Func):
    """`select` over the record's own row of its FTS5 table where that row matches `match`: a
    correlated subquery on the row id, which the primary key column keeps right when Django
    relabels the query (as a subquery, say)."""

    def __init__(self, table, select, params, match, output_field):
        super().__init__(F("pk"), output_field=output_field)
        self.table, self.select, self.select_params, self.match = table, select, params, match

    def row(self, select, pk_sql):
        fts = self.table
        return f"(SELECT {select} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {pk_sql})"

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        sql = self.row(self.select, pk_sql)
        return sql, (*self.select_params, self.match, *pk_params)


class FtsRank(FtsRow):
    """A rank on the same scale in every table, as PostgreSQL's is, so that types can be merged:
    per looked-for term, the weight of the best field it matches, averaged over an alternative's
    terms, the best alternative counting; bm25() (whose scale depends on the table) only breaks
    ties."""

    def __init__(self, table, spec, parsed):
        weights = ", ".join(str(WEIGHTS[weight]) for _name, weight in spec.weights)
        super().__init__(table, f"-bm25({table}, {weights})", (), match_expression(parsed), None)
        self.output_field = FloatField()
        self.spec, self.parsed = spec, parsed

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        classes = {}
        for name, weight in self.spec.weights:
            classes.setdefault(weight, []).append(name)
        params, groups = [], []
        for group in self.parsed.groups:
            terms = [t for t in group if not t.negated]
            scores = []
            for term in terms:
                cases = []
                for weight in sorted(classes):
                    cases.append(f"WHEN EXISTS {self.row('1', pk_sql)} THEN {SCORES[weight]}")
                    params += [f"{{{' '.join(classes[weight])}}} : {term_expression(term)}"]
                    params += pk_params
                scores.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
            groups.append(f"(({' + '.join(scores)}) / {float(len(terms))})")
        best = groups[0] if len(groups) == 1 else f"MAX({', '.join(groups)})"
        bm25 = f"COALESCE({self.row(self.select, pk_sql)}, 0)"
        sql = f"({best} + 0.01 * (1.0 - 1.0 / (1.0 + {bm25})))"
        return sql, (*params, self.match, *pk_params)


def matches(queryset, spec, parsed):
    table = fts_table(queryset.model)
    found = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (match_expression(parsed),))
    return Q(pk__in=found)


def rank(queryset, spec, parsed):
    return FtsRank(fts_table(queryset.model), spec, parsed)


def title_matches(queryset, spec, parsed, words):
    """The matches with each of `words` beginning a word of their title."""
    title = " AND ".join(f'"{word}"*' for word in words)
    expression = f"{{{spec.title_field}}} : ({title}) AND ({match_expression(parsed)})"
    table = fts_table(queryset.model)
    found = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (expression,))
    return queryset.filter(pk__in=found)


def headline(queryset, spec, parsed, start, stop):
    """The text a result shows (its first non-empty snippet field, else its linked names) with
    the matches marked, from snippet()."""
    table = fts_table(queryset.model)
    columns = spec.fields()
    shown = [*spec.snippet_fields, "search_names"]
    cases = " ".join(
        f"WHEN {name} != '' THEN snippet({table}, {columns.index(name)}, %s, %s, '…', 30)"
        for name in shown
    )
    return FtsRow(
        table,
        f"CASE {cases} ELSE '' END",
        (start, stop) * len(shown),
        match_expression(parsed),
        TextField(),
    )


def key_set(keys):
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(keys),))


# -- Indexing and spelling ------------------------------------------------------------------


def index(model, spec, pks, using):
    """Nothing to do: the triggers index every write."""


def reindex(model, spec, using):
    """Rebuild the model's FTS5 index from its table (creating it where missing)."""
    connection = connections[using]
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in spec.fields()]
    ensure_index(connection, table, columns, model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def add_lexemes(model, using):
    """Nothing to do: prefixes are FTS5 prefix queries."""


def similar_words(known, words):
    """{word: known words of a length that difflib may find close enough}."""
    known = known.annotate(length=Length("word"))
    return {
        word: list(
            known.filter(length__range=(len(word) * 3 // 5, len(word) * 5 // 3 + 1)).values_list(
                "word", flat=True
            )
        )
        for word in words
    }
