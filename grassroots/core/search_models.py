"""Bigram search index model (owned by the search module)."""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """One indexed document: which object, under which tree path (for scoping),
    and its text. The database-specific index (FTS5 table on SQLite, tsvector
    + GIN on PostgreSQL) is built over `bigrams` by migration."""

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    path = models.CharField(max_length=255, blank=True, db_index=True)
    text = models.TextField()
    bigrams = models.TextField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="search_entry_unique_object")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}"
