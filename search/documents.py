"""The stored search document of each mission, kept right by database triggers.

A mission's document is rebuilt by the database itself whenever something it is made
of changes, whatever wrote the change (a service, the admin, an import, a bulk COPY,
a queryset ``update()``): the mission's title, summary, description, city, cause or
association; its skills; the name of its association or cause; a skill's names,
synonyms or family, a family's name. On PostgreSQL, statement-level triggers rebuild
every mission a statement touched in one ``INSERT ... ON CONFLICT`` (a COPY of 60,000
missions is one rebuild);
on SQLite, row triggers do the same through two functions this module registers on
every connection the application opens (the ``sqlite3`` shell, which lacks them,
cannot change missions).

:func:`install` (re)creates the functions and triggers: the search migration calls it,
and so does every ``migrate`` (``post_migrate``), because SQLite drops a table's
triggers when a migration rebuilds the table. The migration also creates PostgreSQL's
indexes (:data:`POSTGRESQL_INDEXES`) and fills the documents (:func:`rebuild`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import text

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

DOCUMENT_TABLE = "search_missiondocument"
MISSION_TABLE = "missions_mission"
MISSION_SKILL_TABLE = "missions_missionskill"
ASSOCIATION_TABLE = "associations_association"
CAUSE_TABLE = "taxonomy_cause"
SKILL_TABLE = "taxonomy_skill"
SKILL_FAMILY_TABLE = "taxonomy_skillfamily"

# The mission's columns the search filters, facets and ranks on, copied as they are
# (the association: what an association's members may reach, its drafts included).
COPIED_COLUMNS = (
    "association_id",
    "state",
    "application_deadline",
    "published_at",
    "created_at",
    "cause_id",
    "departement_id",
    "format",
    "location_mode",
    "latitude",
    "longitude",
    "start_date",
    "end_date",
    "hours_per_week",
)
# The mission's columns its document is made of, for the triggers to compare.
MISSION_COLUMNS = (
    "title",
    "summary",
    "description",
    "city",
    *(column for column in COPIED_COLUMNS if column != "created_at"),
)
_COPIED = ", ".join(COPIED_COLUMNS)
_COPIED_FROM_M = ", ".join(f"m.{column}" for column in COPIED_COLUMNS)
_COPIED_UPDATE = ", ".join(f"{column} = EXCLUDED.{column}" for column in COPIED_COLUMNS)


TRIGGERS = (
    ("search_mission_inserted", MISSION_TABLE),
    ("search_mission_updated", MISSION_TABLE),
    ("search_mission_deleted", MISSION_TABLE),
    ("search_mission_skill_inserted", MISSION_SKILL_TABLE),
    ("search_mission_skill_updated", MISSION_SKILL_TABLE),
    ("search_mission_skill_deleted", MISSION_SKILL_TABLE),
    ("search_association_renamed", ASSOCIATION_TABLE),
    ("search_cause_renamed", CAUSE_TABLE),
    ("search_skill_renamed", SKILL_TABLE),
    ("search_skill_family_renamed", SKILL_FAMILY_TABLE),
)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create or replace the functions and triggers."""
    statements = _POSTGRESQL if connection.vendor == "postgresql" else _sqlite_statements()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_indexes(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in POSTGRESQL_INDEXES:
                cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name, table in TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(
                "DROP FUNCTION IF EXISTS search_mission_rows_changed(), "
                "search_mission_skill_rows_changed(), search_names_changed(), "
                "search_refresh_missions(bigint[]), search_fold(text)"
            )


def rebuild(connection: BaseDatabaseWrapper) -> None:
    """Rebuild every mission's document (after a change of what documents hold)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT search_refresh_missions(ARRAY(SELECT id FROM {MISSION_TABLE}))")
        else:
            cursor.execute(_sqlite_refresh("1 = 1"))


# --- PostgreSQL ------------------------------------------------------------------------

# French stemming on unaccented words: « Comptabilités » and « comptabilite » both give
# the lexeme 'comptabilit'.
TEXT_SEARCH_CONFIG = "french_unaccent"

CREATE_TEXT_SEARCH_CONFIG = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TEXT_SEARCH_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {TEXT_SEARCH_CONFIG} (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION {TEXT_SEARCH_CONFIG}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$
"""
DROP_TEXT_SEARCH_CONFIG = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TEXT_SEARCH_CONFIG}"


