"""qyedu — open policy-analysis workbench for the Qingyuan (清远市) 14th Five-Year Education Plan.

Data flow (one way): data/raw → plan registry / observed loaders → births → projection →
places, teachers → scorecard → data/processed → notebooks → reports. See docs/ARCHITECTURE.md.
"""

__version__ = "0.1.0"

# The public API (qyedu/api.py), imported on first use so `import qyedu` stays cheap:
# qyedu.forecast(...), qyedu.places(...), qyedu.teachers(...), qyedu.costs(...) return tidy
# DataFrames and qyedu.params(...) the parameter table; qyedu.area_forecast(...) and
# qyedu.area_check(...) forecast another area and set it against later outturns, and
# qyedu.register_check(...) sets outturns beside the pre-registered forecasts. places, teachers, costs and params are
# also the model's packages: those modules are made callable (calling one calls the API
# function of the same name) when they are bound on this package, so both uses work.
import sys as _sys
import types as _types

_API = ("forecast", "places", "teachers", "costs", "params", "area_forecast", "area_check",
        "register_check")
__all__ = ["api", *_API]


class _CallableModule(_types.ModuleType):
    """A package of the model that is also an API function (``qyedu.places(...)``)."""

    def __call__(self, *args, **kwargs):
        from . import api

        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)


class _Package(_types.ModuleType):
    def __setattr__(self, name, value):
        if name in _API and type(value) is _types.ModuleType:
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


def __getattr__(name: str):
    import importlib

    if name in ("forecast", "area_forecast", "area_check", "register_check"):
        return getattr(importlib.import_module(".api", __name__), name)
    if name in _API or name == "api":
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qyedu' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})


_sys.modules[__name__].__class__ = _Package
