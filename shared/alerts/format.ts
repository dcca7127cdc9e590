/**
 * Alert messages: one Chinese and one English line, the evidence, and how to retrieve the snapshot; as plain
 * text, Markdown, and the JSON bodies of the common webhook robots (DingTalk, WeCom, Feishu, Slack).
 */
import type { Alert } from '../store/ports.ts';
import { unreadReason } from './reason.ts';

export const WEBHOOK_FORMATS = ['json', 'dingtalk', 'wecom', 'feishu', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const KIND_ZH: Record<Alert['kind'], string> = {
  missing: '逾期未发布',
  late: '迟发',
  inconsistent: '数据不一致',
  changed: '发布后被修改',
  removed: '发布后被删除',
  unreachable: '网站无法访问',
  unread: '数据未能完整读取',
};

export function title(a: Alert, event: 'opened' | 'resolved'): string {
  const mark = event === 'resolved' ? '【已解除】' : '';
  return `${mark}${a.bodyName} ${a.year}年度报告：${KIND_ZH[a.kind]}`;
}

function evidenceLines(a: Alert): string[] {
  const e = a.evidence;
  const lines: string[] = [];
  if (e.rules?.length) lines.push(`rules: ${e.rules.join(', ')}`);
  if (e.figures?.length) {
    lines.push(
      ...e.figures.slice(0, 8).map((f) => {
        const unread = unreadReason(f);
        if (unread) return `${f.cell}: 未能读取（${unread.zh}） could not be read (${unread.en})`;
        return f.old !== undefined || f.new !== undefined
          ? `${f.cell}: ${f.old ?? '·'} → ${f.new ?? '·'}`
          : `${f.cell}: expected ${String(f.expected)}, actual ${String(f.actual)}`;
      }),
    );
  }
  if (e.quote) lines.push(`原文: “${e.quote}”`);
  if (e.diff) lines.push(`diff: ${e.diff}`);
  if (e.url) lines.push(`url: ${e.url}`);
  if (e.previousUrl) lines.push(`moved from / 原地址: ${e.previousUrl}`);
  if (e.outcome) lines.push(`outcome: ${e.outcome}`);
  if (a.kind === 'removed') {
    // Two captures: the one that found the report gone (its answer), and the last archived copy of what was there.
    lines.push(
      `capture: ${e.captureTime ?? '?'}${e.status ? ` HTTP ${e.status}` : ''}${e.captureId ? ` (${e.captureId})` : ''} — 报告已不在 the report is gone`,
    );
    if (e.sha256) lines.push(`last archived copy / 删除前的存档: sha256 ${e.sha256}`);
  } else if (e.captureTime || e.sha256)
    lines.push(`capture: ${e.captureTime ?? '?'} sha256 ${e.sha256 ?? '-'}${e.previousSha256 ? ` (was ${e.previousSha256})` : ''}`);
  if (e.retrieve) lines.push(`snapshot: ${e.retrieve}`);
  return lines;
}

export function textMessage(a: Alert, event: 'opened' | 'resolved'): string {
  return [title(a, event), a.summaryZh, a.summaryEn, ...evidenceLines(a), `alert ${a.id} · ${a.region ?? ''} ${a.bodyId}`].join('\n');
}

export function markdownMessage(a: Alert, event: 'opened' | 'resolved'): string {
  return [`### ${title(a, event)}`, '', `${a.summaryZh}  `, `${a.summaryEn}`, '', ...evidenceLines(a).map((l) => `- ${l}`), '', `\`${a.id}\``].join('\n');
}

/** The body a webhook of `format` expects. */
export function webhookBody(a: Alert, event: 'opened' | 'resolved', format: WebhookFormat): unknown {
  switch (format) {
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: title(a, event), text: markdownMessage(a, event) } };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: markdownMessage(a, event) } };
    case 'feishu':
      return { msg_type: 'text', content: { text: textMessage(a, event) } };
    case 'slack':
      return { text: textMessage(a, event) };
    case 'json':
      return { event, alert: a };
  }
}
