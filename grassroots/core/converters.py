"""One path converter for every database id in every URL (ADR 0029).

Django's `int` converter accepts any number of digits, and a 20-digit id
overflows the database's bigint and answers 500; DRF routers accept any text
as a pk. `<id:pk>` accepts only ASCII digits within the bigint range, so
anything else simply does not match and answers 404."""

from __future__ import annotations

# PostgreSQL bigint and SQLite INTEGER share this upper bound.
BIGINT_MAX = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError("id beyond bigint range")  # no match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))
