#!/usr/bin/python3
# The Grafana dashboard (data/grafana/cryomon-dashboard.json) asks only for
# metrics the endpoint serves (the names written in src/app/cryo-metrics.c),
# plots pressure on a log axis and temperature on a linear one in kelvin,
# and its queries are PromQL that promtool accepts (as recording rules).
import json
import os
import re
import subprocess
import sys
import tempfile

root = sys.argv[1]
with open(os.path.join(root, "data", "grafana", "cryomon-dashboard.json")) as f:
    dashboard = json.load(f)
with open(os.path.join(root, "src", "app", "cryo-metrics.c")) as f:
    served = set(re.findall(r'"(cryomon_[a-z_]+)"', f.read()))

failures = []
exprs = []
panels = {panel["title"]: panel for panel in dashboard["panels"]}
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        exprs.append(target["expr"])
for variable in dashboard["templating"]["list"]:
    if variable["type"] == "query":
        exprs.append(re.sub(r"^label_values\((.*), *[a-z_]+\)$", r"\1", variable["definition"]))

for expr in exprs:
    for name in re.findall(r"\bcryomon_[a-z_]+", expr):
        if name not in served:
            failures.append("%s is not a metric Cryomon serves (in %s)" % (name, expr))

pressure = panels["Pressure"]
if pressure["fieldConfig"]["defaults"]["custom"]["scaleDistribution"] != {"type": "log", "log": 10}:
    failures.append("the Pressure panel's axis is not log 10")
if "cryomon_pressure_pascals" not in pressure["targets"][0]["expr"]:
    failures.append("the Pressure panel does not plot cryomon_pressure_pascals")
temperature = panels["Temperature"]
if temperature["fieldConfig"]["defaults"]["unit"] != "kelvin" or \
   "cryomon_temperature_kelvin" not in temperature["targets"][0]["expr"]:
    failures.append("the Temperature panel is not cryomon_temperature_kelvin in kelvin")

promtool = None
for folder in os.environ.get("PATH", "").split(os.pathsep):
    if os.access(os.path.join(folder, "promtool"), os.X_OK):
        promtool = os.path.join(folder, "promtool")
        break
if promtool is None:
    print("promtool is not installed (Debian package prometheus): PromQL not checked")
else:
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as rules:
        rules.write("groups:\n  - name: dashboard\n    rules:\n")
        for i, expr in enumerate(exprs):
            concrete = expr.replace("$instance", ".*").replace("$device", ".*")
            rules.write("      - record: dashboard:query%d\n        expr: %s\n" % (i, json.dumps(concrete)))
        rules.flush()
        result = subprocess.run([promtool, "check", "rules", rules.name], capture_output=True, text=True)
        if result.returncode != 0:
            failures.append("promtool: " + result.stdout + result.stderr)

for failure in failures:
    print(failure)
print("%d queries checked" % len(exprs))
sys.exit(1 if failures else 0)
