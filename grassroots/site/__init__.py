"""The site's composition, above every app: pages that bring several apps
together (the public home page). Not a Django app: no models, no templates of
its own (ADR 0032)."""
