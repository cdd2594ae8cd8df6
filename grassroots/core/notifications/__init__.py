"""The notification outbox: rows written in the caller's transaction
(`services`), delivered after commit by Celery (`tasks`) through pluggable
channel backends (`backends`), read through `selectors`."""
