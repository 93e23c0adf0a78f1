"""DuckDB schema of the store, with a version table for migrations.

Every span table holds ``start``/``end`` character offsets into ``articles.text``.
"""

from __future__ import annotations

SCHEMA_VERSION = 4

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, args VARCHAR,
            engine VARCHAR, steps VARCHAR, stored INTEGER, duplicates INTEGER, rejected INTEGER,
            status VARCHAR, step_stats VARCHAR, seen INTEGER, already INTEGER, replaced INTEGER,
            pid INTEGER)""",
    "articles": """
        CREATE TABLE IF NOT EXISTS articles (
            id VARCHAR PRIMARY KEY, content_hash VARCHAR UNIQUE, url VARCHAR, outlet VARCHAR,
            outlet_name VARCHAR, published DATE, published_basis VARCHAR, headline VARCHAR,
            byline VARCHAR, text VARCHAR, body_start INTEGER, source VARCHAR, boilerplate VARCHAR[],
            meta VARCHAR, search_text VARCHAR, run_id VARCHAR, ingested_at TIMESTAMP)""",
    "sentences": """
        CREATE TABLE IF NOT EXISTS sentences (
            article_id VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER, paragraph INTEGER)""",
    "mentions": """
        CREATE TABLE IF NOT EXISTS mentions (
            article_id VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, type VARCHAR,
            score DOUBLE, step VARCHAR, actor_id VARCHAR, canonical VARCHAR, confidence DOUBLE,
            evidence VARCHAR, title VARCHAR, search_key VARCHAR)""",
    "times": """
        CREATE TABLE IF NOT EXISTS times (
            article_id VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, value VARCHAR,
            precision VARCHAR, rule VARCHAR, anchor VARCHAR)""",
    "quotes": """
        CREATE TABLE IF NOT EXISTS quotes (
            article_id VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, kind VARCHAR,
            cue_start INTEGER, cue_end INTEGER, cue VARCHAR, speaker_start INTEGER, speaker_end INTEGER,
            speaker_surface VARCHAR, speaker VARCHAR, speaker_actor VARCHAR, addressee VARCHAR,
            parent INTEGER, events INTEGER[])""",
    "attributions": """
        CREATE TABLE IF NOT EXISTS attributions (
            article_id VARCHAR, idx INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, outlet VARCHAR,
            actor_id VARCHAR, cue VARCHAR)""",
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            article_id VARCHAR, idx INTEGER, type VARCHAR, mode VARCHAR, start INTEGER, "end" INTEGER,
            evidence VARCHAR, source VARCHAR[], target VARCHAR[], source_ids VARCHAR[],
            target_ids VARCHAR[], location VARCHAR, location_id VARCHAR, lat DOUBLE, lon DOUBLE,
            date VARCHAR, date_from_published BOOLEAN, status VARCHAR, confidence DOUBLE, cameo VARCHAR,
            trigger_start INTEGER, trigger_end INTEGER, origin VARCHAR, more_evidence INTEGER[][])""",
    # stories (marsad.stories): the story each stored article joined, and the copy it nearly repeats;
    # content_hash says which version of the article was placed (a replaced article is placed again)
    "story_members": """
        CREATE TABLE IF NOT EXISTS story_members (
            article_id VARCHAR PRIMARY KEY, story_id VARCHAR, score DOUBLE, duplicate_of VARCHAR,
            duplicate_similarity DOUBLE, content_hash VARCHAR, placed_at TIMESTAMP)""",
    # the rejects ledger: one row per input unit (file, record, TREC document) that is not stored
    "rejects": """
        CREATE TABLE IF NOT EXISTS rejects (
            source VARCHAR PRIMARY KEY, reason VARCHAR, detail VARCHAR, run_id VARCHAR,
            first_seen TIMESTAMP, last_seen TIMESTAMP, duplicate_of VARCHAR, input_id VARCHAR)""",
    "shards": """
        CREATE TABLE IF NOT EXISTS shards (
            shard_id VARCHAR PRIMARY KEY, run_id VARCHAR, articles INTEGER, finished TIMESTAMP)""",
}

# child tables of an article: deleted and rewritten together with it
CHILD_TABLES = ("sentences", "mentions", "times", "quotes", "attributions", "events")


# MIGRATIONS[v] brings a store of schema v to v + 1
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # v1 -> v2: the ledger holds one row per input unit (it was keyed by unit and reason) and names
    # the stored article a duplicate repeats; runs count what they saw, found stored and replaced
    1: (
        """CREATE TABLE rejects_v2 (
            source VARCHAR PRIMARY KEY, reason VARCHAR, detail VARCHAR, run_id VARCHAR,
            first_seen TIMESTAMP, last_seen TIMESTAMP, duplicate_of VARCHAR)""",
        """INSERT INTO rejects_v2 SELECT source, arg_max(reason, last_seen), arg_max(detail, last_seen),
            arg_max(run_id, last_seen), min(first_seen), max(last_seen), NULL FROM rejects GROUP BY source""",
        "DROP TABLE rejects",
        "ALTER TABLE rejects_v2 RENAME TO rejects",
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS seen INTEGER",
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS already INTEGER",
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS replaced INTEGER",
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER",
    ),
    # v2 -> v3: a duplicate's ledger row keeps the id its input gave it (the story export lists it)
    2: ("ALTER TABLE rejects ADD COLUMN IF NOT EXISTS input_id VARCHAR",),
    # v3 -> v4: an event says what produced it and carries the other evidence spans of its occasion
    3: (
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS origin VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS more_evidence INTEGER[][]",
    ),
}


def create_all(con) -> None:
    row = None
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is not None and int(row[0]) < SCHEMA_VERSION:
        migrate(con, int(row[0]))
        row = (str(SCHEMA_VERSION),)
    for ddl in TABLES.values():
        con.execute(ddl)
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    elif int(row[0]) > SCHEMA_VERSION:
        from ..errors import StoreError

        raise StoreError(
            f"the store was written by a newer marsad (schema {row[0]} > {SCHEMA_VERSION}); "
            f"upgrade marsad or use another --db"
        )


def migrate(con, version: int) -> None:
    """Bring a store written at schema ``version`` up to :data:`SCHEMA_VERSION`, one step per
    transaction."""
    for v in range(version, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in MIGRATIONS[v]:
                con.execute(sql)
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(v + 1)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
