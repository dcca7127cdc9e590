/**
 * The alert outbox: the alerts with an event some channel has not received yet. Delivery reads only these
 * (`StateStore.undelivered`), never every alert ever raised — the list of all alerts grows every season, the
 * outbox holds what the next delivery run has to do.
 *
 * An alert is in the outbox until a deliverer has sent its latest event (the opening; once resolved, the
 * resolution too) to every one of its channels and marked it settled (`Alert.settled`). Opening, reopening
 * and resolving change the event, so the alert is back in the outbox without anyone having to put it there;
 * a dismissed alert is never sent again (decide.ts) and leaves it.
 */
import type { Alert } from './ports.ts';

/** The event an alert is at: its opening, or its resolution (each opening of an identity is distinct). */
export const settleKey = (a: Pick<Alert, 'state' | 'openedAt'>): string => `${a.state === 'resolved' ? 'resolved' : 'opened'}@${a.openedAt}`;

/** True when the alert still has an event to deliver. */
export const inOutbox = (a: Pick<Alert, 'state' | 'openedAt' | 'settled'>): boolean => a.state !== 'dismissed' && a.settled !== settleKey(a);

/** Outbox partitions in DynamoDB: a body's alerts are in one, so a crawl batch reads only its bodies' few. */
export const OUTBOX_SHARDS = 16;
