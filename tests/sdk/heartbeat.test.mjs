// A worker that stops heartbeating loses its task to another worker: the
// history shows ActivityTimedOut, a second ActivityStarted by the other worker,
// then ExecutionSucceeded; the stale token answers TaskTimedOut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateActivityCommand, CreateStateMachineCommand, StartExecutionCommand, GetActivityTaskCommand,
  SendTaskHeartbeatCommand, SendTaskSuccessCommand, DescribeExecutionCommand,
  GetExecutionHistoryCommand, TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { useEngine } from './serve_process.mjs';
import { clientFor } from './sfn_client.mjs';

const engine = useEngine(clientFor);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForEnd(executionArn, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const description = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (description.status !== 'RUNNING') return description;
    await sleep(50);
  }
  throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
}

test('a missed heartbeat hands the task to another worker', async () => {
  const { activityArn } = await engine.sfn.send(new CreateActivityCommand({ name: 'resize-image' }));
  const definition = {
    StartAt: 'Resize',
    States: {
      Resize: {
        Type: 'Task',
        Resource: activityArn,
        TimeoutSeconds: 30,
        HeartbeatSeconds: 2,
        Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
        End: true,
      },
    },
  };
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'resize', definition: JSON.stringify(definition),
    roleArn: 'arn:aws:iam::123456789012:role/loveless-test',
  }));

  const stalling = clientFor(engine.url);
  const healthy = clientFor(engine.url);
  try {
    const firstPoll = stalling.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-stalls' }));
    await sleep(100);
    const { executionArn } = await engine.sfn.send(new StartExecutionCommand({
      stateMachineArn, name: 'resize-1', input: JSON.stringify({ image: 'cat.png' }),
    }));
    const staleTask = await firstPoll;
    assert.ok(staleTask.taskToken, 'the waiting poller receives the task');
    assert.deepEqual(JSON.parse(staleTask.input), { image: 'cat.png' });
    // One heartbeat, then silence: the worker is stalled.
    await stalling.send(new SendTaskHeartbeatCommand({ taskToken: staleTask.taskToken }));

    const secondTask = await healthy.send(new GetActivityTaskCommand({ activityArn, workerName: 'worker-healthy' }));
    assert.ok(secondTask.taskToken, 'the retry reaches the second worker');
    assert.notEqual(secondTask.taskToken, staleTask.taskToken);
    await healthy.send(new SendTaskHeartbeatCommand({ taskToken: secondTask.taskToken }));
    await healthy.send(new SendTaskSuccessCommand({
      taskToken: secondTask.taskToken, output: JSON.stringify({ resized: 'cat-small.png' }),
    }));

    const description = await waitForEnd(executionArn);
    assert.equal(description.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(description.output), { resized: 'cat-small.png' });

    const { events } = await engine.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = events.map((e) => e.type);
    assert.deepEqual(types, [
      'ExecutionStarted', 'TaskStateEntered',
      'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut',
      'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded',
      'TaskStateExited', 'ExecutionSucceeded',
    ]);
    const started = events.filter((e) => e.type === 'ActivityStarted');
    assert.deepEqual(started.map((e) => e.activityStartedEventDetails.workerName), ['worker-stalls', 'worker-healthy']);
    const timedOut = events.find((e) => e.type === 'ActivityTimedOut');
    assert.equal(timedOut.activityTimedOutEventDetails.error, 'States.Timeout');
    const scheduled = events.find((e) => e.type === 'ActivityScheduled');
    assert.equal(scheduled.activityScheduledEventDetails.heartbeatInSeconds, 2);
    assert.equal(scheduled.activityScheduledEventDetails.timeoutInSeconds, 30);
    assert.ok(events[0].timestamp instanceof Date, 'the SDK parses timestamps');
    // The heartbeat timeout (2 s) happened after the one heartbeat, then the 1 s retry interval.
    const gap = timedOut.timestamp - started[0].timestamp;
    assert.ok(gap >= 1900 && gap < 6000, `heartbeat expiry after ${gap} ms`);
    events.forEach((e, i) => assert.equal(e.id, i + 1));

    await assert.rejects(
      stalling.send(new SendTaskSuccessCommand({ taskToken: staleTask.taskToken, output: '{}' })),
      (error) => error instanceof TaskTimedOut && error.name === 'TaskTimedOut',
    );
    await assert.rejects(
      stalling.send(new SendTaskHeartbeatCommand({ taskToken: staleTask.taskToken })),
      (error) => error.name === 'TaskTimedOut',
    );
  } finally {
    stalling.destroy();
    healthy.destroy();
  }
});
