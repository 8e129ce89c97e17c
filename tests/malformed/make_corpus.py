"""Regenerate the malformed-circuit corpus: ``python tests/malformed/make_corpus.py``.

Each file is a small valid circuit with exactly one thing wrong (or not JSON at all); its name
says what. ``expected.json`` maps each file to a substring its error message must contain,
usually the JSON path of the problem. The files are committed; this script only documents how
they were made and makes adding a case easy.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def base() -> dict:
    """A small valid circuit touching every section (params left to their defaults)."""
    return {
        "format": "synaptica-circuit",
        "version": 1,
        "name": "malformed_base",
        "settings": {"dt_ms": 0.1, "seed": 1, "duration_s": 1.0},
        "regions": [
            {"name": "E", "model": "lif", "size": 8, "role": "excitatory", "params": {"tau_m": 20.0}},
            {"name": "I", "model": "lif", "size": 4, "role": "inhibitory"},
            {"name": "Input", "model": "poisson", "size": 4, "role": "excitatory", "params": {"rate_hz": 5.0}},
            {"name": "DA", "model": "modulator", "size": 1, "role": "modulatory"},
        ],
        "projections": [
            {"name": "E->I", "source": "E", "target": "I", "synapse": "excitatory",
             "connectivity": {"kind": "fixed_probability", "params": {"p": 0.5}},
             "weights": {"kind": "uniform", "params": {"low": 0.1, "high": 0.5}}},
            {"name": "I->E", "source": "I", "target": "E", "synapse": "inhibitory",
             "connectivity": {"kind": "all_to_all"}, "weights": {"kind": "constant"}},
            {"name": "Input->E", "source": "Input", "target": "E", "synapse": "excitatory",
             "connectivity": {"kind": "one_to_one"}, "weights": {"kind": "constant", "params": {"value": 0.5}},
             "delay": {"kind": "constant", "params": {"value_ms": 1.0}},
             "rules": [{"kind": "stdp_pair", "enabled": True}]},
        ],
        "protocol": [{"time_s": 0.5, "action": "set", "target": "Input", "param": "rate_hz", "value": 0.0}],
        "expect": [{"metric": "rate_hz", "target": "E", "min": 0.0, "max": 100.0}],
        "layout": {"E": [0.0, 0.0], "I": [100.0, 0.0]},
    }


def mutate(fn) -> dict:
    d = copy.deepcopy(base())
    fn(d)
    return d


def text(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


R0 = "$.regions[0]"
P0 = "$.projections[0]"

# name -> (content: dict (mutated base) | str | bytes, expected substring)
CASES: dict[str, tuple[object, str]] = {
    # -- not a JSON object at all
    "not_json.json": ("this is not JSON, it is prose.\n", "not valid JSON"),
    "truncated.json": (text(base())[:300], "truncated"),
    "empty.json": ("", "empty"),
    "whitespace_only.json": ("  \n\t\n", "empty"),
    "binary_garbage.json": (bytes(range(128, 256)) * 2 + b"\x00\xff\xfe", "UTF-8"),
    "array_toplevel.json": ("[1, 2, 3]\n", "array"),
    "null_toplevel.json": ("null\n", "null"),
    "nan_value.json": (text(base()).replace('"tau_m": 20.0', '"tau_m": NaN'), "$.regions[0].params.tau_m"),
    "infinity_value.json": (text(base()).replace('"tau_m": 20.0', '"tau_m": Infinity'), "$.regions[0].params.tau_m"),
    "overflowing_float.json": (text(base()).replace('"tau_m": 20.0', '"tau_m": 1e999'), "$.regions[0].params.tau_m"),
    "huge_integer.json": (text(base()).replace('"size": 8', '"size": 1' + "0" * 5000), "$.regions[0].size"),
    "duplicate_key.json": (text(base()).replace('"size": 8,', '"size": 8, "size": 9,'), "$.regions[0].size"),
    "deep_nesting.json": ('{"format": "synaptica-circuit", "version": 1, "name": "x", "regions": [], '
                          '"projections": [], "view": ' + '{"a": ' * 100 + "1" + "}" * 100 + "}\n", "nested"),
    "lone_surrogate.json": (text(mutate(lambda d: d.update(title="PLACEHOLDER"))).replace("PLACEHOLDER", "\\ud800"),
                            "$.title"),
    # -- format and version
    "wrong_format_name.json": (mutate(lambda d: d.update(format="synaptica-project")), "$.format"),
    "missing_format.json": (mutate(lambda d: d.pop("format")), "format"),
    "newer_version.json": (mutate(lambda d: d.update(version=2)), "newer"),
    "negative_version.json": (mutate(lambda d: d.update(version=-1)), "$.version"),
    "version_string.json": (mutate(lambda d: d.update(version="1")), "$.version"),
    "v0_region_not_object.json": (mutate(lambda d: d.update(version=0, regions={"E": 5}, projections={})),
                                  "$.regions.E"),
    # -- structure (schema)
    "missing_regions.json": (mutate(lambda d: d.pop("regions")), "'regions'"),
    "regions_not_array.json": (mutate(lambda d: d.update(regions={"name": "E"})), "$.regions"),
    "unknown_field.json": (mutate(lambda d: d.update(colour="blue")), "'colour'"),
    "unknown_param.json": (mutate(lambda d: d["regions"][0]["params"].update(tau_x=1.0)), "$.regions[0].params"),
    "empty_name.json": (mutate(lambda d: d.update(name="")), "$.name"),
    "bad_region_name.json": (mutate(lambda d: d["regions"][0].update(name="E/bad!")), "$.regions[0].name"),
    "wrong_type_size.json": (mutate(lambda d: d["regions"][0].update(size="8")), "$.regions[0].size"),
    "size_zero.json": (mutate(lambda d: d["regions"][0].update(size=0)), "$.regions[0].size"),
    "fractional_size.json": (mutate(lambda d: d["regions"][0].update(size=2.5)), "$.regions[0].size"),
    "bad_neuron_model.json": (mutate(lambda d: d["regions"][0].update(model="hodgkin_huxley_9000")),
                              "$.regions[0].model"),
    "negative_tau.json": (mutate(lambda d: d["regions"][0]["params"].update(tau_m=-5.0)), "$.regions[0].params.tau_m"),
    "probability_above_one.json": (mutate(lambda d: d["projections"][0]["connectivity"]["params"].update(p=1.5)),
                                   "$.projections[0].connectivity.params.p"),
    "bad_synapse_type.json": (mutate(lambda d: d["projections"][0].update(synapse="electrical")),
                              "$.projections[0].synapse"),
    "bad_rule_kind.json": (mutate(lambda d: d["projections"][2]["rules"][0].update(kind="magic_learning")),
                           "$.projections[2].rules[0].kind"),
    "delay_too_long.json": (mutate(lambda d: d["projections"][2]["delay"]["params"].update(value_ms=5000.0)),
                            "$.projections[2].delay.params.value_ms"),
    "dt_zero.json": (mutate(lambda d: d["settings"].update(dt_ms=0)), "$.settings.dt_ms"),
    "seed_fraction.json": (mutate(lambda d: d["settings"].update(seed=1.5)), "$.settings.seed"),
    "negative_event_time.json": (mutate(lambda d: d["protocol"][0].update(time_s=-1.0)), "$.protocol[0].time_s"),
    "bad_event_action.json": (mutate(lambda d: d["protocol"][0].update(action="explode")), "$.protocol[0].action"),
    "layout_wrong_length.json": (mutate(lambda d: d["layout"].update(E=[1.0, 2.0, 3.0])), "$.layout.E"),
    # -- semantics (validate.py)
    "dangling_projection_target.json": (mutate(lambda d: d["projections"][0].update(target="Nowhere")),
                                        "$.projections[0].target"),
    "dangling_projection_source.json": (mutate(lambda d: d["projections"][0].update(source="Nowhere")),
                                        "$.projections[0].source"),
    "duplicate_region_name.json": (mutate(lambda d: d["regions"][1].update(name="E")), "$.regions[1].name"),
    "projection_name_clashes_region.json": (mutate(lambda d: d["projections"][0].update(name="I")),
                                            "$.projections[0].name"),
    "dale_violation.json": (mutate(lambda d: d["projections"][1].update(synapse="excitatory")),
                            "$.projections[1].synapse"),
    "bad_role_for_model.json": (mutate(lambda d: d["regions"][3].update(role="excitatory")), "$.regions[3].role"),
    "synapse_onto_modulator.json": (mutate(lambda d: d["projections"][0].update(target="DA")),
                                    "$.projections[0].target"),
    "rule_not_applicable.json": (mutate(lambda d: d["projections"].append(
        {"name": "DA->E", "source": "DA", "target": "E", "synapse": "modulatory",
         "connectivity": {"kind": "all_to_all"}, "weights": {"kind": "constant"},
         "rules": [{"kind": "stdp_pair"}]})), "$.projections[3].rules[0].kind"),
    "v_reset_above_threshold.json": (mutate(lambda d: d["regions"][0]["params"].update(v_reset=-40.0, v_th=-50.0)),
                                     "$.regions[0].params.v_reset"),
    "v_init_low_above_high.json": (mutate(lambda d: d["regions"][0]["params"].update(v_init_low=-40.0,
                                                                                    v_init_high=-55.0)),
                                   "$.regions[0].params.v_init_low"),
    "uniform_low_above_high.json": (mutate(lambda d: d["projections"][0]["weights"]["params"].update(low=2.0)),
                                    "$.projections[0].weights.params.low"),
    "modulator_follow_unknown.json": (mutate(lambda d: d["regions"][3].update(params={"follow": "Ghost"})),
                                      "$.regions[3].params.follow"),
    "too_large_for_memory.json": (mutate(lambda d: (d["regions"][0].update(size=10**6), d["regions"][1].update(size=10**6),
                                                    d["projections"][0].update(connectivity={"kind": "all_to_all"}))),
                                  "too large"),
    "bad_event_target.json": (mutate(lambda d: d["protocol"][0].update(target="Nowhere")), "$.protocol[0].target"),
    "bad_set_param.json": (mutate(lambda d: d["protocol"][0].update(param="tau_m")), "$.protocol[0].param"),
    "bad_set_rule_index.json": (mutate(lambda d: d["protocol"].__setitem__(0, {
        "time_s": 0.1, "action": "set", "target": "Input->E", "param": "rules.\u00b2.lam", "value": 0.1})),
        "$.protocol[0].param"),
    "set_value_out_of_range.json": (mutate(lambda d: d["protocol"][0].update(value=-3.0)), "$.protocol[0].value"),
    "reward_non_modulatory.json": (mutate(lambda d: d["protocol"][0].update(action="reward", target="E")),
                                   "$.protocol[0].target"),
    "expect_unknown_target.json": (mutate(lambda d: d["expect"][0].update(target="Nowhere")), "$.expect[0].target"),
    "expect_min_above_max.json": (mutate(lambda d: d["expect"][0].update(min=5.0, max=1.0)), "$.expect[0]"),
    "layout_unknown_region.json": (mutate(lambda d: d["layout"].update({"Ghost region": [0.0, 0.0]})),
                                   "$.layout['Ghost region']"),
    # -- accepted once, then failed at run time: derived quantities (simcore/derived.py)
    "t_ref_overflow.json": (mutate(lambda d: d["regions"][0]["params"].update(t_ref=1e308)),
                            "$.regions[0].params.t_ref"),
    "t_ref_beyond_step_count.json": (mutate(lambda d: d["regions"][0]["params"].update(t_ref=1e19)),
                                     "$.regions[0].params.t_ref"),
    "dt_denormal.json": (mutate(lambda d: d["settings"].update(dt_ms=1e-320)), "$.regions[0].params.t_ref"),
    "dt_tiny_voltage_history.json": (mutate(lambda d: d["settings"].update(dt_ms=1e-6)), "$.settings.dt_ms"),
    "event_time_beyond_step_count.json": (mutate(lambda d: d["protocol"][0].update(time_s=1e306)),
                                          "$.protocol[0].time_s"),
    "rate_history_too_large.json": (mutate(lambda d: d.update(recording={"history_s": 1e5, "rate_bin_ms": 0.1})),
                                    "$.recording.history_s"),
    "long_delay_ring_buffer_too_large.json": (mutate(lambda d: (
        d["settings"].update(dt_ms=0.01), d["regions"][0].update(size=100000), d["regions"][2].update(size=100000),
        d["projections"][2]["delay"]["params"].update(value_ms=1000.0))), "$.projections[2].delay.params.value_ms"),
    "duration_shorter_than_dt.json": (mutate(lambda d: d["settings"].update(duration_s=1e-9)),
                                      "$.settings.duration_s"),
    "duration_beyond_step_count.json": (mutate(lambda d: d["settings"].update(duration_s=1e300)),
                                        "$.settings.duration_s"),
    "stats_chunk_too_large.json": (mutate(lambda d: (d["settings"].update(dt_ms=1e-4),
                                                     d.update(recording={"stats_every_ms": 1e6}))),
                                   "$.recording.stats_every_ms"),
    "protocol_index_5000_digits.json": (mutate(lambda d: d["protocol"].__setitem__(0, {
        "time_s": 0.1, "action": "set", "target": "Input->E", "param": "rules." + "9" * 5000 + ".a_plus",
        "value": 0.1})), "$.protocol[0].param"),
    # -- numbers the engine cannot represent
    "weight_beyond_float32.json": (mutate(lambda d: d["projections"][1]["weights"].update(params={"value": 1e39})),
                                   "$.projections[1].weights.params.value"),
    "weight_near_float32_limit.json": (mutate(lambda d: d["projections"][1]["weights"].update(params={"value": 3e38})),
                                       "$.projections[1].weights.params.value"),
    "rule_bound_near_float32_limit.json": (mutate(lambda d: d["projections"][2]["rules"][0].update(
        params={"w_max": 3e38})), "$.projections[2].rules[0].params.w_max"),
    "uniform_weight_beyond_float32.json": (mutate(lambda d: d["projections"][0]["weights"]["params"].update(high=1e300)),
                                           "$.projections[0].weights.params.high"),
    "lognormal_tail_beyond_float32.json": (mutate(lambda d: d["projections"][0].update(
        weights={"kind": "lognormal", "params": {"mean": 1e36, "cv": 20.0}})), "$.projections[0].weights.params.mean"),
    "rule_bound_beyond_float32.json": (mutate(lambda d: d["projections"][2]["rules"][0].update(params={"w_max": 1e39})),
                                       "$.projections[2].rules[0].params.w_max"),
    "poisson_faster_than_dt.json": (mutate(lambda d: (d["settings"].update(dt_ms=1.0),
                                                      d["regions"][2]["params"].update(rate_hz=10000.0))),
                                    "$.regions[2].params.rate_hz"),
    "pattern_too_many_steps.json": (mutate(lambda d: (d["settings"].update(dt_ms=0.0001), d["regions"][2].update(
        model="pattern", params={"pattern_ms": 10000.0}))), "$.regions[2].params.pattern_ms"),
    # -- what each kind declares it needs and constrains (params.py: Ordered, Check, needs, accepts)
    "adex_reset_above_peak.json": (mutate(lambda d: d["regions"][0].update(model="adex", params={"v_reset": 10.0})),
                                   "$.regions[0].params.v_reset"),
    "lif_reset_equal_threshold.json": (mutate(lambda d: d["regions"][0]["params"].update(v_reset=-50.0, v_th=-50.0)),
                                       "$.regions[0].params.v_reset"),
    "delay_low_above_high.json": (mutate(lambda d: d["projections"][2].update(
        delay={"kind": "uniform", "params": {"low_ms": 5.0, "high_ms": 1.0}})), "$.projections[2].delay.params.low_ms"),
    "reward_stdp_lif_modulator.json": (mutate(lambda d: d["projections"][2]["rules"].__setitem__(0, {
        "kind": "reward_stdp", "params": {"modulator": "I"}})), "$.projections[2].rules[0].params.modulator"),
    "stdp_onto_rate_region.json": (mutate(lambda d: (d["regions"].append(
        {"name": "R", "model": "rate", "size": 4, "role": "excitatory"}), d["projections"].append(
        {"name": "Input->R", "source": "Input", "target": "R", "synapse": "excitatory",
         "connectivity": {"kind": "all_to_all"}, "weights": {"kind": "constant"},
         "rules": [{"kind": "stdp_pair"}]}))), "$.projections[3].rules[0].kind"),
    "scaling_onto_rate_region.json": (mutate(lambda d: (d["regions"].append(
        {"name": "R", "model": "rate", "size": 4, "role": "excitatory"}), d["projections"].append(
        {"name": "Input->R", "source": "Input", "target": "R", "synapse": "excitatory",
         "connectivity": {"kind": "all_to_all"}, "weights": {"kind": "constant"},
         "rules": [{"kind": "scaling"}]}))), "$.projections[3].rules[0].kind"),
    "modulator_follows_rate_region.json": (mutate(lambda d: (d["regions"].append(
        {"name": "R", "model": "rate", "size": 4, "role": "excitatory"}), d["regions"][3].update(
        params={"follow": "R"}))), "$.regions[3].params.follow"),
    "set_event_breaks_reset_below_threshold.json": (mutate(lambda d: d["protocol"].__setitem__(0, {
        "time_s": 0.2, "action": "set", "target": "E", "param": "v_reset", "value": -40.0})), "$.protocol[0].value"),
    "set_event_poisson_faster_than_dt.json": (mutate(lambda d: (d["settings"].update(dt_ms=0.5),
                                                                d["protocol"][0].update(value=10000.0))),
                                              "$.protocol[0].value"),
    "set_event_modulator_to_lif.json": (mutate(lambda d: (d["projections"][2]["rules"].__setitem__(0, {
        "kind": "reward_stdp", "params": {"modulator": "DA"}}), d["protocol"].__setitem__(0, {
            "time_s": 0.2, "action": "set", "target": "Input->E", "param": "rules.0.modulator", "value": "E"}))),
        "$.protocol[0].value"),
    "lif_initial_range_overflows.json": (mutate(lambda d: d["regions"][0]["params"].update(
        v_init_low=-1e308, v_init_high=1e308, v_th=1e308)), "$.regions[0].params.v_init_high"),
    "set_event_on_fixed_param.json": (mutate(lambda d: d["protocol"].__setitem__(0, {
        "time_s": 0.1, "action": "set", "target": "E", "param": "synapses", "value": "conductance"})),
        "$.protocol[0].param"),
    "claim_on_projection_without_synapses.json": (mutate(lambda d: (
        d["projections"][0]["connectivity"].update(params={"p": 0.0}),
        d["expect"].append({"metric": "w_mean", "target": "E->I"}))), "$.expect[1].target"),
    # -- claims on windows the recorders do not keep
    "claim_window_outside_history.json": (mutate(lambda d: (d["settings"].update(duration_s=100.0),
                                                            d.update(recording={"history_s": 10.0}),
                                                            d["expect"][0].update(from_s=0.0, to_s=1.0))),
                                          "$.expect[0].from_s"),
    "claim_window_after_run.json": (mutate(lambda d: d["expect"][0].update(from_s=0.5, to_s=5.0)),
                                    "$.expect[0].to_s"),
}


def main() -> None:
    for old in HERE.glob("*.json"):
        if old.name != "expected.json":
            old.unlink()
    for name, (content, _) in CASES.items():
        path = HERE / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(text(content), encoding="utf-8")
    expected = {name: sub for name, (_, sub) in sorted(CASES.items())}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} malformed circuits")


if __name__ == "__main__":
    main()
