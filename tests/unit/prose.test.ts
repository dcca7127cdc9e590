import { describe, expect, it } from 'vitest';
import { extractProseClaims } from '../../shared/report/prose.ts';

const claims = (s: string) => extractProseClaims(s).map((c) => `${c.key}=${c.value}`);

describe('extractProseClaims (docs/format.md §9 patterns)', () => {
  it('reads received / handled / carried over / carried forward from one sentence', () => {
    expect(claims('全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有1 0 3件顺延到下年度答复），均在法定期限内予以答复。')).toEqual([
      'received=3119',
      'handled=3050',
      'carried_over=34',
      'carried_forward=103',
    ]);
  });

  it('reads "共收到70件申请" and "1件结转下年度继续办理"', () => {
    expect(claims('本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。')).toEqual(['received=70', 'handled=69', 'carried_forward=1']);
  });

  it('keeps 予以公开及部分公开 as one claim, not a 部分公开 claim', () => {
    expect(claims('予以公开及部分公开258件，占33.9%；不予公开35件；因本机关不掌握等原因无法提供265件；不予处理158件；其他处理0件。')).toEqual([
      'granted_or_partial=258',
      'denied=35',
      'unavailable=265',
      'rejected=158',
      'other_handled=0',
    ]);
  });

  it('reads review and litigation totals with their breakdowns', () => {
    expect(
      claims('政府信息公开行政复议35 1件，其中结果维持7 2件，结果纠正64件，其他结果178件，尚未审结37件；政府信息公开行政诉讼46件，其中结果维持25件。'),
    ).toEqual(['review_total=351', 'review_upheld=72', 'review_corrected=64', 'review_other=178', 'review_pending=37', 'suit_total=46', 'suit_upheld=25']);
  });

  it('reads "均获维持" as a claim about both', () => {
    expect(claims('信息公开类行政复议7件，诉讼9件，均获维持，继续保持了零败诉的记录。')).toEqual([
      'review_total=7',
      'suit_total=9',
      'review_all_upheld=1',
      'suit_all_upheld=1',
    ]);
  });

  it('ignores clauses about another year', () => {
    expect(claims('去年共收到政府信息公开申请15件。')).toEqual([]);
    expect(claims('共受理政府信息公开申请859件，申请数量较去年回落12.3%。')).toEqual(['received=859']);
  });
});
