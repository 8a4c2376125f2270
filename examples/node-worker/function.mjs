// The "quote" Lambda function: prices an order. It speaks the Lambda Runtime
// API directly over HTTP, as a custom runtime (provided.al2023) does, so it
// needs no library at all; a function on a managed runtime gets the same loop
// from its runtime. Lambda (and Loveless, for a function pool) starts it with
// AWS_LAMBDA_RUNTIME_API=host:port and runs it for as many invocations as the
// environment lives.
//
//   GET  /2018-06-01/runtime/invocation/next          waits for the next event
//   POST /2018-06-01/runtime/invocation/{id}/response the result
//   POST /2018-06-01/runtime/invocation/{id}/error    a failure (errorType,
//        errorMessage), which a state's Retry and Catch match on
//
// Disposable: each invocation's answer is a function of its event alone;
// nothing is kept between invocations. On SIGTERM it finishes the invocation
// in hand and exits 0 (Lambda sends SIGKILL 2 s later).
import { setTimeout as sleep } from "node:timers/promises";

const api = process.env.AWS_LAMBDA_RUNTIME_API;
if (!api) {
  console.error("quote function: AWS_LAMBDA_RUNTIME_API is not set: run me as a Lambda function");
  process.exit(2);
}
const base = `http://${api}/2018-06-01/runtime`;
const TAX_RATE = 0.2;

let stopping = false;
let idle = true;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    stopping = true;
    if (idle) process.exit(0); // waiting in /next: nothing to finish
  });
}

class FunctionError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

function quote(event) {
  if (typeof event?.order !== "string" || !Array.isArray(event.lines) || event.lines.length === 0) {
    throw new FunctionError("Quote.InvalidOrder", "the event needs an order id and lines");
  }
  let net = 0;
  for (const { sku, qty, unit_cents: unit } of event.lines) {
    if (typeof sku !== "string" || !Number.isInteger(qty) || !Number.isInteger(unit)) {
      throw new FunctionError("Quote.InvalidOrder", `bad line ${JSON.stringify({ sku, qty, unit })}`);
    }
    net += qty * unit;
  }
  const tax = Math.round(net * TAX_RATE);
  return { order: event.order, lines: event.lines, net_cents: net, tax_cents: tax, total_cents: net + tax };
}

// POSTs a result; retried a few times, since an answer lost to a network error
// would leave the invocation to time out.
async function post(path, body, headers = {}) {
  for (let attempt = 1; ; ++attempt) {
    try {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (!response.ok) console.error(`quote function: ${path}: HTTP ${response.status}`);
      return;
    } catch (e) {
      if (attempt === 3) return console.error(`quote function: ${path}: ${e.message}`);
      await sleep(100 * attempt);
    }
  }
}

while (!stopping) {
  let response;
  let body;
  try {
    idle = true;
    response = await fetch(`${base}/invocation/next`);
    body = await response.text();
  } catch (e) {
    console.error(`quote function: /invocation/next: ${e.message}`);
    await sleep(200);
    continue;
  }
  idle = false;
  const id = response.headers.get("lambda-runtime-aws-request-id");
  try {
    await post(`/invocation/${id}/response`, quote(JSON.parse(body)));
  } catch (e) {
    const type = e instanceof FunctionError ? e.type : "Quote.Unexpected";
    await post(`/invocation/${id}/error`, { errorType: type, errorMessage: e.message, stackTrace: [] },
               { "Lambda-Runtime-Function-Error-Type": type });
  }
}
process.exit(0);