def _weighted(expression: str, weight: str) -> str:
    return f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', {expression}), '{weight}')"


_POSTGRESQL = (
    # As text.fold(): lower case, unaccented, words separated by one space, padded.
    # Declared immutable (unaccent is only stable) so that indexes may use it.
    """
    CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN folded = '' THEN ' ' ELSE ' ' || folded || ' ' END
        FROM (SELECT btrim(regexp_replace(lower(unaccent(coalesce(value, ''))),
                                          '[^a-z0-9]+', ' ', 'g')) AS folded) AS f
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION search_refresh_missions(mission_ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO {DOCUMENT_TABLE}
            (mission_id, {_COPIED}, title, keywords, stems, document)
        SELECT m.id, {_COPIED_FROM_M}, search_fold(m.title), search_fold(k.words), '',
               {_weighted("m.title", "A")}
               || {_weighted("coalesce(k.words, '')", "B")}
               || {_weighted("concat_ws(' ', m.summary, c.name_fr, c.name_en)", "C")}
               || {_weighted("concat_ws(' ', m.description, a.name, m.city)", "D")}
        FROM {MISSION_TABLE} m
        JOIN {ASSOCIATION_TABLE} a ON a.id = m.association_id
        JOIN {CAUSE_TABLE} c ON c.id = m.cause_id
        LEFT JOIN LATERAL (
            SELECT string_agg(concat_ws(' ', s.name_fr, s.name_en, s.synonyms, f.name_fr), ' '
                              ORDER BY s.id) AS words
            FROM {MISSION_SKILL_TABLE} ms
            JOIN {SKILL_TABLE} s ON s.id = ms.skill_id
            JOIN {SKILL_FAMILY_TABLE} f ON f.id = s.family_id
            WHERE ms.mission_id = m.id
        ) k ON true
        WHERE m.id = ANY(mission_ids)
        ON CONFLICT (mission_id) DO UPDATE SET
            {_COPIED_UPDATE}, title = EXCLUDED.title, keywords = EXCLUDED.keywords,
            stems = EXCLUDED.stems, document = EXCLUDED.document
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION search_mission_rows_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM search_refresh_missions(ARRAY(SELECT id FROM new_rows));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM search_refresh_missions(ARRAY(
                SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE ({", ".join("n." + c for c in MISSION_COLUMNS)})
                    IS DISTINCT FROM ({", ".join("o." + c for c in MISSION_COLUMNS)})
            ));
        ELSE
            DELETE FROM {DOCUMENT_TABLE} WHERE mission_id IN (SELECT id FROM old_rows);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_mission_skill_rows_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM search_refresh_missions(ARRAY(SELECT DISTINCT mission_id FROM new_rows));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM search_refresh_missions(ARRAY(
                SELECT mission_id FROM new_rows UNION SELECT mission_id FROM old_rows
            ));
        ELSE
            PERFORM search_refresh_missions(ARRAY(SELECT DISTINCT mission_id FROM old_rows));
        END IF;
        RETURN NULL;
    END $$
    """,
    # A renamed association, cause, skill or skill family (or a skill's synonyms edited)
    # changes the documents of the missions that name it.
    f"""
    CREATE OR REPLACE FUNCTION search_names_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = '{ASSOCIATION_TABLE}' THEN
            PERFORM search_refresh_missions(ARRAY(
                SELECT m.id FROM {MISSION_TABLE} m
                JOIN new_rows n ON n.id = m.association_id JOIN old_rows o ON o.id = n.id
                WHERE n.name IS DISTINCT FROM o.name
            ));
        ELSIF TG_TABLE_NAME = '{CAUSE_TABLE}' THEN
            PERFORM search_refresh_missions(ARRAY(
                SELECT m.id FROM {MISSION_TABLE} m
                JOIN new_rows n ON n.id = m.cause_id JOIN old_rows o ON o.id = n.id
                WHERE (n.name_fr, n.name_en) IS DISTINCT FROM (o.name_fr, o.name_en)
            ));
        ELSIF TG_TABLE_NAME = '{SKILL_TABLE}' THEN
            PERFORM search_refresh_missions(ARRAY(
                SELECT DISTINCT ms.mission_id FROM {MISSION_SKILL_TABLE} ms
                JOIN new_rows n ON n.id = ms.skill_id JOIN old_rows o ON o.id = n.id
                WHERE (n.name_fr, n.name_en, n.synonyms, n.family_id)
                    IS DISTINCT FROM (o.name_fr, o.name_en, o.synonyms, o.family_id)
            ));
        ELSE
            PERFORM search_refresh_missions(ARRAY(
                SELECT DISTINCT ms.mission_id FROM {MISSION_SKILL_TABLE} ms
                JOIN {SKILL_TABLE} s ON s.id = ms.skill_id
                JOIN new_rows n ON n.id = s.family_id JOIN old_rows o ON o.id = n.id
                WHERE n.name_fr IS DISTINCT FROM o.name_fr
            ));
        END IF;
        RETURN NULL;
    END $$
    """,
    *(
        statement
        for name, table, event, transitions, function in (
            (
                "search_mission_inserted",
                MISSION_TABLE,
                "INSERT",
                "NEW TABLE AS new_rows",
                "search_mission_rows_changed",
            ),
            (
                "search_mission_updated",
                MISSION_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_mission_rows_changed",
            ),
            (
                "search_mission_deleted",
                MISSION_TABLE,
                "DELETE",
                "OLD TABLE AS old_rows",
                "search_mission_rows_changed",
            ),
            (
                "search_mission_skill_inserted",
                MISSION_SKILL_TABLE,
                "INSERT",
                "NEW TABLE AS new_rows",
                "search_mission_skill_rows_changed",
            ),
            (
                "search_mission_skill_updated",
                MISSION_SKILL_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_mission_skill_rows_changed",
            ),
            (
                "search_mission_skill_deleted",
                MISSION_SKILL_TABLE,
                "DELETE",
                "OLD TABLE AS old_rows",
                "search_mission_skill_rows_changed",
            ),
            (
                "search_association_renamed",
                ASSOCIATION_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_names_changed",
            ),
            (
                "search_cause_renamed",
                CAUSE_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_names_changed",
            ),
            (
                "search_skill_renamed",
                SKILL_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_names_changed",
            ),
            (
                "search_skill_family_renamed",
                SKILL_FAMILY_TABLE,
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "search_names_changed",
            ),
        )
        for statement in (
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transitions} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        )
    ),
)

