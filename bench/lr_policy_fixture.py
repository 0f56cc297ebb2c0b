#!/usr/bin/python3
"""Learning rates of the reference trainer (SlowFast's slowfast/utils/lr_policy.py with ml-spin's
onecycle patch), written out from its definitions, at many fractional epochs for a set of SOLVER
configs: the fixture LrScheduleFixtureTest compares our schedules against.

    /usr/bin/python3 bench/lr_policy_fixture.py src/test/resources/fixtures/solver/lr_policy.json

The reference's rules, as its code applies them:
  - the policy gives lr(t); during warm-up (t < WARMUP_EPOCHS) a line from WARMUP_START_LR at 0 to
    the policy's value at WARMUP_EPOCHS replaces it, whatever the policy;
  - onecycle: numpy.interp through (0, 0), (T*2//5, base), (T*4//5, base/20), (T, 0);
  - cosine: END + (BASE - END) * (cos(pi * (t - o) / (T - o)) + 1) / 2, o = WARMUP_EPOCHS if
    COSINE_AFTER_WARMUP else 0;
  - steps_with_relative_lrs: BASE * LRS[i], i the last index with STEPS[i] <= t (MAX_EPOCH closes the list);
  - BASE_LR_SCALE_NUM_SHARDS multiplies BASE_LR, WARMUP_START_LR and COSINE_END_LR by NUM_SHARDS first."""
import json
import math
import sys

import numpy as np


def policy_value(s, t):
    name = s["LR_POLICY"]
    if name == "onecycle":
        T = s["MAX_EPOCH"]
        return float(np.interp([t], [0, T * 2 // 5, T * 4 // 5, T], [0, s["BASE_LR"], s["BASE_LR"] / 20.0, 0])[0])
    if name == "cosine":
        o = s["WARMUP_EPOCHS"] if s["COSINE_AFTER_WARMUP"] else 0.0
        assert s["COSINE_END_LR"] < s["BASE_LR"]
        return s["COSINE_END_LR"] + (s["BASE_LR"] - s["COSINE_END_LR"]) * (
            math.cos(math.pi * (t - o) / (s["MAX_EPOCH"] - o)) + 1.0) * 0.5
    if name == "steps_with_relative_lrs":
        bounds = list(s["STEPS"]) + [s["MAX_EPOCH"]]
        i = 0
        while i < len(bounds) and not t < bounds[i]:
            i += 1
        return s["LRS"][i - 1] * s["BASE_LR"]
    raise ValueError(name)


def lr(s, t):
    if t < s["WARMUP_EPOCHS"]:
        end = policy_value(s, s["WARMUP_EPOCHS"])
        return s["WARMUP_START_LR"] + t * (end - s["WARMUP_START_LR"]) / s["WARMUP_EPOCHS"]
    return policy_value(s, t)


def solver(**kw):
    s = {"BASE_LR": 0.01, "LR_POLICY": "onecycle", "MAX_EPOCH": 300, "WARMUP_EPOCHS": 0.0, "WARMUP_START_LR": 0.01,
         "COSINE_END_LR": 0.0, "COSINE_AFTER_WARMUP": False, "STEPS": [], "LRS": [],
         "BASE_LR_SCALE_NUM_SHARDS": False, "NUM_SHARDS": 1}
    s.update(kw)
    return s


cases = {
    "reference ConvMixer (onecycle, 300 epochs)": solver(),
    "onecycle with a 2.5-epoch warm-up from 0": solver(MAX_EPOCH=20, WARMUP_EPOCHS=2.5, WARMUP_START_LR=0.0),
    "DeiT: cosine 5e-4 to 1e-5, 5 warm-up epochs from 1e-6": solver(
        LR_POLICY="cosine", BASE_LR=5e-4, COSINE_END_LR=1e-5, WARMUP_EPOCHS=5.0, WARMUP_START_LR=1e-6),
    "cosine after the warm-up": solver(LR_POLICY="cosine", BASE_LR=4e-3, COSINE_END_LR=1e-6, MAX_EPOCH=300,
                                       WARMUP_EPOCHS=50.0, WARMUP_START_LR=0.0, COSINE_AFTER_WARMUP=True),
    "cosine to 0, no warm-up": solver(LR_POLICY="cosine", BASE_LR=0.1, MAX_EPOCH=90),
    "steps with relative lrs and a warm-up from SlowFast's 0.01": solver(
        LR_POLICY="steps_with_relative_lrs", BASE_LR=0.1, MAX_EPOCH=196, STEPS=[0, 94, 154, 196 - 20],
        LRS=[1, 0.1, 0.01, 0.001], WARMUP_EPOCHS=34.0),
    "shards scale base, warm-up start and cosine end": solver(
        LR_POLICY="cosine", BASE_LR=1e-4, COSINE_END_LR=1e-6, WARMUP_EPOCHS=3.0, WARMUP_START_LR=1e-7,
        BASE_LR_SCALE_NUM_SHARDS=True, NUM_SHARDS=4, MAX_EPOCH=30),
}
out = []
for name, s in cases.items():
    scaled = dict(s)
    if s["BASE_LR_SCALE_NUM_SHARDS"]:
        for k in ("BASE_LR", "WARMUP_START_LR", "COSINE_END_LR"):
            scaled[k] = s[k] * s["NUM_SHARDS"]
    T = s["MAX_EPOCH"]
    # an even grid, the step boundaries of a 37-step epoch near the start, and every breakpoint
    ts = {round(T * i / 199, 9) for i in range(199)}
    ts |= {round(j / 37, 9) for j in range(0, 3 * 37)}
    ts |= {float(b) for b in (s["WARMUP_EPOCHS"], T * 2 // 5, T * 4 // 5, *s["STEPS"]) if b < T}
    ts = sorted(t for t in ts if 0 <= t < T)
    out.append({"name": name, "solver": s, "points": [[t, lr(scaled, t)] for t in ts]})
with open(sys.argv[1], "w") as fh:
    json.dump({"generator": "bench/lr_policy_fixture.py (the reference's lr_policy rules)", "cases": out}, fh, indent=None)
print(sum(len(c["points"]) for c in out), "points in", len(out), "cases")
