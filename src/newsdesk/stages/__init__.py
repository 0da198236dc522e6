"""Adapters that put the pure text stages (lang, entities, rubrics, tags, dedup, threads) into the
ingestion pipeline: each loads its state from the archive once, enriches records, and saves what
it learned after a batch.  The text work itself stays in the stage modules."""
