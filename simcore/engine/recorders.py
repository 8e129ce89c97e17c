"""Bounded recorders: everything the GUI and the summary read, in ring buffers of fixed size."""
from __future__ import annotations

import numpy as np


class Ring:
    """A fixed-capacity ring of rows (time along axis 0); ``values()`` returns them oldest first."""

    def __init__(self, capacity: int, width: int, dtype=np.float64):
        self.data = np.zeros((max(1, capacity), width), dtype)
        self.n = 0  # rows ever written

    def push(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, self.data.dtype).reshape(-1, self.data.shape[1])
        cap = len(self.data)
        if len(rows) >= cap:
            self.data[:] = rows[-cap:]
            self.n += len(rows)
            self.data = np.roll(self.data, self.n % cap, axis=0)
            return
        start = self.n % cap
        end = start + len(rows)
        if end <= cap:
            self.data[start:end] = rows
        else:
            k = cap - start
            self.data[start:] = rows[:k]
            self.data[: end - cap] = rows[k:]
        self.n += len(rows)

    def values(self) -> np.ndarray:
        cap = len(self.data)
        if self.n <= cap:
            return self.data[: self.n].copy()
        start = self.n % cap
        return np.concatenate([self.data[start:], self.data[:start]])

    def tail(self, k: int) -> np.ndarray:
        """A copy of the newest ``k`` rows, oldest first (reads only those rows)."""
        cap = len(self.data)
        n = min(self.n, cap, max(0, int(k)))
        if n == 0:
            return self.data[:0].copy()
        end = self.n % cap
        start = end - n
        if start >= 0:
            return self.data[start:end].copy()
        return np.concatenate([self.data[start:], self.data[:end]])

    def since(self, col: int, value) -> np.ndarray:
        """Rows whose column ``col`` is >= ``value``, for rings ordered by that column (time);
        reads a growing tail instead of the whole ring."""
        k = 4096
        while True:
            rows = self.tail(k)
            if len(rows) < k or rows[0, col] < value or k >= len(self.data):
                break
            k *= 4
        if len(rows) and rows[0, col] < value:
            rows = rows[np.searchsorted(rows[:, col], value):]
        return rows

    def clear(self) -> None:
        self.n = 0
