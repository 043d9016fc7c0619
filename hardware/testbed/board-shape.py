#!/usr/bin/env python3
"""Prints a board file's GPIO lines as shell assignments for the testbed guest.

The gpio-sim bank is shaped like the board's chip: its label is the board file's
`gpio.label`, its line count comes from the table below (as the Pi kernels report
it), its line names are the kernel's for that chip ("GPIO17" on a Raspberry Pi). A
decoy bank with another label goes live first, so the board's chip is not gpiochip0
and the firmware must find it by label (as on a Pi 5 before 6.6.45, where gpiochip0
is the SoC's 32-line bank and the header is gpiochip4). Only the flow mappings the
shipped boards use are read:
`role: { line: N, key: value, ... }` under `outputs:` and `inputs:`, and the top-level
`driverFault: { line: N, faultLevel: low|high, ... }`.
"""
import re
import sys

# Chip shapes by label: (line count, the decoy's label and line count), as the Pi
# kernels report them.
SHAPES = {
    # bookworm/trixie: gpiochip0 [pinctrl-bcm2711] 58 lines, gpiochip1 [raspberrypi-exp-gpio] 8
    "pinctrl-bcm2711": (58, "raspberrypi-exp-gpio", 8),
    # before 6.6.45: gpiochip0 [gpio-brcmstb@107d508500] 32 lines … gpiochip4 [pinctrl-rp1] 54
    "pinctrl-rp1": (54, "gpio-brcmstb@107d508500", 32),
}

path = sys.argv[1]
name = path.rsplit("/", 1)[-1].removesuffix(".yaml")
text = open(path).read()
label = re.search(r"^gpio:\n(?:\s+.*\n)*?\s+label:\s*(\S+)", text, re.M)
if label is None:
    sys.exit(f"board-shape: {path}: no gpio.label")
shape = SHAPES.get(label.group(1))
if shape is None:
    sys.exit(f"board-shape: no chip shape for label {label.group(1)} (add it to SHAPES)")
section = None
values = {"BOARD": name, "LABEL": label.group(1), "LINES": str(shape[0]),
          "DECOY_LABEL": shape[1], "DECOY_LINES": str(shape[2])}
keys = {("outputs", "step"): "STEP", ("outputs", "direction"): "DIR", ("outputs", "enable"): "ENABLE",
        ("outputs", "buzzer"): "BUZZER", ("outputs", "chargePump"): "CHGPUMP", ("inputs", "eStop"): "ESTOP", ("inputs", "enable"): "PEDAL",
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
missing = [k for k in keys.values() if k not in values and k not in ("BUZZER", "CHGPUMP")]
if missing:
    sys.exit(f"board-shape: {path}: no line for {', '.join(missing)}")
values["POSITION"] = "1" if re.search(r"^position:", open(path).read(), re.M) else "0"
for k, v in values.items():
    print(f"{k}='{v}'")
