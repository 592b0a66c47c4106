import pytest

from watchfloor.config import Settings, load_settings
from watchfloor.errors import ConfigError


def test_defaults_file_environment_order(tmp_path):
    path = tmp_path / "watchfloor.toml"
    path.write_text('[watchfloor]\nmodel = "en_core_web_sm"\nbatch_size = 8\n', "utf-8")
    settings = load_settings(path, environ={"WATCHFLOOR_BATCH_SIZE": "64"})
    assert settings.model == "en_core_web_sm"
    assert settings.batch_size == 64
    assert settings.db == Settings().db
    assert settings.with_overrides(db="x.db", model=None).db == "x.db"


def test_bad_settings_say_what_is_wrong(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("modle = 'x'\n", "utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting\(s\) modle"):
        load_settings(path, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError, match="'batch_size': cannot read 'many' as int"):
        load_settings(None, environ={"WATCHFLOOR_BATCH_SIZE": "many"})
