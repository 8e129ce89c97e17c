"""A sweep running in a background thread; rows, progress and the end arrive as Qt signals.

The thread only waits on Dask (the runs happen in worker processes), so the editor stays
responsive; signals emitted from it are queued to the GUI thread.
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal


RUNNING: set = set()  # jobs whose thread is alive (a job outlives a closed window until it has stopped)


class SweepJob(QObject):
    row = Signal(dict)                  # one finished run
    progress = Signal(int, int, int)    # done, total, failed
    message = Signal(str)               # e.g. the dashboard address
    finished = Signal(object)           # the DataFrame
    failed = Signal(str)                # one line: why the sweep stopped
    cancelled = Signal()

    def __init__(self, circuit, grid: dict, seeds, duration, out: str, workers: int | None = None, client=None,
                 parent=None):
        super().__init__(parent)
        self.args = dict(circuit=circuit, grid=grid, seeds=seeds, duration=duration, out=out, workers=workers,
                         client=client)
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.started_at = 0.0

    def start(self) -> None:
        self.started_at = time.monotonic()
        RUNNING.add(self)
        self.thread = threading.Thread(target=self._run, name="synaptica-sweep", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        """Cancel queued and running runs; the local cluster, if any, is shut down by the thread."""
        self.stop.set()

    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def _run(self) -> None:
        import simcore.sweep as sweep

        a = self.args
        try:
            df = sweep.sweep(a["circuit"], a["grid"], seeds=a["seeds"], duration=a["duration"], client=a["client"],
                             out=a["out"], workers=a["workers"], progress=self.progress.emit,
                             log=self.message.emit, on_row=self.row.emit, stop=self.stop)
        except KeyboardInterrupt:
            self.cancelled.emit()
        except Exception as err:  # noqa: BLE001 - shown in the window, never a crash of the editor
            from simcore.sweep.runner import one_line

            self.failed.emit(one_line(err))
        else:
            self.finished.emit(df)
        finally:
            RUNNING.discard(self)
