// Golden renderings for ChatTemplateGoldenTest from the Hugging Face JavaScript reference (@huggingface/jinja):
// every template of templates.json (real chat_template strings + their special tokens) renders every conversation
// below; golden.jsonl gets one line per (template, case) with the expected text or the expected error.
//
//   npm install && TZ=UTC node make_golden.mjs [DIR]     # DIR: where templates.json is and golden.jsonl goes
//                                                         # (default: beside this file)
// The clock is fixed at 2026-01-05T09:07:00Z so strftime_now is stable; the Java test uses the same instant.
// make_golden_py.py then adds what Python Jinja (as transformers configures it) renders, for the cross-check.
import { Template } from "@huggingface/jinja";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const FIXED = Date.UTC(2026, 0, 5, 9, 7, 0);
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(FIXED); else super(...a); }
  static now() { return FIXED; }
};

const dir = process.argv[2] ?? path.dirname(fileURLToPath(import.meta.url));
const templates = JSON.parse(fs.readFileSync(path.join(dir, "templates.json"), "utf8"));

const sys = (content) => ({ role: "system", content });
const user = (content) => ({ role: "user", content });
const asst = (content) => ({ role: "assistant", content });
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name, e.g. Zürich" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
    },
  },
};
const toolCall = (args) => ({ role: "assistant", content: "", tool_calls: [{ type: "function", id: "call12345", function: { name: "get_weather", arguments: args } }] });
const toolResult = { role: "tool", content: "{\"temperature\": 18, \"unit\": \"celsius\"}", name: "get_weather", tool_call_id: "call12345" };

// [name, messages, options]; options: add_generation_prompt, tools, variables, only (template names)
const cases = [
  ["system_user", [sys("You are a helpful assistant."), user("Hello! How are you?")], { add_generation_prompt: true }],
  ["system_user_no_prompt", [sys("You are a helpful assistant."), user("Hello! How are you?")], { add_generation_prompt: false }],
  ["user_only", [user("What is 2+2?")], { add_generation_prompt: true }],
  ["multi_turn", [sys("Be brief."), user("Hi"), asst("Hello! How can I help?"), user("Tell me a joke.")], { add_generation_prompt: true }],
  ["multi_turn_ends_assistant", [user("Hi"), asst("Hello!"), user("Name a color."), asst("Blue.")], { add_generation_prompt: false }],
  ["unicode", [user("Grüß Gott! 你好，世界 🌍 مرحبا \"quoted\" back\\slash"), asst("こんにちは 😀 — ok")], { add_generation_prompt: false }],
  ["whitespace", [user("  padded question \n\n"), asst("\n  answer with spaces  \n"), user("\tnext\t")], { add_generation_prompt: true }],
  ["empty_system", [sys(""), user("Hi")], { add_generation_prompt: true }],
  ["alternation_error", [user("one"), user("two")], { add_generation_prompt: true }],
  ["tools", [sys("You can check the weather."), user("Weather in Zürich?"), toolCall({ city: "Zürich", unit: "celsius" }), toolResult, asst("It is 18 °C in Zürich.")],
    { add_generation_prompt: false, tools: [weatherTool], only: ["qwen2_5", "qwen3", "mistral_nemo", "probe"] }],
  ["tools_prompt", [user("Weather in Paris?")], { add_generation_prompt: true, tools: [weatherTool], only: ["qwen2_5", "qwen3", "mistral_nemo", "probe"] }],
  ["tools_deepseek", [user("Weather in Paris?"), { role: "assistant", content: null, tool_calls: [{ type: "function", id: "call12345", function: { name: "get_weather", arguments: "{\"city\": \"Paris\"}" } }] }, toolResult, asst("18 °C.")],
    { add_generation_prompt: false, only: ["deepseek_v3"] }],
  ["thinking_history", [user("2+2?"), asst("<think>\nadd them\n</think>\n\n4"), user("3+3?")], { add_generation_prompt: true, only: ["qwen3"] }],
  ["thinking_last", [user("2+2?"), asst("<think>\nadd them\n</think>\n\n4")], { add_generation_prompt: false, only: ["qwen3"] }],
  ["enable_thinking_false", [user("Hi")], { add_generation_prompt: true, variables: { enable_thinking: false }, only: ["qwen3", "probe"] }],
  ["enable_thinking_true", [user("Hi")], { add_generation_prompt: true, variables: { enable_thinking: true }, only: ["qwen3"] }],
  ["loop_controls", [sys("s"), user("Hi there x"), asst("Hello"), user("a"), asst("b"), user("c"), asst("d")], { add_generation_prompt: false, only: ["probe"] }],
];

