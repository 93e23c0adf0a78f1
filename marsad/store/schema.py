"""DuckDB schema of the store, with a version table for migrations.

Every span table holds ``start``/``end`` character offsets into ``articles.text``.
"""
from __future__ import annotations

SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, args VARCHAR,
            engine VARCHAR, steps VARCHAR, stored INTEGER, duplicates INTEGER, rejected INTEGER,
            status VARCHAR, step_stats VARCHAR)""",
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
            trigger_start INTEGER, trigger_end INTEGER)""",
    "rejects": """
        CREATE TABLE IF NOT EXISTS rejects (
            source VARCHAR, reason VARCHAR, detail VARCHAR, run_id VARCHAR, first_seen TIMESTAMP,
            last_seen TIMESTAMP, PRIMARY KEY (source, reason))""",
    "shards": """
        CREATE TABLE IF NOT EXISTS shards (
            shard_id VARCHAR PRIMARY KEY, run_id VARCHAR, articles INTEGER, finished TIMESTAMP)""",
}

# child tables of an article: deleted and rewritten together with it
CHILD_TABLES = ("sentences", "mentions", "times", "quotes", "attributions", "events")



def create_all(con) -> None:
    for ddl in TABLES.values():
        con.execute(ddl)
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    elif int(row[0]) > SCHEMA_VERSION:
        from ..errors import StoreError
        raise StoreError(f"the store was written by a newer marsad (schema {row[0]} > {SCHEMA_VERSION}); "
                         f"upgrade marsad or use another --db")
