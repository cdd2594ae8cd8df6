"""Registration pages, one module per part; staff URLs in urls.py, public in urls_public.py."""
