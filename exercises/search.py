"""Ranked full-text search of the exercises, in English and Welsh, on SQLite or PostgreSQL.

One function, ``search``, is what the list page calls; it answers the same way on both
databases (``tests/exercises/test_search_table.py`` runs its table of queries on each):

- every word asked must match, all in the English text or all in the Welsh: English words
  are stemmed (*stretches* finds *stretch*), accents fold both ways (*dwr* finds *dŵr*),
  and Welsh words match through their radicals (*gefn*, *chefn*, *nghefn* find *cefn*);
- the exercises come best first: a word in the title counts most, then the summary and
  category, then the rest (starting position, steps, when to stop, the text below);
- when nothing matches, each word that is not a word of the exercises is replaced by the
  nearest one that is (trigram similarity, as ``pg_trgm`` counts it): "did you mean".

SQLite (the embedded default): two FTS5 tables, an English one with the ``porter``
stemmer and a Welsh one without, both ``unicode61 remove_diacritics 2``, ranked by
``bm25`` with column weights. PostgreSQL: weighted ``SearchVector``s (``english`` with
``unaccent``, ``simple`` for Welsh), stored with each document and GIN-indexed, ranked by
``ts_rank``, and ``pg_trgm``'s ``similarity``
for the nearest words. Both read ``SearchDocument``, which the signals below keep: the
Welsh un-mutation needs Python, so triggers could not fill it; on SQLite, triggers then
keep the FTS5 tables in step with it (migration 0006), whatever writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from typing import Any

from django.db import connection
from django.db.models import Case, Q, QuerySet, When
from django.utils.html import strip_tags

from bilingual.words import nearest_words, radicals, welsh_index_text, words

from .models import LANGUAGE_COLUMNS, Category, Exercise, SearchDocument, Step

# What is read of a query: its first characters and words (a longer one is cut, not refused).
MAX_QUERY_CHARACTERS = 100
MAX_WORDS = 10
# A "word" longer than this is no word of ours: left out of the query.
MAX_WORD_LENGTH = 30
# Column weights, title : summary and category : the rest.
WEIGHTS = (10.0, 4.0, 1.0)
# How alike a misspelt word and a word of the exercises must be to be offered instead.
SUGGESTION_SIMILARITY = 0.35
# ...and at most this many letters longer or shorter.
LENGTH_DIFFERENCE = 3
# Welsh words this long or longer also match as the start of a longer word (*penglin*, *pengliniau*).
PREFIX_LENGTH = 4

ENGLISH, WELSH = LANGUAGE_COLUMNS[0], LANGUAGE_COLUMNS[1]


@dataclass(frozen=True)
class Results:
    """What a search found: the query as read, its words, the exercises best first (a
    queryset, for paging), and the query they were found for when it is a suggestion."""

    query: str
    words: list[str] = field(default_factory=list)
    exercises: QuerySet[Exercise] | None = None
    suggestion: str = ""

    @property
    def highlight_words(self) -> list[str]:
        """The words to mark in the results: the suggestion's, if it was used."""
        return words(self.suggestion) if self.suggestion else self.words


def query_words(query: str) -> list[str]:
    """The folded words searched for: the first ``MAX_WORDS`` of no more than ``MAX_WORD_LENGTH``."""
    found = [word for word in words(query[:MAX_QUERY_CHARACTERS]) if len(word) <= MAX_WORD_LENGTH]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def search(query: str, exercises: QuerySet[Exercise]) -> Results:
    """The ``exercises`` matching ``query``, best first; or, when none do, those matching the
    nearest words of the exercises, with that query as ``suggestion``."""
    asked = query_words(query)
    query = query.strip()[:MAX_QUERY_CHARACTERS]
    if not asked:
        return Results(query=query, exercises=exercises.none())
    ranked = _backend().ranked(asked)
    if not ranked:
        suggested = suggest(asked)
        if suggested and (ranked := _backend().ranked(suggested)):
            return Results(query, asked, _in_order(exercises, ranked), " ".join(suggested))
    return Results(query, asked, _in_order(exercises, ranked))


def suggest(asked: list[str]) -> list[str] | None:
    """``asked`` with each word that is not one of the exercises' replaced by the most similar
    that is; None when no word changes."""
    nearest = _backend().nearest(asked)
    suggested = [nearest.get(word, word) for word in asked]
    return suggested if suggested != asked else None


