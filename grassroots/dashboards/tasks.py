"""No background work: the figures come from rollups the matters app keeps
and from grouped queries of the other apps at request time (ADR 0048)."""
