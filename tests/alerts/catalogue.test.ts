/**
 * The alert catalogue's texts: a watchdog reads the Chinese line, an operator the English one. Chinese lines say
 * everything in Chinese — the proof of lateness, why a portal failed — with codes (outcomes, rule ids), URLs and
 * hashes beside, never English words in their place (issue 16).
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../shared/alerts/catalogue.ts';
import { FETCH_OUTCOMES, outcomeText } from '../../shared/crawl/outcomes.ts';
import type { UnreadableInputError } from '../../shared/report/errors.ts';
import { readReport } from '../../shared/report/parse.ts';

const COLUMN = 'https://www.huizhou.gov.cn/zwgk/zfxxgknb/';
const body = { id: 'gd-huizhou', name: '惠州市人民政府', lists: [COLUMN] };
/** English words left in a Chinese line, once codes, URLs, hashes and `nianbao` commands are taken out. */
const englishIn = (zh: string) =>
  zh
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\b[0-9a-f]{12,64}\b/g, '')
    .replace(new RegExp(`\\b(${[...FETCH_OUTCOMES, 'not_a_list'].join('|')})\\b`, 'g'), '')
    .replace(/robots\.txt/g, '')
    .match(/[A-Za-z]{3,}/g) ?? [];

describe('Chinese lines are Chinese throughout', () => {
  it('late: the page date or our first sighting, in each language', () => {
    const byPage = catalogue.late(body, 2024, '2025-03-31', { by: 'page_date', date: '2025-04-10' }, {});
    expect(byPage.summaryZh).toBe('惠州市人民政府2024年度报告迟于2025-03-31发布（页面所标发布时间2025-04-10）');
    expect(byPage.summaryEn).toBe('惠州市人民政府: the 2024 report was published after 2025-03-31 (page date 2025-04-10)');
    const bySighting = catalogue.late(body, 2024, '2025-03-31', { by: 'first_seen', date: '2025-04-12' }, {});
    expect(bySighting.summaryZh).toBe('惠州市人民政府2024年度报告迟于2025-03-31发布（我方2025-04-12首次见到）');
    expect(bySighting.summaryEn).toContain('(first seen 2025-04-12)');
  });

  it.each([...FETCH_OUTCOMES.filter((o) => o !== 'ok' && o !== 'not_modified'), 'not_a_list'])(
    'unreachable after %s: the outcome said in Chinese, its code beside',
    (outcome) => {
      const failures = [1, 2, 3].map((d) => ({ time: `2025-04-0${d}T02:00:00.000Z`, outcome, url: COLUMN }));
      const a = catalogue.unreachable(body, failures);
      expect(englishIn(a.summaryZh)).toEqual([]);
      expect(a.summaryZh).toContain(`，${outcome}）`);
      expect(a.summaryZh).toContain('连续3次');
      expect(a.summaryZh).not.toContain('访问失败'); // every outcome has its own phrase, not the generic one
    },
  );

  it('the other kinds', () => {
    const change = {
      id: 'c1',
      at: '2025-05-01T02:00:00.000Z',
      url: 'https://www.huizhou.gov.cn/a.html',
      fromSha256: 'a'.repeat(64),
      toSha256: 'b'.repeat(64),
      figures: [{ cell: 'table3.received.total', old: 1, new: 2 }],
      added: ['新增一句。'],
      removed: [],
    };
    for (const a of [
      catalogue.missing(body, 2024, '2025-03-31', {}),
      catalogue.backDated(body, 2024, '2025-03-20', {}),
      catalogue.removed(body, 2024, 'https://www.huizhou.gov.cn/a.html', {}),
      catalogue.changed(body, 2024, change as never),
      catalogue.changed(body, 2024, { ...change, movedFrom: 'https://www.huizhou.gov.cn/old.html' } as never),
      catalogue.unread(body, 2024, [{ cell: 'table3.received.total', reason: 'digits ran together / 数字粘连' }], {
        sha256: 'c'.repeat(64),
        time: '2025-05-01T02:00:00.000Z',
        url: 'https://www.huizhou.gov.cn/a.html',
      }),
      catalogue.duplicate(body, 2024, ['https://www.huizhou.gov.cn/a.html', 'https://www.huizhou.gov.cn/b.html']),
      catalogue.duplicate(body, 2024, ['https://www.huizhou.gov.cn/a.html', 'https://www.huizhou.gov.cn/b.html'], { corrected: true }),
      catalogue.sourceMismatch(body, 2024, 'd'.repeat(64), { figures: [] }),
    ])
      expect(englishIn(a.summaryZh), a.summaryZh).toEqual([]);
  });

  it('a report that moved: the address is part of the change, and the old URL is evidence in every message', async () => {
    const { textMessage } = await import('../../shared/alerts/format.ts');
    const change = {
      id: 'c2',
      at: '2025-06-10T02:00:00.000Z',
      url: 'https://www.huizhou.gov.cn/new.html',
      fromSha256: 'a'.repeat(64),
      toSha256: 'b'.repeat(64),
      figures: [],
      added: [],
      removed: [],
      published: { old: '2025-01-20', new: '2025-06-10' },
      movedFrom: 'https://www.huizhou.gov.cn/old.html',
    };
    const c = catalogue.changed(body, 2024, change);
    expect(c.summaryZh).toBe('惠州市人民政府2024年度报告发布后被修改（发布日期、地址）');
    expect(c.summaryEn).toContain('(date, address)');
    const message = textMessage(
      {
        ...c,
        id: 'a2',
        bodyId: body.id,
        bodyName: body.name,
        year: 2024,
        state: 'open',
        openedAt: change.at,
        sent: { opened: [], resolved: [] },
        version: 1,
      } as never,
      'opened',
    );
    expect(message).toContain('url: https://www.huizhou.gov.cn/new.html\nmoved from / 原地址: https://www.huizhou.gov.cn/old.html');
  });

  it('a document that cannot be read, or an attachment that cannot be fetched: the problem in each language', async () => {
    // A real refusal, as the parser makes it: an empty file, and a PDF over the page limit.
    const problems = await Promise.all(
      [new Uint8Array(0), Buffer.from('%PDF-1.4 not really')].map((bytes) =>
        readReport(bytes, { name: 'r.pdf' }).then(
          () => {
            throw new Error('read');
          },
          (e: unknown) => (e as UnreadableInputError).problemText!,
        ),
      ),
    );
    for (const problem of problems) {
      const unreadable = catalogue.reportUnreadable(body, 2024, 'https://www.huizhou.gov.cn/r.pdf', problem, {});
      expect(unreadable.summaryZh).toContain(`（${problem.zh}）`);
      expect(unreadable.summaryEn).toContain(`(${problem.en})`);
      expect(unreadable.summaryZh).not.toContain(problem.en);
    }
    const timedOut = catalogue.attachmentBroken(body, 2024, 'https://www.huizhou.gov.cn/a.pdf', outcomeText('timeout'), {});
    expect(timedOut.summaryZh).toBe('惠州市人民政府2024年度报告的附件无法获取或无法读取（请求超时，timeout）');
    expect(timedOut.summaryEn).toContain('(timeout)');
  });
});

