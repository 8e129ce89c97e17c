"""Other simulators that run Synaptica circuits (peers of ``simcore.engine``).

Each backend is imported only when asked for: ``import simcore`` never loads a foreign simulator.
"""
