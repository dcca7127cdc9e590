/**
 * The archive API's alerts: `GET /alerts` lists them (by state, body, year), `POST /alerts/{id}/dismiss` dismisses a
 * false one with its reason — kept, never sent again for the same evidence (shared/alerts/decide.ts), as `nianbao
 * alerts dismiss` does on a home. Without it a deployment's false alert stayed open on the dashboard for ever.
 *
 * The dismissal is the API's one write to the table. Its role may put alert items only (`dynamodb:LeadingKeys`
 * `ALERT#*`, infra/constructs/api.ts), and API Gateway authorizes the route on its own, so the operators can let
 * archivists read without letting them dismiss. Who dismissed is kept with the alert (`dismissedBy`: the caller's ARN).
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { dismissAlert } from '../../shared/alerts/decide.ts';
import { jsonChecker } from '../../shared/schema/check.ts';
import { ALERT_STATES, type Alert, type AlertState } from '../../shared/store/ports.ts';
import { DamagedLog } from '../../shared/store/records.ts';
import type { ApiDeps } from './api.ts';
import { ApiError, yearParam } from './api-params.ts';

type Event = APIGatewayProxyEventV2WithIAMAuthorizer;

/** Alerts a page lists at most (an alert with its evidence is a few KB: a page stays well under Lambda's 6 MB). */
const ALERTS_PAGE = 500;

const order = (a: Alert) => `${a.openedAt}#${a.id}`;

/**
 * GET /alerts[?state=open|resolved|dismissed][&body=ID][&year=Y][&cursor=…]: the alerts, oldest opened first, each
 * with its evidence; `next` is the cursor of the next page, null at the end; `damaged` names alerts that could not be
 * read (left out, never a shorter list that looks complete).
 */
export async function alertsRoute(e: Event, d: ApiDeps) {
  const q = e.queryStringParameters ?? {};
  if (q.state !== undefined && !(ALERT_STATES as readonly string[]).includes(q.state))
    throw new ApiError(400, `query parameter state=${q.state}: expected ${ALERT_STATES.join(', ')}`);
  const state = q.state as AlertState | undefined;
  const year = yearParam(q.year, false);
  const damaged = new DamagedLog();
  const listed = q.body ? await d.state.alertsOf(q.body, year, damaged) : await d.state.alerts(state, damaged);
  const all = listed
    .filter((a) => (state === undefined || a.state === state) && (year === undefined || a.year === year))
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .filter((a) => q.cursor === undefined || order(a) > q.cursor);
  const alerts = all.slice(0, ALERTS_PAGE);
  return { alerts, next: all.length > ALERTS_PAGE ? order(alerts.at(-1)!) : null, damaged: damaged.messages };
}

const DISMISS_REQUEST = {
  type: 'object',
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' } },
  additionalProperties: false,
};
const readDismissRequest = jsonChecker<{ reason: string }>(DISMISS_REQUEST, (m) => new ApiError(400, m));

/** POST /alerts/{id}/dismiss {"reason": "…"}: the alert as dismissed; 404 when there is no such alert. */
export async function dismissRoute(e: Event, d: ApiDeps) {
  const id = e.pathParameters?.id ?? '';
  const text = e.isBase64Encoded ? Buffer.from(e.body ?? '', 'base64').toString() : (e.body ?? '');
  const { reason } = readDismissRequest(text, 'request body');
  // Who: the IAM identity API Gateway authorized (routeApi refuses a request without one).
  const iam = e.requestContext?.authorizer?.iam;
  const alert = await dismissAlert(d.state, id, reason.trim(), new Date().toISOString(), iam?.userArn ?? iam?.userId);
  if (!alert) throw new ApiError(404, `alert ${id} not found`);
  return { alert };
}
