/** The alerts page: open alerts with their evidence (dismissable on the live server), then those dismissed. */
import { ALERT_KINDS, type Alert } from '../../store/ports.ts';
import { html, page, type PageContext } from '../layout.ts';
import { alertItem, KIND_LABELS } from './alert-item.ts';

export function alertsPage(ctx: PageContext, v: { open: Alert[]; dismissed: Alert[] }, notice?: string): string {
  const perKind = ALERT_KINDS.map((k) => [k, v.open.filter((a) => a.kind === k).length] as const).filter(([, n]) => n > 0);
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="counts">${v.open.length} 条未处理 open${perKind.map(([k, n]) => html` · <span class="count k-${k}">${KIND_LABELS[k]![0]} ${n}</span>`)}</p>
${v.open.length ? html`<ul class="alerts" id="open-alerts">${v.open.map((a) => alertItem(ctx, a, { withBody: true }))}</ul>` : html`<p class="ok">没有未处理的提醒 no open alerts</p>`}
<section><h2>已忽略 <span class="en">dismissed</span> (${v.dismissed.length})</h2>
${v.dismissed.length ? html`<details><summary>显示 show</summary><ul class="alerts" id="dismissed-alerts">${v.dismissed.map((a) => alertItem(ctx, a, { withBody: true }))}</ul></details>` : html`<p>无 none</p>`}
</section>`;
  return page(ctx, { title: '提醒', titleEn: 'Alerts', nav: 'alerts', body });
}
