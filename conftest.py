"""Root conftest: registers the project's pytest plugins."""

pytest_plugins = ["grassroots.testing.browser"]
