"""Adds to golden.jsonl what Python Jinja renders, configured as transformers' apply_chat_template configures it
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, tojson = json.dumps(ensure_ascii=False),
raise_exception, strftime_now at the fixed clock 2026-01-05T09:07:00Z). Run after make_golden.mjs:

    python3 make_golden_py.py [DIR]      # needs jinja2 (3.1.x); rewrites DIR/golden.jsonl with expected_py/error_py

ChatTemplateGoldenTest checks the Java renderer against the JavaScript reference; where Python and JavaScript
disagree, it checks that the case is one of the documented divergences and that Java gives Python's text.
"""
import json, os, sys
from datetime import datetime, timezone
import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
templates = json.load(open(os.path.join(here, "templates.json"), encoding="utf-8"))

def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

def strftime_now(fmt):
    return datetime(2026, 1, 5, 9, 7, 0, tzinfo=timezone.utc).strftime(fmt)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now

path = os.path.join(here, "golden.jsonl")
out = []
for line in open(path, encoding="utf-8"):
    if not line.strip():
        continue
    rec = json.loads(line)
    rec.pop("expected_py", None); rec.pop("error_py", None)
    t = templates[rec["template"]]
    variables = dict(t["special_tokens"])
    variables.update(messages=rec["messages"], add_generation_prompt=rec["add_generation_prompt"])
    if "tools" in rec:
        variables["tools"] = rec["tools"]
    variables.update(rec.get("variables", {}))
    try:
        rec["expected_py"] = env.from_string(t["template"]).render(**variables)
    except Exception as e:
        rec["error_py"] = str(e)
    out.append(json.dumps(rec, ensure_ascii=False))
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
diff = [json.loads(l) for l in out]
diff = [r for r in diff if (r.get("expected"), r.get("error")) != (r.get("expected_py"), r.get("error_py"))]
print(f"wrote {path}: {len(out)} cases, {len(diff)} where Python and JavaScript differ")
for r in diff:
    print("  ", r["template"], r["case"])
