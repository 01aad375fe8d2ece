// Prints a JSON summary of a GGUF file as parsed by @huggingface/gguf (an independent reader), for GgufGoldenTest.
// Usage (from this folder):  npm ci && node summarize.mjs tiny-q8_0.gguf > tiny-q8_0.summary.json
// Summary: header counts, every metadata key with its GGUF value type name (arrays: element type too) and value,
// every tensor's name, shape (innermost first), ggml type id and offset, the data section's start, and the SHA-256
// of the bytes from the data start to the end of the file.
import { gguf, GGUFValueType } from "@huggingface/gguf";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const file = resolve(process.argv[2]);
const { typedMetadata, tensorInfos, tensorDataOffset } = await gguf(file, { allowLocalFile: true, typedMetadata: true });
const plain = (v) => (typeof v === "bigint" ? Number(v) : Array.isArray(v) ? v.map(plain) : v);
const metadata = {};
for (const [key, entry] of Object.entries(typedMetadata)) {
  if (key === "version" || key === "tensor_count" || key === "kv_count") continue;
  const m = { type: GGUFValueType[entry.type], value: plain(entry.value) };
  if (entry.subType !== undefined) m.element_type = GGUFValueType[entry.subType];
  metadata[key] = m;
}
const bytes = readFileSync(file);
const summary = {
  version: plain(typedMetadata.version.value),
  tensor_count: plain(typedMetadata.tensor_count.value),
  kv_count: plain(typedMetadata.kv_count.value),
  metadata,
  tensors: tensorInfos.map((t) => ({ name: t.name, shape: t.shape.map(Number), type: t.dtype, offset: Number(t.offset) })),
  tensor_data_offset: Number(tensorDataOffset),
  data_sha256: createHash("sha256").update(bytes.subarray(Number(tensorDataOffset))).digest("hex"),
};
process.stdout.write(JSON.stringify(summary, null, 1) + "\n");
