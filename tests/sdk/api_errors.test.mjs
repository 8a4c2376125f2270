// The engine's errors reach the official SDK as the typed exceptions AWS
// returns, and the engine keeps serving after each bad request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStateMachineCommand, StartExecutionCommand, DescribeExecutionCommand, CreateActivityCommand,
  SendTaskSuccessCommand, SendTaskFailureCommand, GetActivityTaskCommand, ListExecutionsCommand,
  ListStateMachinesCommand, paginateListExecutions, paginateGetExecutionHistory, StopExecutionCommand,
  InvalidDefinition, InvalidArn, InvalidExecutionInput, ExecutionAlreadyExists, ActivityDoesNotExist,
  ExecutionDoesNotExist, StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { useEngine } from './serve_process.mjs';
import { clientFor } from './sfn_client.mjs';

const engine = useEngine(clientFor);

const role = 'arn:aws:iam::123456789012:role/loveless-test';
const passDefinition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

test('an invalid definition is InvalidDefinition naming the path and the rule', async () => {
  const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } });
  await assert.rejects(
    engine.sfn.send(new CreateStateMachineCommand({ name: 'broken', definition, roleArn: role })),
    (error) => error instanceof InvalidDefinition && /SCHEMA_VALIDATION_FAILED: no state named 'B' at \/States\/A\/Next/.test(error.message),
  );
  await assert.rejects(
    engine.sfn.send(new CreateStateMachineCommand({ name: 'not-json', definition: '{"StartAt":', roleArn: role })),
    (error) => error instanceof InvalidDefinition,
  );
});

test('bad ARNs, oversize input and duplicate names get their AWS errors', async () => {
  await assert.rejects(
    engine.sfn.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn' })),
    (error) => error instanceof InvalidArn,
  );
  await assert.rejects(
    engine.sfn.send(new StartExecutionCommand({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nobody',
    })),
    (error) => error instanceof StateMachineDoesNotExist,
  );
  await assert.rejects(
    engine.sfn.send(new DescribeExecutionCommand({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nobody:nothing',
    })),
    (error) => error instanceof ExecutionDoesNotExist,
  );
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'errors-pass', definition: passDefinition, roleArn: role,
  }));
  const big = JSON.stringify({ blob: 'x'.repeat(262_144) });
  await assert.rejects(
    engine.sfn.send(new StartExecutionCommand({ stateMachineArn, input: big })),
    (error) => error instanceof InvalidExecutionInput,
  );
  await assert.rejects(
    engine.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' })),
    (error) => error instanceof InvalidExecutionInput,
  );
  await engine.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' }));
  await assert.rejects(
    engine.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":2}' })),
    (error) => error instanceof ExecutionAlreadyExists && /Execution Already Exists/.test(error.message),
  );
});

test('unknown activities and tokens', async () => {
  await assert.rejects(
    engine.sfn.send(new GetActivityTaskCommand({
      activityArn: 'arn:aws:states:us-east-1:123456789012:activity:ghost',
    })),
    (error) => error instanceof ActivityDoesNotExist && /Activity Does Not Exist/.test(error.message),
  );
  await assert.rejects(
    engine.sfn.send(new SendTaskSuccessCommand({ taskToken: 'made-up-token', output: '{}' })),
    (error) => ['InvalidToken', 'TaskDoesNotExist'].includes(error.name),
  );
  await assert.rejects(
    engine.sfn.send(new SendTaskFailureCommand({ taskToken: 'x'.repeat(2049) })),
    (error) => ['InvalidToken', 'ValidationException'].includes(error.name),
  );
});

test('listing pages through executions and history', async () => {
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'paging', definition: passDefinition, roleArn: role,
  }));
  for (let i = 0; i < 7; i++) {
    await engine.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }));
  }
  const names = [];
  for await (const page of paginateListExecutions({ client: engine.sfn, pageSize: 3 }, { stateMachineArn })) {
    assert.ok(page.executions.length <= 3);
    names.push(...page.executions.map((e) => e.name));
  }
  assert.equal(names.length, 7);
  assert.equal(new Set(names).size, 7);
  const succeeded = await engine.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
  assert.equal(succeeded.executions.length, 7);

  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:run-0`;
  const types = [];
  for await (const page of paginateGetExecutionHistory({ client: engine.sfn, pageSize: 2 }, { executionArn, reverseOrder: true })) {
    types.push(...page.events.map((e) => e.type));
  }
  assert.deepEqual(types, ['ExecutionSucceeded', 'PassStateExited', 'PassStateEntered', 'ExecutionStarted']);
  const machines = await engine.sfn.send(new ListStateMachinesCommand({}));
  assert.ok(machines.stateMachines.some((m) => m.name === 'paging'));
});

test('StopExecution aborts a waiting execution', async () => {
  const { activityArn } = await engine.sfn.send(new CreateActivityCommand({ name: 'never-polled' }));
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'stoppable', roleArn: role,
    definition: JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: activityArn, End: true } } }),
  }));
  const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await engine.sfn.send(new StopExecutionCommand({ executionArn, error: 'Chaos', cause: 'stopped by the test' }));
  const description = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.equal(description.status, 'ABORTED');
  assert.ok(description.stopDate instanceof Date);
});
