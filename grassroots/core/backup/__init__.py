"""Encrypted backups of an installation and their restore onto an empty one
(issue 20 item 6, ADR 0057): `manage.py backup`, `manage.py restore`."""
