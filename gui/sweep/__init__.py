"""Parameter sweeps from the editor: right-click a parameter in the inspector, "Sweep this
parameter...", choose values, seeds, duration and a metric; the sweep runs on Dask in the
background (:mod:`simcore.sweep`) and its result plots the metric against the parameter.

menu.py      the inspector's context-menu entry (sweep path of an inspector row)
dialog.py    values, seeds, duration, metric; validated before anything starts
job.py       the sweep in a background thread, reporting rows and progress as Qt signals
result.py    metric vs parameter (mean and spread over seeds), progress, click a run to open it
recordings.py  one run's recordings (rates, raster, weights) read from its NPZ file
"""
