/**
 * Province-level divisions by the first two digits of a 行政区划代码 (GB/T 2260): the overview filters bodies by
 * province, and the registry's `region` is a 6- or 12-digit code.
 */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
};

/** The province code (two digits) of a region code, or '' when there is none or it is not a province's. */
export function provinceOf(region: string | undefined): string {
  const p = region?.slice(0, 2) ?? '';
  return p in PROVINCES ? p : '';
}
