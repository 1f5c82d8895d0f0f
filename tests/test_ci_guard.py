"""Under CI a missing tool, service or package fails the test; on a laptop it skips it.

CI counts as set for any true value, as CI services and people write it, in any case.
"""

import pytest

from .support.required import import_or_missing, in_ci, missing

TRUE = ["true", "True", " TRUE ", "1", "yes", "YES", "on", "On", "y", "Y"]
FALSE = [None, "", " ", "0", "false", "False", "no", "off", "n"]


def set_ci(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)


@pytest.mark.parametrize("value", TRUE)
def test_a_true_value_is_ci(monkeypatch, value):
    set_ci(monkeypatch, value)
    assert in_ci() is True


@pytest.mark.parametrize("value", FALSE)
def test_unset_empty_or_a_false_value_is_not_ci(monkeypatch, value):
    set_ci(monkeypatch, value)
    assert in_ci() is False


def test_missing_fails_under_ci(monkeypatch):
    set_ci(monkeypatch, "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set but nginx is not installed"):
        missing("nginx is not installed")


@pytest.mark.parametrize("value", [None, "false"])
def test_missing_skips_outside_ci(monkeypatch, value):
    set_ci(monkeypatch, value)
    with pytest.raises(pytest.skip.Exception, match="nginx is not installed"):
        missing("nginx is not installed")


def test_import_or_missing_returns_the_module(monkeypatch):
    set_ci(monkeypatch, "true")
    assert import_or_missing("json", "stdlib").dumps([]) == "[]"


def test_import_or_missing_fails_under_ci_and_skips_outside(monkeypatch):
    name = "no_such_module_for_the_ci_guard"
    set_ci(monkeypatch, "true")
    with pytest.raises(pytest.fail.Exception, match=f"CI is set but {name}.*pip install it"):
        import_or_missing(name, "pip install it")
    set_ci(monkeypatch, None)
    with pytest.raises(pytest.skip.Exception, match=name):
        import_or_missing(name, "pip install it")
