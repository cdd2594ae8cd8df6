"""The PWA's pages (shell, manifest, service worker): owned by the front end
of the field app; empty until it lands."""

urlpatterns: list = []
