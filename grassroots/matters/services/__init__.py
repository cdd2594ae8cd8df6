"""Writes for matters, split by sub-domain: `intake` (说事: creating matters
from every channel, visits), `lifecycle` (办事: the state transitions,
deadlines, escalation), `feedback` (reporter ratings and reopen requests),
`publications` (公示 records). `events` holds the timeline helper they share."""
