// Golden ids for ByteTokenizerGoldenTest from the Hugging Face JavaScript reference (@huggingface/tokenizers):
// it loads byte-tokenizer/tokenizer.json + tokenizer_config.json (as Seedling writes them) and encodes texts.jsonl.
//
//   npm install @huggingface/tokenizers@0.2.0 && node make_golden.mjs    # rewrites golden.jsonl beside this file
//
// The Java test needs neither Node nor the network: it reads golden.jsonl.
import { Tokenizer } from "@huggingface/tokenizers";
import fs from "fs";
import path from "path";
import { fileURLToPath } from "url";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, "byte-tokenizer");
const tok = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")));
const lines = fs.readFileSync(path.join(here, "texts.jsonl"), "utf8").split("\n").filter((l) => l.length > 0);
const out = lines.map((l) => {
  const text = JSON.parse(l).text;
  const ids = Array.from(tok.encode(text, { add_special_tokens: false }).ids);
  return JSON.stringify({ text, ids, decoded: ids.length ? tok.decode(ids) : "" });
});
fs.writeFileSync(path.join(here, "golden.jsonl"), out.join("\n") + "\n");
console.log(`wrote golden.jsonl: ${out.length} texts`);
