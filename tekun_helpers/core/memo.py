"""Remembering what a pure function returned, for the arguments it is asked about again and again."""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


def remembered(maxsize: int = 65536) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize, typed=True)`` for a pure function of positional arguments that are
    nearly always hashable (cell values, names, identity numbers): a call with an unhashable argument (a
    list) is worked out without the cache. ``typed``: 1, 1.0 and True are remembered apart."""
    def wrap(func: F) -> F:
        cached = lru_cache(maxsize=maxsize, typed=True)(func)

        @wraps(func)
        def call(*args):
            try:
                hash(args)
            except TypeError:
                return func(*args)
            return cached(*args)

        call.cache_clear = cached.cache_clear      # type: ignore[attr-defined]
        call.cache_info = cached.cache_info        # type: ignore[attr-defined]
        return call                                # type: ignore[return-value]
    return wrap
