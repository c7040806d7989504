"""Remembering what a pure function returned, for the arguments it is asked about again and again."""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


#: how many results a remembered function keeps by default: the distinct names, villages and numbers of a
#: year of a county ten times the bundled one (32,500 people in 附件3, as many again in the rosters) fit;
#: a bound all the same, so that a process reading one county after another does not grow without end
#: (an entry is a few hundred bytes: 262,144 of them at most some 80 MB, reached only with that much data)
DEFAULT_SIZE = 1 << 18


#: every remembered function's cache (:func:`forget_all`)
_CACHES: list = []


def forget_all() -> None:
    """Forget what every remembered function kept: a batch process, once its workers have the months and the
    Excel files are written, has no more use for it (some 65 MB for a county ten times the bundled one)."""
    for cached in _CACHES:
        cached.cache_clear()


def remembered(maxsize: int = DEFAULT_SIZE) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize, typed=True)`` for a pure function of positional arguments that are
    nearly always hashable (cell values, names, identity numbers): a call with an unhashable argument (a
    list) is worked out without the cache. ``typed``: 1, 1.0 and True are remembered apart."""
    def wrap(func: F) -> F:
        cached = lru_cache(maxsize=maxsize, typed=True)(func)
        _CACHES.append(cached)

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