def _in_order(exercises: QuerySet[Exercise], ranked: list[int]) -> QuerySet[Exercise]:
    if not ranked:
        return exercises.none()
    order = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ranked)])
    return exercises.filter(pk__in=ranked).order_by(order, "pk")


def _welsh_terms(word: str) -> list[str]:
    return list(radicals(word))


class SQLiteSearch:
    """FTS5: ``exercises_search_en`` (porter) and ``exercises_search_cy``, over SearchDocument."""

    def ranked(self, asked: list[str]) -> list[int]:
        english = " AND ".join(_fts_string(word) for word in asked)
        welsh = " AND ".join(
            "(" + " OR ".join(_fts_string(term, prefix=True) for term in _welsh_terms(word)) + ")"
            for word in asked
        )
        sql = """
            SELECT exercise_id, MIN(score) AS best FROM (
                SELECT d.exercise_id, bm25(exercises_search_en, %s, %s, %s) AS score
                FROM exercises_search_en JOIN exercises_searchdocument d ON d.id = exercises_search_en.rowid
                WHERE exercises_search_en MATCH %s
                UNION ALL
                SELECT d.exercise_id, bm25(exercises_search_cy, %s, %s, %s) AS score
                FROM exercises_search_cy JOIN exercises_searchdocument d ON d.id = exercises_search_cy.rowid
                WHERE exercises_search_cy MATCH %s
            ) GROUP BY exercise_id ORDER BY best, exercise_id
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*WEIGHTS, english, *WEIGHTS, welsh])
            return [row[0] for row in cursor.fetchall()]

    def nearest(self, asked: list[str]) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT term FROM exercises_search_vocabulary")  # each word once, from the index
            vocabulary = frozenset(row[0] for row in cursor.fetchall())
        index = nearest_words(vocabulary)
        nearest = {}
        for word in asked:
            if word in vocabulary or len(word) < 3:
                continue
            found = index.nearest(word, threshold=SUGGESTION_SIMILARITY, length_difference=LENGTH_DIFFERENCE)
            if found:
                nearest[word] = found
        return nearest


def _fts_string(term: str, *, prefix: bool = False) -> str:
    """A term as an FTS5 string (our words are letters and digits; quotes doubled all the same)."""
    quoted = '"' + term.replace('"', '""') + '"'
    return quoted + " *" if prefix and len(term) >= PREFIX_LENGTH else quoted


class PostgreSQLSearch:
    """Weighted ``SearchVector``s over SearchDocument, ``ts_rank``, and ``pg_trgm``'s ``similarity``."""

    def ranked(self, asked: list[str]) -> list[int]:
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F
        from django.db.models.functions import Greatest

        english_query = SearchQuery(
            " & ".join(f"'{word}'" for word in asked), config="english", search_type="raw"
        )
        welsh_query = SearchQuery(
            " & ".join(
                "(" + " | ".join(_ts_term(term) for term in _welsh_terms(word)) + ")" for word in asked
            ),
            config="simple",
            search_type="raw",
        )
        # ts_rank's weights are {D, C, B, A}, each at most 1.
        top = max(WEIGHTS)
        weights = [0.0, WEIGHTS[2] / top, WEIGHTS[1] / top, WEIGHTS[0] / top]
        found = (
            SearchDocument.objects.filter(Q(en_vector=english_query) | Q(cy_vector=welsh_query))
            .annotate(
                rank=Greatest(
                    SearchRank(F("en_vector"), english_query, weights=weights),
                    SearchRank(F("cy_vector"), welsh_query, weights=weights),
                )
            )
            .order_by("-rank", "exercise_id")
            .values_list("exercise_id", flat=True)
        )
        return list(found)

    def nearest(self, asked: list[str]) -> dict[str, str]:
        # "%%" is pg_trgm's similarity operator (at its default 0.3): it finds the candidates
        # through the words' trigram index; similarity() then applies our threshold.
        sql = """
            SELECT DISTINCT ON (asked) asked, word
            FROM unnest(%s::text[]) AS asked
            JOIN exercises_searchword ON word %% asked
            WHERE abs(length(word) - length(asked)) <= %s AND similarity(word, asked) >= %s
            ORDER BY asked, similarity(word, asked) DESC, word COLLATE "C"
        """
        candidates = [word for word in asked if len(word) >= 3]
        if not candidates:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [candidates, LENGTH_DIFFERENCE, SUGGESTION_SIMILARITY])
            return {asked: word for asked, word in cursor.fetchall() if word != asked}


