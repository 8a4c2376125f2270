// Runs a Pass-chain definition in the npm engine `aws-local-stepfunctions`
// and prints its state transitions per second, so that bench/run can compare
// Loveless with it in one run on one machine.
// Usage: node pass_chain_peer.mjs DEFINITION.json RUNS
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, runsArg] = process.argv.slice(2);
if (!definitionFile) {
  console.error('usage: node pass_chain_peer.mjs DEFINITION.json [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const states = Object.keys(definition.States).length;
const machine = new StateMachine(definition);

let best = 0;
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  const output = await machine.run({ n: 0 }).result;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (output.n !== states) {
    console.error(`peer produced ${JSON.stringify(output)}, expected n=${states}`);
    process.exit(1);
  }
  best = Math.max(best, states / seconds);
}
console.log(JSON.stringify({ engine: 'aws-local-stepfunctions', states, runs, transitions_per_second: best }));
