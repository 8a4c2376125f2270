// The official AWS SDK for JavaScript v3 Step Functions client, pointed at a local engine.
import { SFNClient } from '@aws-sdk/client-sfn';

export function clientFor(url) {
  return new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}
