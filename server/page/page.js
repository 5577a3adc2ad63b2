/* Fouille's search page: searches as you type (debounced; a newer search
 * aborts the older, and an answer older than the last asked is dropped),
 * facets (sources, a timeline by year or month), sort, pages, an article
 * view. The state lives in the URL (/?q=…&source=…&since=…), so searches
 * can be bookmarked, shared, reloaded, and the back button works. Stored
 * text only ever goes into the page as text (textContent), never as HTML. */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const LIMIT = 10, OFFSET_MAX = 10000, DEBOUNCE_MS = 150, SOURCES_SHOWN = 12;
  const fr = new Intl.NumberFormat('fr-FR');
  let state = readURL();
  let seq = 0, ctrl = null, timer = 0, last = null, bins = [], drag = null, allSources = false;

  /* ---- State and URL ---------------------------------------------------- */

  function readURL() {
    const p = new URLSearchParams(location.search);
    const offset = parseInt(p.get('offset') || '0', 10);
    return {
      q: p.get('q') || '', sources: p.getAll('source'), since: p.get('since') || '',
      until: p.get('until') || '', sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      offset: offset > 0 ? Math.min(offset, OFFSET_MAX) : 0, article: p.get('article') || ''
    };
  }

  function query(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    s.sources.forEach((x) => p.append('source', x));
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    if (s.sort === 'date') p.set('sort', 'date');
    if (s.offset) p.set('offset', String(s.offset));
    if (s.article) p.set('article', s.article);
    const t = p.toString();
    return '/' + (t ? '?' + t : '');
  }

  function commit(push) {
    const url = query(state);
    if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState']({ fouille: 1 }, '', url);
  }

  /* ---- Searching -------------------------------------------------------- */

  function searchURL() {
    const p = new URLSearchParams({ q: state.q, limit: String(LIMIT), offset: String(state.offset),
      facets: 'source,year,month', passages: '2', passage_length: '240' });
    state.sources.forEach((x) => p.append('source', x));
    if (state.since) p.set('since', state.since);
    if (state.until) p.set('until', state.until);
    if (state.sort === 'date') p.set('sort', 'date');
    return '/search?' + p.toString();
  }

  async function search() {
    const my = ++seq;
    if (ctrl) ctrl.abort();
    ctrl = null;
    if (!state.q.trim()) return clear();
    const c = ctrl = new AbortController();
    const t0 = performance.now();
    let res, json;
    try {
      res = await fetch(searchURL(), { signal: c.signal, headers: { Accept: 'application/json' } });
      json = await res.json();
    } catch (e) {
      if (my === seq && e.name !== 'AbortError') showError('Le serveur ne répond pas : réessayez dans un instant.');
      return;
    }
    if (my !== seq) return; /* a newer search was asked meanwhile */
    if (!res.ok || !json || !Array.isArray(json.hits)) {
      showError((json && json.error) || 'Erreur ' + res.status);
      return;
    }
    last = json;
    render(json);
    document.body.dataset.q = state.q;
    document.body.dataset.ms = String(Math.round(performance.now() - t0));
  }

  function clear() {
    last = null;
    $('hits').replaceChildren();
    $('count').textContent = '';
    $('pager').hidden = $('facets').hidden = $('did-you-mean').hidden = $('error').hidden = true;
    document.body.dataset.q = '';
  }

  function showError(msg) {
    clear();
    $('error').textContent = msg;
    $('error').hidden = false;
    $('count').textContent = 'La recherche a échoué.';
  }

  /* ---- Results ---------------------------------------------------------- */

  /* Appends text to el with the spans [start, end) (code points) in <mark>. */
  function marked(el, text, spans) {
    const cp = Array.from(text);
    let at = 0;
    for (const [s, e] of spans || []) {
      if (s < at || e > cp.length || e < s) continue;
      el.append(cp.slice(at, s).join(''));
      const m = document.createElement('mark');
      m.textContent = cp.slice(s, e).join('');
      el.append(m);
      at = e;
    }
    el.append(cp.slice(at).join(''));
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function dateFr(d) {
    if (!d) return '';
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(d);
    if (!m) return d;
    const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
      'septembre', 'octobre', 'novembre', 'décembre'];
    if (!m[2]) return m[1];
    const month = months[parseInt(m[2], 10) - 1] || m[2];
    return (m[3] ? parseInt(m[3], 10) + ' ' : '') + month + ' ' + m[1];
  }

  function hitItem(h) {
    const li = el('li'), h3 = el('h3'), a = el('a', '', h.title || h.key);
    a.href = query(Object.assign({}, state, { article: h.key }));
    a.dataset.key = h.key;
    h3.append(a);
    li.append(h3, el('p', 'meta', [dateFr(h.date), h.source].filter(Boolean).join(' · ')));
    for (const p of h.passages || []) {
      const para = el('p', 'passage');
      marked(para, p.text, p.highlights);
      li.append(para);
    }
    return li;
  }

  function render(r) {
    $('error').hidden = true;
    const n = r.total;
    let msg = n === 0 ? 'Aucun article ne correspond.' : fr.format(n) + (n === 1 ? ' article trouvé' : ' articles trouvés');
    if (n > 0 && r.fallback) msg += ' (aucun ne contient tous les mots : ceux qui en contiennent au moins un)';
    $('count').textContent = msg;
    $('hits').replaceChildren(...r.hits.map(hitItem));
    didYouMean(r);
    pager(n);
    $('facets').hidden = false;
    sources((r.facets && r.facets.source) || {});
    timeline((r.facets && r.facets.year) || {}, (r.facets && r.facets.month) || {});
    $('sort-box').querySelectorAll('input').forEach((i) => { i.checked = i.value === state.sort; });
  }

  function didYouMean(r) {
    const p = $('did-you-mean');
    p.replaceChildren();
    p.hidden = !(typeof r.did_you_mean === 'string' && r.did_you_mean);
    if (p.hidden) return;
    const a = el('a', '', r.did_you_mean);
    a.href = query(Object.assign({}, state, { q: r.did_you_mean, offset: 0, article: '' }));
    a.addEventListener('click', (e) => { e.preventDefault(); setQuery(r.did_you_mean, true); });
    if (r.corrected) p.append('Résultats pour « ', a, ' » : « ' + state.q + ' » ne se trouve pas tel quel dans l’archive.');
    else p.append('Vouliez-vous dire « ', a, ' » ?');
  }

  function pager(total) {
    const pages = Math.ceil(Math.min(total, OFFSET_MAX + LIMIT) / LIMIT), page = Math.floor(state.offset / LIMIT) + 1;
    $('pager').hidden = pages <= 1;
    $('prev').disabled = state.offset === 0;
    $('next').disabled = page >= pages;
    $('page-of').textContent = 'Page ' + page + ' sur ' + fr.format(pages);
  }

  function move(offset) {
    state.offset = Math.max(0, Math.min(offset, OFFSET_MAX));
    commit(true);
    search().then(() => { const a = document.querySelector('#hits a'); if (a) a.focus(); });
  }

  /* ---- Facets ----------------------------------------------------------- */

  function sources(counts) {
    const names = Object.keys(counts);
    state.sources.forEach((s) => { if (!(s in counts)) names.push(s); });
    const list = $('source-list');
    list.replaceChildren();
    if (!names.length) list.append(el('p', 'small', 'Aucune source indiquée.'));
    const shown = allSources ? names : names.filter((n, i) => i < SOURCES_SHOWN || state.sources.includes(n));
    shown.forEach((name, i) => {
      const label = el('label'), box = el('input');
      box.type = 'checkbox';
      box.value = name;
      box.id = 'src-' + i;
      box.checked = state.sources.includes(name);
      label.append(box, el('span', '', name), el('span', 'n', fr.format(counts[name] || 0)));
      list.append(label);
    });
    if (shown.length < names.length) {
      const more = el('button', 'link', 'Afficher les ' + fr.format(names.length) + ' sources');
      more.type = 'button';
      more.addEventListener('click', () => { allSources = true; sources(counts); list.querySelector('input').focus(); });
      list.append(more);
    }
  }

  function inRange(key) {
    return (!state.since || key >= state.since.slice(0, key.length)) &&
      (!state.until || key <= state.until.slice(0, key.length));
  }

  /* Bars by year, or by month when the dates chosen (or all) span two years at most. */
  function makeBins(years, months) {
    const ys = Object.keys(years).map(Number).filter((y) => y > 0).sort((a, b) => a - b);
    if (!ys.length) return [];
    const lo = state.since ? +state.since.slice(0, 4) : ys[0];
    const hi = state.until ? +state.until.slice(0, 4) : ys[ys.length - 1];
    const out = [];
    if (hi >= lo && hi - lo <= 1) {
      for (let y = lo; y <= hi; y++)
        for (let m = 1; m <= 12; m++) {
          const k = y + '-' + String(m).padStart(2, '0');
          out.push({ key: k, n: months[k] || 0, label: dateFr(k) });
        }
      return out;
    }
    const span = ys[ys.length - 1] - ys[0];
    const list = span <= 80 ? Array.from({ length: span + 1 }, (_, i) => ys[0] + i) : ys;
    return list.map((y) => ({ key: String(y), n: years[String(y)] || 0, label: String(y) }));
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function timeline(years, months) {
    bins = makeBins(years, months);
    const box = $('timeline');
    box.replaceChildren();
    $('tl-clear').hidden = !state.since && !state.until;
    $('tl-range').textContent = rangeText();
    if (!bins.length) return box.append(el('p', 'small', 'Aucune date.'));
    const max = Math.max(1, ...bins.map((b) => b.n)), w = 100 / bins.length;
    const svg = svgEl('svg', { viewBox: '0 0 100 60', preserveAspectRatio: 'none', role: 'group',
      'aria-label': 'Articles par ' + (bins[0].key.length > 4 ? 'mois' : 'année') + ' : cliquez ou glissez pour choisir des dates' });
    svg.append(svgEl('rect', { class: 'sel', x: 0, y: 0, width: 0, height: 60 }));
    bins.forEach((b, i) => {
      const h = b.n ? Math.max(2, (58 * b.n) / max) : 0;
      const on = state.since || state.until ? (inRange(b.key) ? ' on' : ' off') : '';
      svg.append(svgEl('rect', { class: 'bar' + on, x: i * w + w * 0.1, y: 60 - h, width: w * 0.8, height: h }));
      const hit = svgEl('rect', { class: 'hit', x: i * w, y: 0, width: w, height: 60, tabindex: '0', role: 'button',
        'aria-label': b.label + ' : ' + fr.format(b.n) + ' article' + (b.n === 1 ? '' : 's') });
      hit.dataset.i = String(i);
      const title = svgEl('title', {});
      title.textContent = b.label + ' : ' + fr.format(b.n);
      hit.append(title);
      svg.append(hit);
    });
    const axis = el('div', 'axis');
    axis.append(el('span', '', bins[0].label), el('span', '', bins[bins.length - 1].label));
    box.append(svg, axis);
  }

  function rangeText() {
    if (!state.since && !state.until) return 'Toutes les dates';
    if (state.since && state.since === state.until) return 'En ' + dateFr(state.since);
    if (!state.until) return 'Depuis ' + dateFr(state.since);
    if (!state.since) return 'Jusqu’à ' + dateFr(state.until);
    return 'De ' + dateFr(state.since) + ' à ' + dateFr(state.until);
  }

  function binAt(svg, x) {
    const r = svg.getBoundingClientRect();
    return Math.max(0, Math.min(bins.length - 1, Math.floor(((x - r.left) / r.width) * bins.length)));
  }

  function showDrag(svg) {
    const w = 100 / bins.length, a = Math.min(drag.from, drag.to), b = Math.max(drag.from, drag.to);
    const sel = svg.querySelector('.sel');
    sel.setAttribute('x', a * w);
    sel.setAttribute('width', (b - a + 1) * w);
  }

  function chooseDates(a, b) {
    state.since = bins[Math.min(a, b)].key;
    state.until = bins[Math.max(a, b)].key;
    state.offset = 0;
    commit(true);
    search();
  }

  function timelineEvents() {
    const box = $('timeline');
    box.addEventListener('pointerdown', (e) => {
      const svg = e.target.closest('svg');
      if (!svg || e.button !== 0) return;
      e.preventDefault();
      drag = { from: binAt(svg, e.clientX), to: binAt(svg, e.clientX), svg: svg, id: e.pointerId };
      svg.setPointerCapture(e.pointerId);
      showDrag(svg);
    });
    box.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag.to = binAt(drag.svg, e.clientX);
      showDrag(drag.svg);
    });
    box.addEventListener('pointerup', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      const d = drag;
      drag = null;
      chooseDates(d.from, binAt(d.svg, e.clientX));
    });
    box.addEventListener('pointercancel', () => { drag = null; });
    box.addEventListener('keydown', (e) => {
      const i = e.target.dataset && e.target.dataset.i;
      if (i === undefined || (e.key !== 'Enter' && e.key !== ' ')) return;
      e.preventDefault();
      chooseDates(+i, +i);
    });
    $('tl-clear').addEventListener('click', () => {
      state.since = state.until = '';
      state.offset = 0;
      commit(true);
      search();
    });
  }

  /* ---- The article view ------------------------------------------------- */

  function fold(s) {
    return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  }

  /* The words to mark: those the search marked in its passages, the query's words. */
  function markForms() {
    const forms = new Set();
    for (const h of (last && last.hits) || [])
      for (const p of h.passages || []) {
        const cp = Array.from(p.text);
        for (const [s, e] of p.highlights || []) fold(cp.slice(s, e).join('')).split(/[^\p{L}\p{N}]+/u).forEach((w) => w && forms.add(w));
      }
    fold(state.q).split(/[^\p{L}\p{N}]+/u).forEach((w) => { if (w.length > 1) forms.add(w); });
    return forms;
  }

  function markWords(para, text, forms) {
    const parts = text.split(/([\p{L}\p{N}]+)/u);
    parts.forEach((part, i) => {
      if (i % 2 && forms.has(fold(part))) para.append(el('mark', '', part));
      else if (part) para.append(part);
    });
  }

  async function showArticle(key) {
    $('results').hidden = true;
    $('facets').hidden = true;
    $('article').hidden = false;
    $('art-title').textContent = 'Chargement…';
    $('art-meta').textContent = '';
    $('art-body').replaceChildren();
    $('art-link').hidden = true;
    document.body.dataset.view = 'article';
    let a;
    try {
      const res = await fetch('/articles/' + encodeURIComponent(key), { headers: { Accept: 'application/json' } });
      a = await res.json();
      if (!res.ok) throw new Error(a.error || 'Erreur ' + res.status);
    } catch (e) {
      $('art-title').textContent = 'Article introuvable';
      $('art-meta').textContent = e.message;
      return;
    }
    if (state.article !== key) return;
    $('art-title').textContent = a.title || a.key;
    $('art-meta').textContent = [dateFr(a.date), a.source, a.author].filter(Boolean).join(' · ');
    if (a.url && /^https?:\/\//i.test(a.url)) {
      $('art-url').href = a.url;
      $('art-link').hidden = false;
    }
    const forms = markForms();
    for (const text of (a.body || '').split(/\n\s*\n/)) {
      const p = el('p');
      markWords(p, text.trim(), forms);
      $('art-body').append(p);
    }
    document.body.dataset.article = key;
    $('art-title').focus();
  }

  function showResults() {
    $('article').hidden = true;
    $('results').hidden = false;
    $('facets').hidden = !last;
    document.body.dataset.view = 'results';
    document.body.dataset.article = '';
  }

  /* ---- Events ----------------------------------------------------------- */

  function setQuery(q, push) {
    state = Object.assign(state, { q: q, offset: 0, article: '' });
    $('q').value = q;
    commit(push);
    showResults();
    return search();
  }

  async function load() {
    state = readURL();
    $('q').value = state.q;
    if (state.article) {
      await search();
      return showArticle(state.article);
    }
    showResults();
    return search();
  }

  function arrows(e) {
    const links = Array.from(document.querySelectorAll('#hits h3 a'));
    const i = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && (document.activeElement === $('q') || i >= 0)) {
      if (i + 1 < links.length) links[i + 1].focus();
      e.preventDefault();
    } else if (e.key === 'ArrowUp' && i >= 0) {
      (i > 0 ? links[i - 1] : $('q')).focus();
      e.preventDefault();
    }
  }

  function keys(e) {
    const t = e.target, typing = t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && t.type !== 'checkbox' && t.type !== 'radio';
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      $('q').focus();
      $('q').select();
    } else if (e.key === 'Escape' && state.article) {
      $('back').click();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (state.article || (typing && t !== $('q'))) return;
      arrows(e);
    }
  }

  function wire() {
    $('q').addEventListener('input', () => {
      const was = state.q;
      state = Object.assign(state, { q: $('q').value, offset: 0, article: '' });
      showResults();
      clearTimeout(timer);
      timer = setTimeout(() => { commit(!was.trim()); search(); }, DEBOUNCE_MS);
    });
    $('form').addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(timer);
      setQuery($('q').value, true);
    });
    $('hits').addEventListener('click', (e) => {
      const a = e.target.closest('a[data-key]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      state.article = a.dataset.key;
      commit(true);
      showArticle(state.article);
    });
    $('source-list').addEventListener('change', (e) => {
      if (e.target.type !== 'checkbox') return;
      const boxes = Array.from($('source-list').querySelectorAll('input:checked'));
      state.sources = boxes.map((b) => b.value);
      state.offset = 0;
      commit(true);
      search().then(() => { const b = document.getElementById(e.target.id); if (b) b.focus(); });
    });
    $('sort-box').addEventListener('change', (e) => {
      state.sort = e.target.value === 'date' ? 'date' : 'relevance';
      state.offset = 0;
      commit(true);
      search();
    });
    $('prev').addEventListener('click', () => move(state.offset - LIMIT));
    $('next').addEventListener('click', () => move(state.offset + LIMIT));
    $('back').addEventListener('click', () => {
      if (history.state && history.state.fouille) return history.back();
      state.article = ''; /* opened from a shared link: no page of ours to go back to */
      commit(true);
      load();
    });
    document.addEventListener('keydown', keys);
    window.addEventListener('popstate', load);
    timelineEvents();
  }

  wire();
  load();
})();
