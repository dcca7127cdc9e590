/**
 * The alert catalogue: for each kind of fact a watchdog is told, its identity (`detail`) and its Chinese and
 * English lines, in one place. The pipeline's stages decide *whether* a fact holds; this file says how it is
 * named and worded. Identities must not change: an alert is sent once per identity.
 */
import type { ContentChange, CrawlFailure } from '../store/ports.ts';
import type { AlertCandidate } from './decide.ts';
import type { LateBy } from '../deadlines.ts';
import { outcomeText } from '../crawl/outcomes.ts';
import type { Bilingual } from '../errors.ts';
import { splitReason } from './reason.ts';

export interface Named {
  name: string;
}

/** Failed outcomes that say the column itself is gone or refuses the request: a registry problem too. */
const COLUMN_GONE = new Set(['not_found', 'gone', 'client_error']);

export const catalogue = {
  /** 条例 第四十九条: no report after the deadline, the column read. */
  missing(body: Named, year: number, due: string, evidence: AlertCandidate['evidence']): AlertCandidate {
    return {
      kind: 'missing',
      detail: 'missing',
      summaryZh: `${body.name}未在${due}前发布${year}年度报告`,
      summaryEn: `${body.name} has not published its ${year} report (due ${due})`,
      evidence,
    };
  },

  late(body: Named, year: number, due: string, lateBy: LateBy | undefined, evidence: AlertCandidate['evidence']): AlertCandidate {
    // Chinese lines in Chinese throughout: the proof of lateness is said in each language.
    const zh = !lateBy ? '' : lateBy.by === 'page_date' ? `（页面所标发布时间${lateBy.date}）` : `（我方${lateBy.date}首次见到）`;
    const en = !lateBy ? '' : lateBy.by === 'page_date' ? ` (page date ${lateBy.date})` : ` (first seen ${lateBy.date})`;
    return {
      kind: 'late',
      detail: 'late',
      summaryZh: `${body.name}${year}年度报告迟于${due}发布${zh}`,
      summaryEn: `${body.name}: the ${year} report was published after ${due}${en}`,
      evidence,
    };
  },

  backDated(body: Named, year: number, pageDate: string, evidence: AlertCandidate['evidence']): AlertCandidate {
    return {
      kind: 'late',
      detail: 'back-dated',
      summaryZh: `${body.name}${year}年度报告所标发布时间${pageDate}早于我方未见该报告的抓取`,
      summaryEn: `${body.name}: the ${year} report's page date ${pageDate} precedes a crawl of ours that did not see it (back-dated)`,
      evidence,
    };
  },

  /** The column could not be read in several crawls spread over time. */
  unreachable(body: Named & { lists: string[] }, failures: CrawlFailure[]): AlertCandidate {
    const last = failures.at(-1);
    const gone = last !== undefined && COLUMN_GONE.has(last.outcome);
    const n = failures.length;
    // The outcome in Chinese, its code beside it for the operator (docs/runbook.md).
    const why = last ? outcomeText(last.outcome).zh : '?';
    return {
      kind: 'unreachable',
      detail: 'portal',
      summaryZh: gone ? `${body.name}的年报栏目已迁移或不存在（连续${n}次：${why}），请核对名录中的栏目地址` : `${body.name}的网站连续${n}次无法访问（${why}）`,
      summaryEn: gone
        ? `${body.name}: the annual-report column moved or is gone (${n} crawls: ${last.outcome}); check the registry's list URL`
        : `${body.name}: the portal failed ${n} crawls in a row (${last?.outcome ?? '?'})`,
      evidence: { url: last?.url ?? body.lists[0], outcome: last?.outcome, captureTime: last?.time, captureId: last?.captureId, failures },
    };
  },

  /** The report's own URL answers 404/410 (or no longer the report, the column read whole without it). */
  removed(body: Named, year: number, url: string, evidence: AlertCandidate['evidence']): AlertCandidate {
    return {
      kind: 'removed',
      detail: url,
      summaryZh: `${body.name}${year}年度报告发布后被删除`,
      summaryEn: `${body.name}: the ${year} report was removed after publication`,
      evidence: { url, ...evidence },
    };
  },

  /** What the report says changed after we first captured it. */
  changed(body: Named, year: number, c: ContentChange): AlertCandidate {
    const parts = [
      c.figures.length ? `${c.figures.length}处数据` : '',
      c.added.length || c.removed.length ? `正文增${c.added.length}句删${c.removed.length}句` : '',
      c.title ? '标题' : '',
      c.published ? '发布日期' : '',
      c.movedFrom ? '地址' : '',
    ].filter(Boolean);
    const partsEn = [
      c.figures.length ? `${c.figures.length} figures` : '',
      c.added.length || c.removed.length ? `text +${c.added.length}/−${c.removed.length} sentences` : '',
      c.title ? 'title' : '',
      c.published ? 'date' : '',
      c.movedFrom ? 'address' : '',
    ].filter(Boolean);
    return {
      kind: 'changed',
      detail: c.id,
      summaryZh: `${body.name}${year}年度报告发布后被修改（${parts.join('、')}）`,
      summaryEn: `${body.name}: the ${year} report changed after publication (${partsEn.join(', ')})`,
      evidence: {
        figures: c.figures,
        added: c.added,
        removed: c.removed,
        title: c.title,
        published: c.published,
        sha256: c.toSha256,
        previousSha256: c.fromSha256,
        captureTime: c.at,
        url: c.url,
        previousUrl: c.movedFrom,
        retrieve: `nianbao get ${c.fromSha256}  /  nianbao get ${c.toSha256}`,
      },
    };
  },

  /** The report was read with gaps: its unread figures, with why (CELL-UNREAD). One per body-year. */
  /** The report itself (its page, or the document the column links) could not be read at all. */
  reportUnreadable(body: Named, year: number, url: string, problem: Bilingual, evidence: AlertCandidate['evidence']): AlertCandidate {
    return {
      kind: 'unread',
      detail: `REPORT-UNREADABLE:${url}`,
      summaryZh: `${body.name}${year}年度报告无法读取（${problem.zh}），需人工核对`,
      summaryEn: `${body.name}: the ${year} report could not be read (${problem.en}) — check by hand`,
      evidence: { url, ...evidence },
    };
  },

  unread(body: Named, year: number, cells: { cell: string; reason: string }[], source: { sha256: string; time: string; url: string }): AlertCandidate {
    return {
      kind: 'unread',
      detail: 'CELL-UNREAD',
      summaryZh: `${body.name}${year}年度报告有${cells.length}个数字未能读取，数据不完整，需人工核对`,
      summaryEn: `${body.name}: ${cells.length} figures of the ${year} report could not be read — read with gaps, check by hand`,
      evidence: {
        rules: ['CELL-UNREAD'],
        cells: cells.map((c) => c.cell),
        figures: cells.slice(0, 20).map((c) => ({ cell: c.cell, reason: splitReason(c.reason) })),
        sha256: source.sha256,
        captureTime: source.time,
        url: source.url,
        retrieve: `nianbao get ${source.sha256}`,
      },
    };
  },

  /**
   * Items of one year whose figures differ. `corrected`: the one read is a corrected edition and the others are its
   * originals, still listed — the figures were corrected, and the column shows both versions.
   */
  duplicate(body: Named, year: number, urls: string[], opts: { corrected?: boolean } = {}): AlertCandidate {
    return {
      kind: 'inconsistent',
      detail: `DUPLICATE-REPORT:${[...urls].sort().join(' ')}`,
      summaryZh: opts.corrected
        ? `${body.name}${year}年度报告的更正版与原版数据不同，栏目仍同时列出两版`
        : `${body.name}发布了${urls.length}份数据不同的${year}年度报告`,
      summaryEn: opts.corrected
        ? `${body.name}: the corrected edition of the ${year} report differs from the original, and the column still lists both`
        : `${body.name} published ${urls.length} ${year} reports with different figures`,
      evidence: { rules: ['DUPLICATE-REPORT'], url: urls.join(' ') },
    };
  },

  sourceMismatch(body: Named, year: number, sha256: string, evidence: AlertCandidate['evidence']): AlertCandidate {
    const n = evidence.figures?.length ?? 0;
    return {
      kind: 'inconsistent',
      detail: `SOURCE-MISMATCH:${sha256}`,
      summaryZh: `${body.name}${year}年度报告的网页与附件数据不一致（${n}处）`,
      summaryEn: `${body.name}: the ${year} report's page and attachment differ in ${n} figures`,
      evidence: { rules: ['SOURCE-MISMATCH'], sha256, retrieve: `nianbao get ${sha256}`, ...evidence },
    };
  },

  /** An attachment of the report could not be fetched, or fetched but not read. */
  attachmentBroken(body: Named, year: number, url: string, problem: Bilingual, evidence: AlertCandidate['evidence']): AlertCandidate {
    return {
      kind: 'inconsistent',
      detail: `ATTACHMENT-BROKEN:${url}`,
      summaryZh: `${body.name}${year}年度报告的附件无法获取或无法读取（${problem.zh}）`,
      summaryEn: `${body.name}: the ${year} report's attachment cannot be fetched or read (${problem.en})`,
      evidence: { rules: ['ATTACHMENT-BROKEN'], url, ...evidence },
    };
  },
};
