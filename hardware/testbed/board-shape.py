#!/usr/bin/env python3
"""Prints a board file's GPIO lines as shell assignments for the testbed guest.

The gpio-sim bank is shaped like the board's chip: its label and line count come from
the table below (the board file names the chip by number only; a `gpio.label` key
would let the board file say it), its line names are the kernel's for that chip
("GPIO17" on a Raspberry Pi). Only the flow mappings the shipped boards use are read:
`role: { line: N, key: value, ... }` under `outputs:` and `inputs:`, and the top-level
`driverFault: { line: N, faultLevel: low|high, ... }`.
"""
import re
import sys

# Chip shapes by board-file prefix: (label, line count) as the Pi kernels report them.
SHAPES = {
    "rpi4": ("pinctrl-bcm2711", 58),  # bookworm/trixie kernels: gpiochip0 [pinctrl-bcm2711] 58 lines
    "rpi5": ("pinctrl-rp1", 54),
}

path = sys.argv[1]
name = path.rsplit("/", 1)[-1].removesuffix(".yaml")
shape = next((v for k, v in SHAPES.items() if name.startswith(k)), None)
if shape is None:
    sys.exit(f"board-shape: no chip shape for {name} (add its prefix to SHAPES)")
section = None
values = {"BOARD": name, "LABEL": shape[0], "LINES": str(shape[1])}
keys = {("outputs", "step"): "STEP", ("outputs", "direction"): "DIR", ("outputs", "enable"): "ENABLE",
        ("outputs", "buzzer"): "BUZZER", ("inputs", "eStop"): "ESTOP", ("inputs", "enable"): "PEDAL",
        ("inputs", "posteriorQuarterStop"): "PQSTOP", ("inputs", "leakSeenStop"): "LEAKSTOP",
        ("inputs", "forwardEndOfTravel"): "FWDEND", ("inputs", "rearEndOfTravel"): "REAREND",
        ("inputs", "localReset"): "RESET"}
for raw in open(path):
    line = raw.split("#", 1)[0].rstrip()
    fault = re.match(r"^driverFault:\s*\{(.*)\}", line)
    if fault:
        fields = {k.strip(): v.strip() for k, v in (kv.split(":", 1) for kv in fault.group(1).split(",") if ":" in kv)}
        values["DRVFAULT"] = fields["line"]
        values["DRVFAULT_LEVEL"] = "1" if fields["faultLevel"] == "high" else "0"
        continue
    top = re.match(r"^(\w+):", line)
    if top:
        section = top.group(1)
        continue
    m = re.match(r"^\s+(\w+):\s*\{(.*)\}", line)
    if not m or (section, m.group(1)) not in keys:
        continue
    fields = dict(kv.split(":", 1) for kv in m.group(2).split(",") if ":" in kv)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    key = keys[(section, m.group(1))]
    values[key] = fields["line"]
    if key == "DIR":
        values["FORWARD_LEVEL"] = "1" if fields.get("forwardLevel", "high") == "high" else "0"
    if key == "ENABLE":
        values["ENABLE_DISABLED"] = "0" if fields.get("polarity", "activeLow") == "activeHigh" else "1"
missing = [k for k in keys.values() if k not in values and k != "BUZZER"]
if missing:
    sys.exit(f"board-shape: {path}: no line for {', '.join(missing)}")
values["POSITION"] = "1" if re.search(r"^position:", open(path).read(), re.M) else "0"
for k, v in values.items():
    print(f"{k}='{v}'")
