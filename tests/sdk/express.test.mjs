// EXPRESS state machines through the official SDK: StartSyncExecution carries
// the host prefix `sync-`, which a local endpoint needs turned off
// (`disableHostPrefix: true`), and the API calls added with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SFNClient, CreateStateMachineCommand, StartSyncExecutionCommand, StartExecutionCommand,
  DescribeExecutionCommand, ValidateStateMachineDefinitionCommand, TagResourceCommand,
  ListTagsForResourceCommand, DescribeStateMachineForExecutionCommand, InvalidArn,
  StateMachineTypeNotSupported,
} from '@aws-sdk/client-sfn';
import { useEngine } from './serve_process.mjs';

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
const clientFor = (url) => new SFNClient({
  endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, disableHostPrefix: true,
});
const engine = useEngine(clientFor);

const role = 'arn:aws:iam::123456789012:role/loveless-test';
const passDefinition = JSON.stringify({
  StartAt: 'P', States: { P: { Type: 'Pass', Result: { done: true }, End: true } },
});

test('StartSyncExecution runs an EXPRESS state machine and answers with its output', async () => {
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'fast', definition: passDefinition, roleArn: role, type: 'EXPRESS',
    tags: [{ key: 'team', value: 'payments' }],
  }));
  const result = await engine.sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' }));
  assert.equal(result.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(result.output), { done: true });
  assert.ok(result.startDate instanceof Date && result.stopDate instanceof Date);
  assert.equal(result.billingDetails.billedMemoryUsedInMB, 64);
  assert.match(result.executionArn, /:express:fast:/);

  const { tags } = await engine.sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
  assert.deepEqual(tags, [{ key: 'team', value: 'payments' }]);

  // Asynchronous express executions run, but the execution APIs refuse them, as on AWS.
  const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await assert.rejects(engine.sfn.send(new DescribeExecutionCommand({ executionArn })),
    (error) => error instanceof InvalidArn);
});

test('without disableHostPrefix the SDK sends StartSyncExecution to sync-<host>', async () => {
  const prefixed = new SFNClient({ endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await assert.rejects(
      prefixed.send(new StartSyncExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:fast',
      })),
      (error) => /sync-127\.0\.0\.1/.test(`${error.message} ${error.hostname ?? ''}`),
    );
  } finally {
    prefixed.destroy();
  }
});

test('StartSyncExecution on a STANDARD state machine is StateMachineTypeNotSupported', async () => {
  const { stateMachineArn } = await engine.sfn.send(new CreateStateMachineCommand({
    name: 'standard', definition: passDefinition, roleArn: role,
  }));
  await assert.rejects(engine.sfn.send(new StartSyncExecutionCommand({ stateMachineArn })),
    (error) => error instanceof StateMachineTypeNotSupported);
  const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  const described = await engine.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
  assert.equal(described.definition, passDefinition);
  await engine.sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [] }));
});

test('ValidateStateMachineDefinition answers in AWS shape', async () => {
  const ok = await engine.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: passDefinition }));
  assert.equal(ok.result, 'OK');
  assert.deepEqual(ok.diagnostics, []);
  const failed = await engine.sfn.send(new ValidateStateMachineDefinitionCommand({
    definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }),
  }));
  assert.equal(failed.result, 'FAIL');
  assert.equal(failed.diagnostics[0].location, '/States/A/Next');
  assert.equal(failed.diagnostics[0].code, 'SCHEMA_VALIDATION_FAILED');
});
