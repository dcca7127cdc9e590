/** DynamoDB clients and the table bootstrap: for dynalite in tests and store migration, and real DynamoDB. */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_NAME, tableDefinition } from './table.ts';

/** A DynamoDB document client for an endpoint (dynalite locally, or real DynamoDB when endpoint is unset). */
export function documentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(endpoint ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {});
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Creates the table if it is not there, and returns only once it is ACTIVE: a table still CREATING answers
 * ResourceNotFoundException to reads and writes (dynalite flips the status on a timer, DynamoDB after seconds),
 * so a fresh home's first command must not use it before then.
 */
export async function ensureTable(doc: DynamoDBDocumentClient, name = TABLE_NAME): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const d = await doc.send(new DescribeTableCommand({ TableName: name }));
      const indexesReady = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
      if (d.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
      try {
        await doc.send(new CreateTableCommand(tableDefinition(name)));
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** Math.min(attempt, 4), 500)));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}
