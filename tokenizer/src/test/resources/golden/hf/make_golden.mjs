// Golden ids for HfTokenizerGoldenTest from the Hugging Face JavaScript reference (@huggingface/tokenizers 0.2.0):
// for every tokenizer extracted by extract.mjs, encodes each text of texts.jsonl with add_special_tokens false and
// true, and decodes the first ids (skip_special_tokens false; clean_up_tokenization_spaces false, because that
// clean-up is a transformers (Python) step which the Rust library, the one Seedling matches, does not do); writes
// golden-<name>.jsonl beside this script.
// Unpaired surrogates in a text are replaced by U+FFFD first (what UTF-8 encoding does; Rust strings, and so HF
// tokenizers, cannot hold them): the "text" field keeps the original, as the Java side receives it.
//
//   npm install && node extract.mjs && node make_golden.mjs
import { Tokenizer } from "@huggingface/tokenizers";
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { fileURLToPath } from "url";

const here = path.dirname(fileURLToPath(import.meta.url));
const names = ["llama2", "llama3", "qwen3", "gemma", "gpt2", "mistral_nemo", "deepseek_v3"];
const readGz = (f) => JSON.parse(zlib.gunzipSync(fs.readFileSync(f)).toString("utf8"));
const texts = fs.readFileSync(path.join(here, "texts.jsonl"), "utf8").split("\n").filter((l) => l.length > 0)
  .map((l) => JSON.parse(l).text);
const wellFormed = (s) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

for (const name of names) {
  const tok = new Tokenizer(readGz(path.join(here, name, "tokenizer.json.gz")), readGz(path.join(here, name, "tokenizer_config.json.gz")));
  const out = texts.map((text) => {
    const t = wellFormed(text);
    const ids = Array.from(tok.encode(t, { add_special_tokens: false }).ids);
    const idsWithSpecial = Array.from(tok.encode(t, { add_special_tokens: true }).ids);
    const decoded = ids.length ? tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : "";
    return JSON.stringify({ text, ids, ids_with_special: idsWithSpecial, decoded });
  });
  fs.writeFileSync(path.join(here, `golden-${name}.jsonl`), out.join("\n") + "\n");
  console.log(`wrote golden-${name}.jsonl: ${out.length} texts`);
}
