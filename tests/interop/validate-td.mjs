// SPDX-License-Identifier: GPL-3.0-or-later
// Validates Thing Descriptions against the official W3C WoT TD 1.1 JSON
// Schema (npm wot-thing-description-types) with Ajv, a full JSON Schema
// validator: node validate-td.mjs TD.json…  Exit status 1 on any error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schema = require("wot-thing-description-types/schema/td-json-schema-validation.json");
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = 0;
for (const path of process.argv.slice(2)) {
  const td = JSON.parse(readFileSync(path, "utf8"));
  if (validate(td)) {
    console.log(`ok: ${path}`);
  } else {
    failed++;
    for (const error of validate.errors)
      console.log(`not ok: ${path}: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
  }
}
process.exit(failed ? 1 : 0);
