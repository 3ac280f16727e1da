import multiprocessing

import pytest

from helpers.pools import START_METHOD_ENV, mp_context, start_method


def test_default_is_the_platform_default(monkeypatch):
    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    assert start_method() == multiprocessing.get_start_method()


@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_knob_selects_the_method(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_ENV, method)
    assert start_method() == method
    assert mp_context().get_start_method() == method


def test_unknown_method_is_rejected(monkeypatch):
    monkeypatch.setenv(START_METHOD_ENV, "teleport")
    with pytest.raises(ValueError, match="teleport"):
        start_method()
