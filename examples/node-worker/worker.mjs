// The "invoice" activity worker: an ordinary Step Functions activity worker
// written against the AWS SDK for JavaScript v3, as it would run on ECS.
// Nothing in it is specific to Loveless:
//   - the SDK finds the endpoint in AWS_ENDPOINT_URL_SFN, the region in
//     AWS_REGION and the credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
//     by itself (every Loveless stack sets them; on AWS the task role does);
//   - it polls with its own workerName, `<hostname>-<pid>`, as most SDK
//     workers do: Loveless recognises the worker by its connection instead;
//   - the activity ARN comes from ACTIVITY_ARN, the deployment's own name for
//     it, else LOVELESS_ACTIVITY_ARN, which Loveless sets.
//
// What makes it disposable (docs/bring-your-own-worker.md):
//   - everything a task needs comes in its input, everything it produces goes
//     out in its output; nothing one task leaves (in memory or in $TMPDIR) is
//     read by another;
//   - it heartbeats while it works, so a worker that dies mid-task is noticed
//     after HeartbeatSeconds and the task retried elsewhere;
//   - on SIGTERM it stops polling, finishes the task in hand and exits 0.
//
// INVOICE_NUMBERING=per-process makes it deliberately flawed: invoice numbers
// come from a counter in this process's memory, so an output depends on how
// many tasks the worker ran before. node_worker_scenarios.cpp checks that
// Loveless catches that.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";

const activityArn = process.env.ACTIVITY_ARN || process.env.LOVELESS_ACTIVITY_ARN;
if (!activityArn) {
  console.error("invoice worker: set ACTIVITY_ARN (or LOVELESS_ACTIVITY_ARN)");
  process.exit(2);
}
const workerName = `${hostname()}-${process.pid}`;
const heartbeatMs = Number(process.env.HEARTBEAT_INTERVAL_MS || 500);
const renderMs = Number(process.env.RENDER_MS || 300);
const perProcessNumbering = process.env.INVOICE_NUMBERING === "per-process";

const sfn = new SFNClient({});
// Aborted by SIGTERM: ends an idle long poll at once instead of up to 60 s later.
const stop = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    console.error(`invoice worker: ${signal}, stopping after the task in hand`);
    stop.abort();
  });
}

class TaskFailure extends Error {
  constructor(error, cause) {
    super(cause);
    this.error = error;
  }
}

let invoicesIssued = 0; // read only when INVOICE_NUMBERING=per-process (the flaw)

async function invoice(order) {
  if (typeof order?.order !== "string" || !Array.isArray(order.lines) ||
      !Number.isInteger(order.total_cents)) {
    throw new TaskFailure("Invoice.InvalidOrder", "input needs order, lines and total_cents");
  }
  const lines = order.lines.map((l) => `${l.sku} x${l.qty} @ ${l.unit_cents}`);
  const text = [`Invoice for ${order.order}`, ...lines, `total ${order.total_cents}`].join("\n");
  // Scratch used within one task only: a fixed-name work file that every task
  // overwrites before it reads it back. A retry that finds the file a killed
  // attempt left overwrites it too, so nothing depends on what was there.
  const started = process.hrtime.bigint();
  const workFile = join(tmpdir(), "invoice.tmp");
  writeFileSync(workFile, text);
  await sleep(renderMs); // the rendering work; long enough for faults to land mid-task
  const rendered = readFileSync(workFile, "utf8");
  const number = perProcessNumbering ? `INV-${++invoicesIssued}` : `INV-${order.order}`;
  return {
    order: order.order,
    invoice: number,
    total_cents: order.total_cents,
    sha256: createHash("sha256").update(rendered).digest("hex"),
    // Who rendered it and how long it took, as workers stamp their work:
    // different on every run, whatever the worker kept, so Loveless's checks
    // leave these out once fault-free runs show them varying.
    rendered_by: workerName,
    render_ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

// Runs one task: heartbeats on a timer while the handler works, then reports.
async function runTask({ taskToken, input }) {
  let lost = false;
  const beat = setInterval(() => {
    sfn.send(new SendTaskHeartbeatCommand({ taskToken })).catch((e) => {
      // TaskTimedOut: Step Functions has given the task up (and may be retrying
      // it elsewhere), so our result would be refused. Anything else: try again
      // at the next beat.
      if (e.name === "TaskTimedOut" || e.name === "TaskDoesNotExist") lost = true;
      console.error(`invoice worker: heartbeat: ${e.name}: ${e.message}`);
    });
  }, heartbeatMs);
  try {
    const output = await invoice(JSON.parse(input));
    if (lost) return;
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (e) {
    if (lost) return;
    const failure = e instanceof TaskFailure ? e : new TaskFailure("Invoice.Unexpected", String(e));
    await sfn
      .send(new SendTaskFailureCommand({ taskToken, error: failure.error, cause: failure.message }))
      .catch((report) => console.error(`invoice worker: SendTaskFailure: ${report.message}`));
  } finally {
    clearInterval(beat);
  }
}

console.error(`invoice worker ${workerName} polling ${activityArn}`);
let backoffMs = 100;
while (!stop.signal.aborted) {
  let task;
  try {
    task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName }), {
      abortSignal: stop.signal,
    });
    backoffMs = 100;
  } catch (e) {
    if (stop.signal.aborted) break;
    // The orchestrator is unreachable or throttling: never crash for that.
    console.error(`invoice worker: GetActivityTask: ${e.name}: ${e.message}`);
    await sleep(backoffMs);
    backoffMs = Math.min(backoffMs * 2, 5000);
    continue;
  }
  if (task.taskToken) await runTask(task); // no token: the 60 s long poll ended empty
}
console.error("invoice worker: stopped");
process.exit(0);