def _vector(language: str, config: str, *, unaccent: bool) -> Any:
    """A language's weighted ``SearchVector`` over its three document columns (PostgreSQL)."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import F, Func

    parts = []
    for column, weight in (("a", "A"), ("b", "B"), ("c", "C")):
        text: Any = F(f"{language}_{column}")
        if unaccent:
            text = Func(text, function="unaccent")
        parts.append(SearchVector(text, config=config, weight=weight))
    return parts[0] + parts[1] + parts[2]


def write_vectors(documents: QuerySet[Any]) -> None:
    """Store the weighted vectors of ``documents`` (PostgreSQL; nothing to do on SQLite, whose
    FTS5 tables follow the documents by triggers). Also used by migration 0006."""
    if connection.vendor == "postgresql":
        documents.update(
            en_vector=_vector("en", "english", unaccent=True),
            cy_vector=_vector("cy", "simple", unaccent=False),
        )
        found = {word for row in documents.values_list("words", flat=True) for word in row.split()}
        word_model = documents.model._meta.apps.get_model("exercises", "SearchWord")
        word_model.objects.bulk_create([word_model(word=word) for word in found], ignore_conflicts=True)


def _ts_term(term: str) -> str:
    return f"'{term}':*" if len(term) >= PREFIX_LENGTH else f"'{term}'"


def _backend() -> SQLiteSearch | PostgreSQLSearch:
    return PostgreSQLSearch() if connection.vendor == "postgresql" else SQLiteSearch()


# --- Keeping the documents (signals, exercises/apps.py) ---------------------------------------


def _text(value: str | None) -> str:
    return value or ""


def document_fields(exercise: Any, steps: list[Any], category: Any) -> dict[str, str]:
    """The SearchDocument columns for an exercise, its steps and category (models or the
    migration's historical models: read by column name)."""
    fields: dict[str, str] = {}
    surface: list[str] = []
    for language, prefix in ((ENGLISH, "en"), (WELSH, "cy")):

        def column(obj: Any, name: str, language: str = language) -> str:
            return _text(getattr(obj, f"{name}_{language}", ""))

        body = unescape(strip_tags(column(exercise, "body_html")))
        parts = {
            "a": [column(exercise, "title")],
            "b": [column(exercise, "summary"), column(category, "name")],
            "c": [
                column(exercise, "starting_position"),
                *(column(step, "text") for step in steps),
                column(exercise, "cautions"),
                body,
            ],
        }
        for key, texts in parts.items():
            text = "\n".join(part for part in texts if part)
            surface += words(text)
            fields[f"{prefix}_{key}"] = text if prefix == "en" else welsh_index_text(text)
    fields["words"] = " ".join(sorted(set(surface)))
    return fields


def refresh(exercise: Exercise) -> None:
    """Write the exercise's SearchDocument from its current fields, steps and category."""
    steps = list(Step.objects.filter(exercise_id=exercise.pk).order_by("position", "pk"))
    category = Category.objects.get(pk=exercise.category_id)
    document, _created = SearchDocument.objects.update_or_create(
        exercise_id=exercise.pk, defaults=document_fields(exercise, steps, category)
    )
    write_vectors(SearchDocument.objects.filter(pk=document.pk))


def refresh_all() -> None:
    for exercise in Exercise.objects.all():
        refresh(exercise)


def exercise_saved(sender: type, instance: Exercise, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh(instance)


def step_changed(sender: type, instance: Step, raw: bool = False, **kwargs: Any) -> None:
    """A step saved or deleted; not while its exercise is being deleted (``origin``), whose
    document goes with it."""
    origin = kwargs.get("origin")
    if raw or isinstance(origin, Exercise) or getattr(origin, "model", None) is Exercise:
        return
    if exercise := Exercise.objects.filter(pk=instance.exercise_id).first():
        refresh(exercise)


def category_saved(sender: type, instance: Category, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        for exercise in Exercise.objects.filter(category=instance):
            refresh(exercise)