# Full text (GIN on the document) and typo tolerance (trigrams of the folded title, for
# `%>>`, pg_trgm's strict word similarity; the skills' words close to a misspelt one are
# found in memory, among a few hundred). PostgreSQL only: created by the search
# migration, outside Django's model state, which SQLite could not follow.
POSTGRESQL_INDEXES = (
    f"CREATE INDEX IF NOT EXISTS search_document_gin ON {DOCUMENT_TABLE} USING gin (document)",
    # The search page looks among published missions only: a third of them at the
    # national scale, so a third of the index to read.
    f"CREATE INDEX IF NOT EXISTS search_published_document_gin ON {DOCUMENT_TABLE} "
    "USING gin (document) WHERE state = 'published'",
    f"CREATE INDEX IF NOT EXISTS search_title_trigram ON {DOCUMENT_TABLE} "
    "USING gin (title gin_trgm_ops)",
)


# --- SQLite ----------------------------------------------------------------------------


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the folding and stemming the triggers call, and
    the trigram similarity the typo tolerance uses, as PostgreSQL's extensions do."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("search_fold", 1, text.fold, deterministic=True)
    raw.create_function("search_stems", 4, text.stems_text, deterministic=True)
    raw.create_function(
        "search_strict_word_similarity", 2, text.strict_word_similarity, deterministic=True
    )


