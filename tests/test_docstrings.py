"""Every example in a docstring runs and prints what it says (scikit-image's habit)."""

import doctest
import importlib
import pkgutil

import pytest

import darkroom

MODULES = sorted(m.name for m in pkgutil.walk_packages(darkroom.__path__, "darkroom.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
