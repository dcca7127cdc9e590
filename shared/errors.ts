/**
 * The error taxonomy: every error nianbao throws on purpose says what happens next (crawlee's NonRetryableError /
 * RetryRequestError are the model). Anything that is not a NianbaoError is a bug — shown, logged and counted as an
 * internal error, never turned into a finding about a portal or a report.
 */
export const WHAT_NEXT = [
  /** Do it again later (a time budget spent, a store throttled): nothing is concluded. */
  'retry',
  /** This input cannot be read or used (a report over a limit, a poison message): say so, go on with the others. */
  'give_up',
  /** The configuration is wrong (a context value, an environment variable, a registry entry): fix it. */
  'fix_config',
  /** The caller asked for something wrong (a command-line option, an API request): tell them. */
  'fix_request',
  /** What is stored no longer holds (a damaged blob): alert the operator. */
  'alert',
] as const;
export type WhatNext = (typeof WHAT_NEXT)[number];

/** A text said in each language: an alert's Chinese line takes `zh`, its English line `en` (never split on ' / '). */
export interface Bilingual {
  en: string;
  zh: string;
}

/** The one-line form of a bilingual text: `English / 中文` (command-line messages, logs, stored states). */
export const bothLanguages = (t: Bilingual): string => `${t.en} / ${t.zh}`;

export abstract class NianbaoError extends Error {
  abstract readonly next: WhatNext;
  /** The message in each language, when it was made so (the message is then `English / 中文`). */
  readonly text: Bilingual | undefined;

  constructor(message: string | Bilingual, options?: { cause?: unknown }) {
    super(typeof message === 'string' ? message : bothLanguages(message), options);
    this.name = new.target.name;
    this.text = typeof message === 'string' ? undefined : message;
  }
}

/** Retry later; nothing about the portal or the report is concluded. */
export abstract class RetryLaterError extends NianbaoError {
  readonly next = 'retry' as const;
}

/** This input is given up on (and said so); the others go on. */
export abstract class GiveUpError extends NianbaoError {
  readonly next = 'give_up' as const;
}

/** A configuration value is wrong: the message names it and what is expected. */
export class ConfigError extends NianbaoError {
  readonly next = 'fix_config' as const;
}

/** A request (an option, an API call) is wrong: the message names it and what is expected. */
export abstract class RequestError extends NianbaoError {
  readonly next = 'fix_request' as const;
}

/** Stored data no longer holds what it should: an operator must look. */
export abstract class IntegrityError extends NianbaoError {
  readonly next = 'alert' as const;
}

/** True for an error that nianbao threw on purpose (anything else is a bug). */
export const isExpected = (e: unknown): e is NianbaoError => e instanceof NianbaoError;
