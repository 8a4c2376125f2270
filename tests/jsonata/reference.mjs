// The reference side of the differential test (differential_test.cpp):
// evaluates every case of the file given as argument with npm jsonata 2.0.6
// under Node, the library AWS Step Functions implements, and prints one JSON
// line per case: {"value": ...}, {"undefined": true} or {"error": code}.
// Results go through JSON.stringify, as a JavaScript caller serialises them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../core/jsonata/js/package.json'));
const jsonata = require('jsonata');

// Our evaluator takes nlohmann::json values, whose objects keep their keys
// sorted, not in document order: the reference gets them in the same order,
// so that the test compares evaluators, not the JSON type (docs/jsonata.md).
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys(value[key]);
  return sorted;
}

const suite = sortedKeys(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const lines = [];
for (const [expression, inputName, bindings] of suite.cases) {
  const input = inputName === null ? null : suite.inputs[inputName];
  try {
    const result = await jsonata(expression).evaluate(input, bindings ?? {});
    const text = JSON.stringify(result);
    lines.push(text === undefined ? '{"undefined":true}' : `{"value":${text}}`);
  } catch (error) {
    lines.push(JSON.stringify({ error: error.code ?? `JS:${error.message}` }));
  }
}
process.stdout.write(lines.join('\n') + '\n');
