/**
 * The page shell and helpers every dashboard page shares. Templates are Hono's `html` tagged template: every
 * interpolated value is escaped (a body name or a portal's title can hold markup), `raw` only for our own markup.
 * Links are relative (`../body/x.html`), so the same pages work from the live server, from disk (`file://`) and
 * from any static host.
 */
import { html as honoHtml, raw } from 'hono/html';
import type { Severity } from '../report/model.ts';
import { PRODUCT } from '../version.ts';
import type { HtmlEscapedString } from 'hono/utils/html';

/** Markup, escaped where it came from data. */
export type Html = HtmlEscapedString;

/** `html` without promises: every value we interpolate is already at hand, so the result is a string. */
export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;
export { raw };

/** How pages are served: live pages can dismiss alerts and download archived bytes; static pages cannot. */
export const SITE_MODES = ['live', 'static'] as const;
export type SiteMode = (typeof SITE_MODES)[number];

export interface PageContext {
  mode: SiteMode;
  /** The path from this page to the site's root: '' at the root, '../' one folder down. */
  root: string;
  /** When the data was read. */
  generatedAt: string;
  /** The live server's anti-CSRF token for forms (app.ts). */
  csrfToken?: string;
  /** Stored records left out because they could not be read (store/ports.ts ListOptions): said on every page. */
  damaged?: number;
}

/** The words of the notice of `n` records left out (also drawn by assets/overview.js from the overview data). */
export function damagedText(n: number): string {
  const one = n === 1;
  return `${n} 条存储记录已损坏，无法读取，未显示在本站 · ${n} stored record${one ? '' : 's'} could not be read and ${one ? 'is' : 'are'} not shown (nianbao status and nianbao alerts name ${one ? 'it' : 'them'}).`;
}

/** The notice of records left out: the pages are not the whole store, and say so. */
function damagedNotice(n: number | undefined): Html | string {
  return n ? html`<p class="notice damaged" role="alert">${damagedText(n)}</p>` : '';
}

export const NAV = ['overview', 'alerts', 'years'] as const;
export type NavItem = (typeof NAV)[number];

const NAV_LABELS: Record<NavItem, [string, string, string]> = {
  overview: ['总览', 'Overview', 'index.html'],
  alerts: ['提醒', 'Alerts', 'alerts.html'],
  years: ['年度', 'Years', 'years.html'],
};

/** "2026-12-01 10:30 UTC": when the data was read. */
export const generatedLabel = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * A static page does not carry the time it was written: data/generated.js fills it in. So a page whose data did
 * not change is the same bytes as yesterday's, and the daily job need not write it again (s3-writer.ts).
 */
export const GENERATED_SCRIPT = 'data/generated.js';
const STATIC_TIME = html`<span class="generated" title="data read at">数据时间 <span data-generated>—</span> · 静态页面 static</span>`;

/** data/generated.js: the time of the site's last writing, into every static page's header. */
export function generatedScript(generatedAt: string): string {
  return `document.querySelectorAll('[data-generated]').forEach(function (e) { e.textContent = ${JSON.stringify(generatedLabel(generatedAt))}; });\n`;
}

/** The page: `lang="zh-CN"`, Chinese first with English beside, our stylesheet and scripts (no CDN: works offline). */
export function page(ctx: PageContext, p: { title: string; titleEn: string; nav?: NavItem; body: Html; scripts?: string[]; description?: string }): string {
  const navLinks = NAV.map((n) => {
    const [zh, en, href] = NAV_LABELS[n];
    return html`<a href="${ctx.root}${href}" ${raw(p.nav === n ? 'aria-current="page"' : '')}>${zh} <span class="en">${en}</span></a>`;
  });
  const doc = html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${PRODUCT}">
<title>${p.title} · ${p.titleEn} — nianbao 年报</title>
<link rel="stylesheet" href="${ctx.root}assets/site.css">
</head>
<body data-mode="${ctx.mode}">
<header class="top">
  <a class="brand" href="${ctx.root}index.html">nianbao <span>年报</span></a>
  <nav>${navLinks}</nav>
  ${ctx.mode === 'static' ? STATIC_TIME : html`<span class="generated" title="data read at">数据时间 ${generatedLabel(ctx.generatedAt)}</span>`}
</header>
<main>
<h1>${p.title} <span class="en">${p.titleEn}</span></h1>
${damagedNotice(ctx.damaged)}
${p.body}
</main>
<footer>政府信息公开工作年度报告 — 《政府信息公开条例》第四十九条、第五十条 · nianbao</footer>
${[...(ctx.mode === 'static' ? [GENERATED_SCRIPT] : []), ...(p.scripts ?? [])].map((s) => html`<script src="${ctx.root}${s}"></script>`)}
</body>
</html>
`;
  return doc.toString();
}

/** The labels of each cell status, Chinese first. */
export const STATUS_LABELS: Record<string, [zh: string, en: string, mark: string]> = {
  found: ['已发布', 'found', '✓'],
  late: ['逾期发布', 'late', '迟'],
  missing: ['未发布', 'missing', '缺'],
  unreachable: ['无法访问', 'unreachable', '断'],
  unknown: ['未知', 'unknown', '?'],
  pending: ['未到期', 'pending', '待'],
  removed: ['发布后撤下', 'removed', '撤'],
};

/** A finding's severity as the pages name it. */
export const SEVERITY_LABELS: Record<Severity, string> = { error: '错误 error', warning: '警告 warning', info: '提示 info' };

export const LEVEL_LABELS: Record<string, string> = { government: '人民政府', department: '部门', township: '乡镇街道', other: '其他' };

/** Site paths of a body's page and a report's page (ids are `[a-z0-9-]`, registry schema; encoded all the same). */
export const bodyPath = (id: string) => `body/${encodeURIComponent(id)}.html`;
export const reportPath = (id: string, year: number) => `report/${encodeURIComponent(id)}/${year}.html`;
export const yearPath = (year: number) => `year/${year}.html`;

/** A status badge. */
export function statusBadge(status: string, gaps = false): Html {
  const [zh, en, mark] = STATUS_LABELS[status] ?? [status, status, '?'];
  return html`<span class="badge s-${status}${gaps ? ' gaps' : ''}" title="${en}">${mark} ${zh}${gaps ? html` <em>有未读数字</em>` : ''}</span>`;
}

/** Where an archived capture can be had: a download from the live server, the CLI command on a static page. */
export function archiveLink(ctx: PageContext, sha256: string, label = sha256.slice(0, 12)): Html {
  if (ctx.mode === 'live') return html`<a class="sha" href="${ctx.root}archive/${sha256}" download title="${sha256}">${label}</a>`;
  return html`<code class="sha" title="nianbao get ${sha256}">${label}</code>`;
}

/** A time as people read it (UTC, to the minute). */
export const when = (iso: string | undefined | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

/** Data for a page script: a JSON island (not executed, so a strict script policy allows it), `<` escaped. */
export function jsonIsland(id: string, value: unknown): Html {
  return html`<script type="application/json" id="${id}">${raw(JSON.stringify(value).replace(/</g, '\\u003c'))}</script>`;
}

export { outcomeZh } from '../crawl/outcomes.ts';
