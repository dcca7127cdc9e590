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
      catalogue.unread(body, 2024, [{ cell: 'table3.received.total', reason: 'digits ran together / 数字粘连' }], {
        sha256: 'c'.repeat(64),
        time: '2025-05-01T02:00:00.000Z',
        url: 'https://www.huizhou.gov.cn/a.html',
      }),
      catalogue.duplicate(body, 2024, ['https://www.huizhou.gov.cn/a.html', 'https://www.huizhou.gov.cn/b.html']),
      catalogue.sourceMismatch(body, 2024, 'd'.repeat(64), { figures: [] }),
    ])
      expect(englishIn(a.summaryZh), a.summaryZh).toEqual([]);
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