const lines = [];
for (const [tname, t] of Object.entries(templates)) {
  for (const [cname, messages, opts] of cases) {
    if (opts.only && !opts.only.includes(tname)) continue;
    const vars = { ...t.special_tokens, messages, add_generation_prompt: opts.add_generation_prompt };
    if (opts.tools) vars.tools = opts.tools;
    Object.assign(vars, opts.variables ?? {});
    const rec = { template: tname, case: cname, messages, add_generation_prompt: opts.add_generation_prompt };
    if (opts.tools) rec.tools = opts.tools;
    if (opts.variables) rec.variables = opts.variables;
    try {
      rec.expected = new Template(t.template).render(vars);
    } catch (e) {
      rec.error = String(e.message);
    }
    lines.push(JSON.stringify(rec));
  }
}
fs.writeFileSync(path.join(dir, "golden.jsonl"), lines.join("\n") + "\n");
console.log(`wrote golden.jsonl: ${lines.length} cases`);

// Small snippets over one fixed context: the interpreter's expression semantics, one by one.
const context = {
  x: 5, y: 2.5, neg: -3, t: true, f: false, n: null, s: " Hello, World ", e: "", u: "Grüß 😀 你好",
  l: [3, 1, 2], words: ["b", "A", "c"], nested: [[1, 2], [3, 4]],
  d: { b: 1, a: "two", c: [1, { k: "v" }] },
  people: [{ name: "Ann", age: 31, role: "user" }, { name: "Bob", age: 25, role: "assistant", extra: { tag: "x" } }, { name: "Cy", age: 40, role: "user" }],
};
const snippets = [
  "{{ x + 1 }}|{{ x - 7 }}|{{ x * 3 }}|{{ x / 2 }}|{{ x // 2 }}|{{ x % 3 }}|{{ x ** 2 }}|{{ y * 2 }}|{{ y + x }}|{{ -x }}|{{ +y }}",
  "{{ 10 / 4 }}|{{ 1 / 3 }}|{{ 2.0 * 3 }}|{{ 0.1 + 0.2 }}|{{ 123456789 * 1000 }}|{{ 0.000001 * 1 }}|{{ 0.0000001 * 1 }}|{{ 7 // 2.0 }}|{{ 2 ** -1 }}",
  "{{ x > 3 }}|{{ x < 3 }}|{{ x >= 5 }}|{{ x <= 4 }}|{{ x == 5.0 }}|{{ x != 5 }}|{{ t == 1 }}|{{ n == none }}|{{ missing == none }}",
  "{{ 'a' ~ x ~ y ~ t }}|{{ s + '!' }}|{{ 'n=' + x }}|{{ 'f' + 2.0 }}|{{ l ~ '' }}|{{ d ~ '' }}|{{ 1 ~ 2 }}",
  "{{ 'a' ~ n }}",
  "{{ x + missing }}",
  "{{ x | upper }}",
  "{{ t and 'yes' }}|{{ f or 'fallback' }}|{{ e or 'empty' }}|{{ l and 'list' }}|{{ not l }}|{{ not not e }}|{{ [] or {} or 0 or 'last' }}",
  "{{ 'lo' in s }}|{{ 'zz' not in s }}|{{ 1 in l }}|{{ 9 in l }}|{{ 'a' in d }}|{{ 'z' in d }}|{{ 'x' in missing }}|{{ 'x' not in missing }}",
  "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.upper() }}|{{ s.lower() }}|{{ s.title() }}|{{ 'hELLO wORLD'.capitalize() }}",
  "{{ s.startswith(' He') }}|{{ s.endswith(('x', 'd ')) }}|{{ s.split() }}|{{ s.split(',') }}|{{ 'a-b-c-d'.split('-', 2) }}|{{ ' a  b '.split(none, 1) }}",
  "{{ s.replace('l', 'L') }}|{{ s.replace('l', 'L', 2) }}|{{ 'aaa'.replace('a', 'b', count=1) }}|{{ s.length }}|{{ u.length }}|{{ u|length }}",
  "{{ s[1] }}|{{ s[-2] }}|{{ s[1:6] }}|{{ s[::2] }}|{{ s[::-1] }}|{{ u[::-1] }}|{{ u[1:4] }}|{{ l[1:] }}|{{ l[:-1] }}|{{ l[::-1] }}|{{ l[5:] }}|{{ l[-10:2] }}",
  "{{ l[0] }}|{{ l[-1] }}|{{ l[7] }}|{{ l.0 }}|{{ nested[1][0] }}|{{ d.a }}|{{ d['b'] }}|{{ d.c[1].k }}|{{ d.zz }}|{{ people[1].extra.tag }}",
  "{{ d.get('a') }}|{{ d.get('zz', 'dflt') }}|{{ d.get('zz') }}|{{ d.keys() }}|{{ d.values() }}|{{ d.items() }}|{{ d | items }}|{{ d | length }}",
  "{% for k in d %}{{ k }},{% endfor %}|{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for a, b in nested %}{{ a + b }} {% endfor %}",
  "{% for p in people %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}:{{ loop.previtem.name if loop.previtem is defined }}>{{ loop.nextitem.name if loop.nextitem is defined }} {% endfor %}",
  "{% for p in people if p.age > 30 %}{{ p.name }}{{ loop.index }}/{{ loop.length }} {% else %}nobody{% endfor %}|{% for p in [] %}x{% else %}none{% endfor %}",
  "{{ people | selectattr('role', 'equalto', 'user') | map(attribute='name') | join(', ') }}|{{ people | rejectattr('role', 'equalto', 'user') | map(attribute='name') | list }}",
  "{{ people | selectattr('extra') | length }}|{{ people | map(attribute='extra.tag') | list }}|{{ people | map(attribute='zz', default='-') | join }}",
  "{{ l | sort }}|{{ l | sort(reverse=true) }}|{{ words | sort }}|{{ words | sort(case_sensitive=true) }}|{{ people | sort(attribute='age') | map(attribute='name') | join }}",
  "{{ l | first }}|{{ l | last }}|{{ l | length }}|{{ l | reverse }}|{{ [1, 2, 1, '1', 2.0] | unique }}|{{ l | join('-') }}|{{ l | string }}|{{ u | join('.') }}",
  "{{ d | tojson }}|{{ u | tojson }}|{{ u | tojson(ensure_ascii=true) }}|{{ d | tojson(sort_keys=true) }}|{{ l | tojson(separators=(',', ':')) }}|{{ [] | tojson(indent=2) }}",
  "{{ people[1] | tojson(indent=2) }}",
  "{{ 'q\\\"q\\\\b\\tc\\nd' | tojson }}|{{ n | tojson }}|{{ t | tojson }}|{{ y | tojson }}|{{ 3.0 | tojson }}",
  "{{ ' pad ' | trim }}|{{ 'x' | upper }}|{{ 'X' | lower }}|{{ 'a b' | title }}|{{ 'ab' | capitalize }}|{{ '42' | int }}|{{ ' 7x' | int }}|{{ 'abc' | int(9) }}|{{ '2.5' | float }}|{{ x | float }}|{{ y | int }}|{{ neg | abs }}|{{ t | int }}|{{ x | string }}|{{ t | string }}",
  "{{ missing | default('dflt') }}|{{ e | default('dflt') }}|{{ e | default('dflt', true) }}|{{ n | default('dflt') }}|{{ x | default(0) }}",
  "{{ 'line1\nline2\n\nline4' | indent }}|{{ 'a\nb' | indent(2, true) }}|{{ 'a\n\nb' | indent(width=1, blank=true) }}",
  "{{ x is defined }}|{{ missing is defined }}|{{ missing is undefined }}|{{ n is none }}|{{ x is number }}|{{ y is integer }}|{{ x is integer }}|{{ s is string }}|{{ d is mapping }}|{{ l is iterable }}|{{ s is iterable }}|{{ d is iterable }}|{{ l is sequence }}|{{ t is boolean }}|{{ t is true }}|{{ f is false }}|{{ x is odd }}|{{ l[2] is even }}|{{ 'abc' is lower }}|{{ 'ABC' is upper }}|{{ x is not none }}|{{ range is callable }}",
  "{{ range(3) }}|{{ range(1, 7, 2) }}|{{ range(5, 0, -2) }}|{% for i in range(3) %}{{ i }}{% endfor %}",
  "{% set a, b = [1, 2] %}{{ a }}{{ b }}|{% set ns = namespace(v=1, w='x') %}{% set ns.v = ns.v + 1 %}{{ ns.v }}{{ ns.w }}{{ ns }}|{% set q = namespace(d) %}{{ q.a }}",
  "{% set outer = 1 %}{% for i in [1, 2] %}{% set outer = outer + i %}{{ outer }}{% endfor %}|{{ outer }}|{% if true %}{% set inif = 'kept' %}{% endif %}{{ inif }}",
  "{{ 'yes' if x > 3 else 'no' }}|{{ 'yes' if x > 9 else 'no' if x > 4 else 'never' }}|{{ 'shown' if t }}|[{{ 'hidden' if f }}]",
  "{{ [1, 2] + [3] }}|{{ 'ab'.startswith(('x', 'a')) }}|{{ {'k': [1, [2, 3]]} }}|{{ [x, y, s.strip()] }}|{{ {'a': 1}['a'] }}|{{ [[]] | length }}",
  "{% macro row(p, sep=': ') %}{{ p.name }}{{ sep }}{{ p.age }}{% endmacro %}{% for p in people %}{{ row(p) }} {{ row(p, sep='=') }};{% endfor %}",
  "{% macro v() %}{{ varargs | length }}{{ kwargs | tojson }}{% endmacro %}{{ v(1, 2, k='z') }}",
  "{% filter upper %}shout {{ s.strip() }}{% endfilter %}|{% set blk %}inner {{ x }}{% endset %}{{ blk | length }}",
  "a {# comment #} b {#- trimmed -#} c\n  {%- if true -%}  d  {%- endif %} e",
  "  {% if true %}\nline\n  {% endif %}\n{{- ' x ' -}}\n  y",
  "{{ 'it''s' }}|{{ \"dq\" 'sq' }}|{{ '\\u00e9\\x41' }}",
  "{% for i in range(10) %}{% if i is even %}{% continue %}{% endif %}{% if i > 6 %}{% break %}{% endif %}{{ i }}{% endfor %}",
  "{{ d.items() | list | length }}|{{ d | dictsort }}|{{ d.dictsort(by='key', reverse=true) | map(attribute='0') | join }}|{{ people | map(attribute='age') | sort | join(',') }}",
  "{{ True }}{{ False }}{{ None }}|{{ true and none }}|{{ '%d' }}|{{ strftime_now('%d %B %Y %H:%M %b %m %%') }}",
];
const exprLines = [];
for (const src of snippets) {
  const rec = { template: src };
  try {
    const vars = { ...context };
    rec.expected = new Template(src).render(vars);
  } catch (e) {
    rec.error = String(e.message);
  }
  exprLines.push(JSON.stringify(rec));
}
fs.writeFileSync(path.join(dir, "expressions.jsonl"), JSON.stringify({ context }) + "\n" + exprLines.join("\n") + "\n");
console.log(`wrote expressions.jsonl: ${exprLines.length} snippets`);
