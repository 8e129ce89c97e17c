"""Parsing and validating sweep grids: paths to every declared parameter, values, up-front refusal."""
import pytest

from simcore.sweep import plan
from simcore.sweep.grid import SweepError, apply, expand, locate, parse_param_args, parse_seeds, parse_values

from .circuits import tiny


def test_values_lists_ranges_and_files(tmp_path):
    assert parse_values("1,2,5") == [1, 2, 5]
    assert parse_values("linspace:0:1:5") == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert parse_values("logspace:0.001:0.1:3") == pytest.approx([0.001, 0.01, 0.1])
    assert parse_values("true,false") == [True, False]
    f = tmp_path / "v.txt"
    f.write_text("0.5\n1.5, 2\n")
    assert parse_values(f"@{f}") == [0.5, 1.5, 2]
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4] and parse_seeds("1,7,2-3") == [1, 7, 2, 3]
    for bad in ("", "1,,2", "linspace:0:1", "logspace:0:1:3", "@/no/such/file"):
        with pytest.raises(SweepError):
            parse_values(bad)
    with pytest.raises(SweepError):
        parse_seeds("4-1")


def test_paths_reach_every_declared_parameter_live_or_not():
    c = tiny()
    pt = {"In.rate_hz": 7.0, "E.size": 13, "E.params.tau_m": 15.0, "In->E.connectivity.p": 0.25,
          "In->E.weights.cv": 0.2, "In->E.delay.value_ms": 1.5, "In->E.rules.0.lam": 0.03,
          "In->E.rules.1.enabled": False, "settings.dt_ms": 0.05, "recording.rate_bin_ms": 5.0}
    out = apply(c, pt)
    assert out.region("In").params["rate_hz"] == 7.0 and out.region("E").size == 13
    assert out.region("E").params["tau_m"] == 15.0
    p = out.projection("In->E")
    assert p.connectivity.params["p"] == 0.25 and p.weights.params["cv"] == 0.2 and p.delay.params["value_ms"] == 1.5
    assert p.rules[0].params["lam"] == 0.03 and p.rules[1].enabled is False
    assert out.settings.dt_ms == 0.05 and out.recording.rate_bin_ms == 5.0
    assert c.region("E").size == 10  # the original is untouched
    for bad in ("Nope.rate_hz", "In.nope", "In->E.rules.5.lam", "In->E.weights.nope", "In->E.size", "settings.x"):
        with pytest.raises(SweepError) as err:
            locate(c, bad)
        assert bad in str(err.value)


def test_a_value_out_of_bounds_is_refused_naming_path_and_value():
    with pytest.raises(SweepError) as err:
        expand(tiny(), {"In->E.connectivity.p": [0.5, 1.5]})
    assert str(err.value) == "--param In->E.connectivity.p=1.5: p must be <= 1"


def test_a_grid_point_invalid_only_in_combination_is_refused_before_any_run(tmp_path):
    """v_reset -45 is fine alone, but above v_th -50 (the circuit's) it is not: refused up front,
    naming the point, with nothing written and no cluster contacted."""
    grid = {"E.v_reset": [-70.0, -45.0], "In.rate_hz": [5.0]}
    with pytest.raises(SweepError) as err:
        plan(tiny(), grid, seeds=[0], duration=0.1, out=tmp_path / "s")
    msg = str(err.value)
    assert "\n" not in msg and "E.v_reset=-45" in msg and "$.regions[1].params.v_reset" in msg
    assert not (tmp_path / "s" / "runs").exists() or not any((tmp_path / "s" / "runs").iterdir())


def test_cli_refuses_an_invalid_grid_in_one_line_without_starting_workers(tmp_path):
    import time

    from simcore import save
    from simcore.cli import main

    path = save(tiny(), tmp_path / "tiny.json")
    t0 = time.perf_counter()
    import io
    from contextlib import redirect_stderr

    buf = io.StringIO()
    with redirect_stderr(buf):
        rc = main(["sweep", str(path), "--param", "E.size=10,0", "--out", str(tmp_path / "s"),
                   "--scheduler", "tcp://127.0.0.1:1"])  # unreachable: validation must come first
    assert rc == 2
    lines = buf.getvalue().strip().splitlines()
    assert lines == ["error: --param E.size=0: size must be >= 1"]
    assert time.perf_counter() - t0 < 5


def test_paths_joined_by_commas_take_the_same_value():
    _, pts, circuits = expand(tiny(), parse_param_args(["In->E.rules.0.tau_plus, In->E.rules.0.tau_minus=10,30"]))
    assert pts == [{"In->E.rules.0.tau_plus,In->E.rules.0.tau_minus": 10.0},
                   {"In->E.rules.0.tau_plus,In->E.rules.0.tau_minus": 30.0}]
    rule = circuits[1].projection("In->E").rules[0]
    assert rule.params["tau_plus"] == rule.params["tau_minus"] == 30.0
    with pytest.raises(SweepError) as err:  # each parameter checks the value
        expand(tiny(), {"In.rate_hz,In->E.connectivity.p": [0.5, 2.0]})
    assert str(err.value) == "--param In.rate_hz,In->E.connectivity.p=2: p must be <= 1"


def test_zip_pairs_lists_and_needs_equal_lengths():
    axes, pts, _ = expand(tiny(), {"In.rate_hz": [5, 10], "In->E.rules.0.lam": [0.01, 0.02]}, zipped=True)
    assert pts == [{"In.rate_hz": 5.0, "In->E.rules.0.lam": 0.01}, {"In.rate_hz": 10.0, "In->E.rules.0.lam": 0.02}]
    _, pts, _ = expand(tiny(), {"In.rate_hz": [5, 10], "In->E.rules.0.lam": [0.01, 0.02]})
    assert len(pts) == 4
    with pytest.raises(SweepError):
        expand(tiny(), {"In.rate_hz": [5, 10, 20], "In->E.rules.0.lam": [0.01, 0.02]}, zipped=True)
    with pytest.raises(SweepError):
        parse_param_args(["In.rate_hz"])
