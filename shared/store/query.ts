/** DynamoDB query paging shared by the table adapters. */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a query matches, following `LastEvaluatedKey` page by page (a query returns at most 1 MB
 * per call).
 */
export async function queryAllItems(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((r.Items ?? []) as Record<string, unknown>[]));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}
