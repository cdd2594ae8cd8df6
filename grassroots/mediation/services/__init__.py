"""Writes for the mediation centre, split by sub-domain: `cases` (registering
cases and parties, transfer from a matter), `workflow` (the state
transitions, the mediation period, agreements and follow-ups), `teams`
(committees, grid legal advisers, case teams), `sessions` (sessions and
judicial confirmation), `consultations` (legal consultations per grid).
`events` holds the timeline helper they share."""
