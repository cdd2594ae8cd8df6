from __future__ import annotations

import pytest

from grassroots.matters.tests.factories import make_staff

from .support import categories, install_version, trained_file


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path):
    settings.ROUTING_MODEL_DIR = tmp_path / "routing"
    return settings.ROUTING_MODEL_DIR


@pytest.fixture(scope="session")
def synthetic_model(tmp_path_factory):
    return trained_file(tmp_path_factory.mktemp("router"))


@pytest.fixture
def cats(db):
    return categories()


@pytest.fixture
def version(db, cats, synthetic_model):
    return install_version(synthetic_model)


@pytest.fixture
def staff(tree):
    return make_staff(tree)
