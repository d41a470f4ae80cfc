// `npm run schema`: regenerates the committed JSON Schema after a change to config-schema.ts.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "./config-json-schema.ts";

const target = new URL("../../schema/hf-bridge.schema.json", import.meta.url);
writeFileSync(target, configJsonSchema());
console.log(`wrote ${target.pathname}`);
