// @ts-check
/**
 * The overview's rows (pages/overview.ts): filters, search, sort and a page of 100 rows at a time, drawn with DOM
 * calls only (textContent, never innerHTML: a body's name is data). The data is window.NIANBAO_OVERVIEW
 * (data.ts OverviewData, one character per cell). The filter state lives in the URL's hash, so a view can be linked.
 */
(() => {
  /** @type {any} */
  const D = /** @type {any} */ (window).NIANBAO_OVERVIEW;
  const PAGE = 100;
  const CODE = { f: 'found', l: 'late', m: 'missing', u: 'unreachable', k: 'unknown', p: 'pending', r: 'removed' };
  const form = /** @type {HTMLFormElement} */ (document.getElementById('filters'));
  const table = /** @type {HTMLTableElement} */ (document.getElementById('overview'));
  const pager = /** @type {HTMLElement} */ (document.getElementById('pager'));
  const counts = /** @type {HTMLElement} */ (document.getElementById('counts'));
  let pageNo = 0;

  /** @param {string} tag @param {Record<string,string>} [attrs] @param {(Node|string)[]} [children] */
  const el = (tag, attrs = {}, children = []) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

  // Records the data left out (data.ts OverviewData.damaged): said above the table, unless the page already says it.
  if (D.damaged && !document.querySelector('.notice.damaged')) counts.before(el('p', { class: 'notice damaged', role: 'alert' }, [D.damaged]));

  // Options only the data knows: the provinces present and the years.
  const provinces = [...new Set(D.bodies.map((/** @type {any[]} */ b) => b[2]).filter(Boolean))].sort();
  for (const p of provinces) field('province').append(el('option', { value: p }, [`${D.provinces[p] ?? p}`]));
  for (const y of [...D.years].reverse()) field('year').append(el('option', { value: String(y) }, [String(y)]));

  const params = new URLSearchParams(location.hash.slice(1));
  for (const [k, v] of params) if (form.elements.namedItem(k)) field(k).value = v;

  /** The status of body i in year index j, and whether it was read with gaps. */
  const cell = (/** @type {number} */ i, /** @type {number} */ j) => {
    const c = D.cells[i][j];
    if (c === '-') return { status: '', gaps: false };
    if (c === '!') return { status: 'damaged', gaps: false }; // data.ts DAMAGED_STATE: the stored state could not be read
    return { status: CODE[/** @type {keyof typeof CODE} */ (c.toLowerCase())], gaps: c !== c.toLowerCase() };
  };

  function selected() {
    const q = field('q').value.trim();
    const province = field('province').value;
    const level = field('level').value;
    const year = field('year').value;
    const status = field('status').value;
    const yearIdx = year ? [D.years.indexOf(Number(year))] : D.years.map((/** @type {number} */ _, /** @type {number} */ j) => j);
    const rows = [];
    for (let i = 0; i < D.bodies.length; i++) {
      const b = D.bodies[i];
      if (q && !b[1].includes(q) && !b[0].includes(q)) continue;
      if (province && b[2] !== province) continue;
      if (level && b[3] !== level) continue;
      if (status && !yearIdx.some((/** @type {number} */ j) => (status === 'gaps' ? cell(i, j).gaps : cell(i, j).status === status))) continue;
      rows.push(i);
    }
    const sort = field('sort').value;
    const by = {
      name: (/** @type {number} */ a, /** @type {number} */ b) => D.bodies[a][1].localeCompare(D.bodies[b][1], 'zh-CN'),
      deadline: (/** @type {number} */ a, /** @type {number} */ b) => D.bodies[a][4].localeCompare(D.bodies[b][4]) || by.name(a, b),
      alerts: (/** @type {number} */ a, /** @type {number} */ b) => D.bodies[b][5] - D.bodies[a][5] || by.name(a, b),
      province: (/** @type {number} */ a, /** @type {number} */ b) => D.bodies[a][2].localeCompare(D.bodies[b][2]) || by.name(a, b),
    };
    rows.sort(by[/** @type {keyof typeof by} */ (sort)] ?? by.deadline);
    return { rows, yearIdx };
  }

  function drawCounts(/** @type {number[]} */ rows, /** @type {number[]} */ yearIdx) {
    /** @type {Record<string, number>} */
    const n = {};
    let gaps = 0;
    for (const i of rows)
      for (const j of yearIdx) {
        const c = cell(i, j);
        if (c.status) n[c.status] = (n[c.status] ?? 0) + 1;
        if (c.gaps) gaps++;
      }
    counts.replaceChildren(
      el('span', { class: 'total' }, [`${rows.length} / ${D.bodies.length} 个单位 bodies`]),
      ...Object.keys(CODE).map((k) => {
        const s = CODE[/** @type {keyof typeof CODE} */ (k)];
        const [zh, en] = D.statuses[s];
        return el('span', { class: `count s-${s}`, 'data-status': s }, [`${zh} ${en} `, el('b', {}, [String(n[s] ?? 0)])]);
      }),
      el('span', { class: 'count gaps', 'data-status': 'gaps' }, ['有未读数字 read with gaps ', el('b', {}, [String(gaps)])]),
    );
  }

  function draw() {
    const { rows, yearIdx } = selected();
    drawCounts(rows, yearIdx);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    pageNo = Math.min(pageNo, pages - 1);
    const head = el('tr', {}, [
      el('th', { scope: 'col' }, ['单位 body']),
      el('th', { scope: 'col' }, ['省份']),
      el('th', { scope: 'col' }, ['层级']),
      el('th', { scope: 'col' }, ['截止']),
      ...yearIdx.map((/** @type {number} */ j) =>
        el('th', { scope: 'col', class: 'year' }, [el('a', { href: `year/${D.years[j]}.html` }, [String(D.years[j])])]),
      ),
      el('th', { scope: 'col' }, ['提醒']),
    ]);
    table.tHead?.replaceChildren(head);
    const body = rows.slice(pageNo * PAGE, (pageNo + 1) * PAGE).map((i) => {
      const b = D.bodies[i];
      const id = encodeURIComponent(b[0]);
      return el('tr', { 'data-body': b[0] }, [
        el('th', { scope: 'row' }, [el('a', { href: `body/${id}.html` }, [b[1]])]),
        el('td', {}, [D.provinces[b[2]] ?? '']),
        el('td', {}, [D.levels[b[3]] ?? b[3]]),
        el('td', {}, [b[4]]),
        ...yearIdx.map((/** @type {number} */ j) => {
          const c = cell(i, j);
          if (!c.status) return el('td', { class: 'cell none', title: '无记录 no record' }, ['·']);
          if (c.status === 'damaged')
            return el(
              'td',
              { class: 'cell s-damaged', 'data-status': 'damaged', title: `${D.years[j]} 记录已损坏，无法读取 record damaged, could not be read` },
              ['!'],
            );
          const [zh, en, mark] = D.statuses[c.status];
          const title = `${D.years[j]} ${zh} ${en}${c.gaps ? ' · 有未读数字 read with gaps' : ''}`;
          return el('td', { class: `cell s-${c.status}${c.gaps ? ' gaps' : ''}`, 'data-status': c.status, title }, [
            el('a', { href: `report/${id}/${D.years[j]}.html` }, [mark]),
          ]);
        }),
        el('td', { class: 'num' }, [b[5] ? String(b[5]) : '']),
      ]);
    });
    table.tBodies[0]?.replaceChildren(...body);
    const button = (/** @type {string} */ label, /** @type {number} */ to, disabled = false) => {
      const btn = el('button', { type: 'button' }, [label]);
      /** @type {HTMLButtonElement} */ (btn).disabled = disabled;
      btn.addEventListener('click', () => {
        pageNo = to;
        draw();
      });
      return btn;
    };
    pager.replaceChildren(
      button('‹ 上一页', pageNo - 1, pageNo === 0),
      el('span', {}, [
        `第 ${pageNo + 1} / ${pages} 页 · ${rows.length ? pageNo * PAGE + 1 : 0}–${Math.min(rows.length, (pageNo + 1) * PAGE)} / ${rows.length}`,
      ]),
      button('下一页 ›', pageNo + 1, pageNo >= pages - 1),
    );
  }

  const onChange = () => {
    pageNo = 0;
    const p = new URLSearchParams();
    for (const k of ['q', 'province', 'level', 'year', 'status', 'sort']) if (field(k).value) p.set(k, field(k).value);
    try {
      history.replaceState(null, '', `#${p}`);
    } catch {
      // Some browsers refuse history changes on file:// pages; the view still works without a linkable hash.
    }
    draw();
  };
  form.addEventListener('input', onChange);
  form.addEventListener('change', onChange);
  form.addEventListener('submit', (e) => e.preventDefault());
  draw();
})();
