"""The one wrapper every kernel is compiled with: cached on disk, releases the GIL."""
from __future__ import annotations

import numba

njit = numba.njit(cache=True, nogil=True, error_model="numpy")
