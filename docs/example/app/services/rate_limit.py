"""An in-process sliding-window rate limiter (the architecture's "in-process, per IP + per user" limiter)."""

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Counts hits per key in a sliding window; one instance per app (on `app.state.rate_limiter`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        """Record one hit for `key`; False when it is over `limit` hits in the last `window_seconds`."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - window_seconds:
            hits.popleft()
        if len(hits) >= limit:
            return False
        hits.append(now)
        return True

    def reset(self) -> None:
        """Forget every recorded hit."""
        self._hits.clear()