describe('an unread alert’s evidence', () => {
  it('says why each figure could not be read, in each language — never "expected undefined"', async () => {
    // A real report read with gaps: 平潭 2021's run-together table 二 digits, as the parser gives their reasons.
    const { parseReportBytes } = await import('../../shared/check.ts');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { FIXTURES } = await import('../helpers/fixtures.ts');
    const { textMessage } = await import('../../shared/alerts/format.ts');
    const report = parseReportBytes(readFileSync(join(FIXTURES, '06-pingtan-2021.txt')));
    expect(report.unread.length).toBeGreaterThan(0);
    const candidate = catalogue.unread(body, 2021, report.unread, { sha256: 'c'.repeat(64), time: '2022-02-01T02:00:00.000Z', url: COLUMN });
    const first = candidate.evidence.figures![0]!;
    expect(`${first.reason!.en} / ${first.reason!.zh}`).toBe(report.unread[0]!.reason); // apart, and nothing lost
    expect(englishIn(first.reason!.zh)).toEqual([]);
    const alert = {
      ...candidate,
      id: 'a1',
      bodyId: body.id,
      bodyName: body.name,
      year: 2021,
      state: 'open' as const,
      openedAt: '2022-02-01T02:00:00.000Z',
      sent: { opened: [], resolved: [] },
      version: 1,
    };
    const text = textMessage(alert, 'opened');
    expect(text).not.toContain('undefined');
    expect(text).toContain(`${first.cell}: 未能读取（${first.reason!.zh}） could not be read (${first.reason!.en})`);
    // An alert stored before the reason was kept apart (the reason as `actual`) reads the same.
    const legacy = { ...alert, evidence: { ...alert.evidence, figures: [{ cell: first.cell, actual: report.unread[0]!.reason }] } };
    expect(textMessage(legacy, 'opened')).toContain(`${first.cell}: 未能读取（${first.reason!.zh}） could not be read (${first.reason!.en})`);
  });

  it('a reason without a Chinese half stays whole in both', async () => {
    const { splitReason } = await import('../../shared/alerts/reason.ts');
    expect(splitReason('digits ran together / 数字粘连')).toEqual({ en: 'digits ran together', zh: '数字粘连' });
    expect(splitReason('a / b')).toEqual({ en: 'a / b', zh: 'a / b' });
    expect(splitReason('表 / 表格')).toEqual({ en: '表 / 表格', zh: '表 / 表格' });
    expect(splitReason('3 / 4 values / 数值过多')).toEqual({ en: '3 / 4 values', zh: '数值过多' });
  });
});
