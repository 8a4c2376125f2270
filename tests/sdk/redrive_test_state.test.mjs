// RedriveExecution and TestState through the official SDK: its generated
// clientToken, the redrive members of DescribeExecution, TestState's
// inspectionData, and the typed errors of both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SFNClient, CreateActivityCommand, CreateStateMachineCommand, StartExecutionCommand, GetActivityTaskCommand,
  SendTaskFailureCommand, SendTaskSuccessCommand, DescribeExecutionCommand, RedriveExecutionCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, TestStateCommand, ExecutionNotRedrivable,
  InvalidDefinition, ValidationException,
} from '@aws-sdk/client-sfn';
import { useEngine } from './serve_process.mjs';
import { clientFor } from './sfn_client.mjs';

const engine = useEngine(clientFor);

const role = 'arn:aws:iam::123456789012:role/loveless-test';

async function takeTask(activityArn) {
  const task = await engine.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'sdk' }));
  assert.ok(task.taskToken, 'a task is queued');
  return task;
}

test('a failed execution is redriven from its failed Task and then succeeds', async () => {
  const { activityArn } = await engine.sfn.send(new CreateActivityCommand({ name: 'flaky' }));
  const definition = JSON.stringify({
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Result: { prepared: true }, Next: 'Work' },
      Work: { Type: 'Task', Resource: activityArn, End: true },
    },
  });
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'redrive-sdk', definition, roleArn: role,
  }));
  const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  let task = await takeTask(activityArn);
  await engine.sfn.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Boom' }));

  let description = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.equal(description.status, 'FAILED');
  assert.equal(description.redriveStatus, 'REDRIVABLE');
  assert.equal(description.redriveCount, 0);

  // The SDK fills in a clientToken of its own.
  const { redriveDate } = await engine.sfn.send(new RedriveExecutionCommand({ executionArn }));
  assert.ok(redriveDate instanceof Date);
  task = await takeTask(activityArn);
  assert.deepEqual(JSON.parse(task.input), { prepared: true });
  await engine.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"done"' }));

  description = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.equal(description.status, 'SUCCEEDED');
  assert.equal(description.redriveCount, 1);
  assert.equal(description.redriveDate.getTime(), redriveDate.getTime());
  assert.equal(description.redriveStatus, 'NOT_REDRIVABLE');
  assert.equal(description.redriveStatusReason, 'Execution is SUCCEEDED and cannot be redriven');

  const { events } = await engine.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  const redriven = events.find((event) => event.type === 'ExecutionRedriven');
  assert.deepEqual(redriven.executionRedrivenEventDetails, { redriveCount: 1 });
  assert.equal(events.filter((event) => event.type === 'PassStateEntered').length, 1);

  const { executions } = await engine.sfn.send(new ListExecutionsCommand({
    stateMachineArn, redriveFilter: 'REDRIVEN',
  }));
  assert.deepEqual(executions.map((item) => item.executionArn), [executionArn]);

  await assert.rejects(
    engine.sfn.send(new RedriveExecutionCommand({ executionArn })),
    (error) => error instanceof ExecutionNotRedrivable && /SUCCEEDED/.test(error.message),
  );
});

// TestState's endpoint has the host prefix `sync-` (its API model says so):
// against a local endpoint the client must not add it.
function testStateClient() {
  return new SFNClient({
    endpoint: engine.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
}

test('TestState answers output, nextState and inspectionData', async () => {
  const sfn = testStateClient();
  const definition = JSON.stringify({
    Type: 'Pass',
    InputPath: '$.order',
    Parameters: { 'id.$': '$.id' },
    ResultPath: '$.picked',
    Next: 'Ship',
  });
  const response = await sfn.send(new TestStateCommand({
    definition, roleArn: role, input: JSON.stringify({ order: { id: 7 } }), inspectionLevel: 'DEBUG',
  }));
  assert.equal(response.status, 'SUCCEEDED');
  assert.equal(response.nextState, 'Ship');
  assert.deepEqual(JSON.parse(response.output), { order: { id: 7 }, picked: { id: 7 } });
  assert.deepEqual(JSON.parse(response.inspectionData.afterInputPath), { id: 7 });
  assert.deepEqual(JSON.parse(response.inspectionData.afterParameters), { id: 7 });

  const caught = await sfn.send(new TestStateCommand({
    definition: JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'anything' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }],
      End: true,
    }),
    mock: { errorOutput: { error: 'MockException', cause: 'mocked' } },
    inspectionLevel: 'DEBUG',
  }));
  assert.equal(caught.status, 'CAUGHT_ERROR');
  assert.equal(caught.nextState, 'Handle');
  assert.equal(caught.inspectionData.errorDetails.catchIndex, 0);

  await assert.rejects(
    sfn.send(new TestStateCommand({
      definition: JSON.stringify({ Type: 'Parallel', Branches: [], End: true }), roleArn: role,
    })),
    (error) => error instanceof InvalidDefinition,
  );
  await assert.rejects(
    sfn.send(new TestStateCommand({
      definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true }),
    })),
    (error) => error instanceof ValidationException && /RoleArn must be specified/.test(error.message),
  );
  sfn.destroy();
});
