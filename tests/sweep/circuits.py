"""Tiny circuits for sweep tests: a Poisson input onto a few LIF neurons with STDP and scaling."""
from simcore import Circuit, Expect, make_projection, make_region


def tiny(seed: int = 0) -> Circuit:
    c = Circuit("tiny_sweep", regions=[make_region("In", "poisson", 40, rate_hz=20.0), make_region("E", "lif", 10)],
                projections=[make_projection("In->E", "In", "E", connectivity=("fixed_probability", {"p": 0.5}),
                                             weights=("lognormal", {"mean": 4.0, "cv": 0.5}),
                                             rules=[("stdp_pair", {"w_max": 6.0}), ("scaling", {"target_hz": 5.0})])],
                expect=[Expect("rate_hz", "E", min=0.5, note="E fires")])
    c.settings.seed = seed
    c.recording.history_s = 2.0
    c.recording.raster_max_spikes = 20000
    return c
