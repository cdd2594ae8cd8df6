"""Registration reads, one module per part (selectors.applications, .appointments,
.checklist, .directory, .home, .stats)."""