def _sqlite_refresh(condition: str) -> str:
    """Rebuild the documents of the missions ``condition`` selects (on ``m``)."""
    return f"""
        INSERT OR REPLACE INTO {DOCUMENT_TABLE}
            (mission_id, {_COPIED}, title, keywords, stems, document)
        SELECT id, {_COPIED}, search_fold(title), search_fold(words),
               search_stems(title, words, summary, details), NULL
        FROM (
            SELECT m.id AS id, {_COPIED_FROM_M}, m.title AS title,
                   coalesce((
                       SELECT group_concat(
                           s.name_fr || ' ' || s.name_en || ' ' || s.synonyms || ' ' || f.name_fr,
                           ' ')
                       FROM {MISSION_SKILL_TABLE} ms
                       JOIN {SKILL_TABLE} s ON s.id = ms.skill_id
                       JOIN {SKILL_FAMILY_TABLE} f ON f.id = s.family_id
                       WHERE ms.mission_id = m.id
                   ), '') AS words,
                   m.summary || ' ' || c.name_fr || ' ' || c.name_en AS summary,
                   m.description || ' ' || a.name || ' ' || m.city AS details
            FROM {MISSION_TABLE} m
            JOIN {ASSOCIATION_TABLE} a ON a.id = m.association_id
            JOIN {CAUSE_TABLE} c ON c.id = m.cause_id
            WHERE {condition}
        )
    """


def _sqlite_statements() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in MISSION_COLUMNS)
    triggers = {
        "search_mission_inserted": (
            f"AFTER INSERT ON {MISSION_TABLE}",
            _sqlite_refresh("m.id = NEW.id"),
        ),
        "search_mission_updated": (
            f"AFTER UPDATE ON {MISSION_TABLE} WHEN {changed}",
            _sqlite_refresh("m.id = NEW.id"),
        ),
        "search_mission_deleted": (
            f"AFTER DELETE ON {MISSION_TABLE}",
            f"DELETE FROM {DOCUMENT_TABLE} WHERE mission_id = OLD.id",
        ),
        "search_mission_skill_inserted": (
            f"AFTER INSERT ON {MISSION_SKILL_TABLE}",
            _sqlite_refresh("m.id = NEW.mission_id"),
        ),
        "search_mission_skill_updated": (
            f"AFTER UPDATE ON {MISSION_SKILL_TABLE}",
            _sqlite_refresh("m.id IN (NEW.mission_id, OLD.mission_id)"),
        ),
        "search_mission_skill_deleted": (
            f"AFTER DELETE ON {MISSION_SKILL_TABLE}",
            _sqlite_refresh("m.id = OLD.mission_id"),
        ),
        "search_association_renamed": (
            f"AFTER UPDATE ON {ASSOCIATION_TABLE} WHEN NEW.name IS NOT OLD.name",
            _sqlite_refresh("m.association_id = NEW.id"),
        ),
        "search_cause_renamed": (
            f"AFTER UPDATE ON {CAUSE_TABLE} "
            "WHEN NEW.name_fr IS NOT OLD.name_fr OR NEW.name_en IS NOT OLD.name_en",
            _sqlite_refresh("m.cause_id = NEW.id"),
        ),
        "search_skill_renamed": (
            f"AFTER UPDATE ON {SKILL_TABLE} WHEN NEW.name_fr IS NOT OLD.name_fr "
            "OR NEW.name_en IS NOT OLD.name_en OR NEW.synonyms IS NOT OLD.synonyms "
            "OR NEW.family_id IS NOT OLD.family_id",
            _sqlite_refresh(
                f"m.id IN (SELECT mission_id FROM {MISSION_SKILL_TABLE} WHERE skill_id = NEW.id)"
            ),
        ),
        "search_skill_family_renamed": (
            f"AFTER UPDATE ON {SKILL_FAMILY_TABLE} WHEN NEW.name_fr IS NOT OLD.name_fr",
            _sqlite_refresh(
                f"m.id IN (SELECT ms.mission_id FROM {MISSION_SKILL_TABLE} ms "
                f"JOIN {SKILL_TABLE} s ON s.id = ms.skill_id WHERE s.family_id = NEW.id)"
            ),
        ),
    }
    statements = []
    for name, (when, action) in triggers.items():
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} {when} BEGIN {action}; END")
    return statements
