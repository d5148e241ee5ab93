// DOM helpers. Text always goes in through textContent, never innerHTML, so names and values
// from the cluster cannot inject markup.
import { UI_BASE } from './ui-model.js';
import { session, token } from './api.js';

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'value') e.value = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined && c !== null && c !== false) e.append(c);
  return e;
}

let navigate = () => {};
export function onNavigate(fn) {
  navigate = fn;
}

/** A UI address for `path` (below the UI base), keeping the picked datacenter. */
export function href(path) {
  const dc = session.dc && session.dc !== session.localDc ? `?dc=${encodeURIComponent(session.dc)}` : '';
  return UI_BASE + path + dc;
}

export function go(url) {
  history.pushState({}, '', url);
  navigate();
}

export function link(path, text, attrs = {}) {
  const url = href(path);
  return el('a', { href: url, text, ...attrs, onclick: (ev) => (ev.preventDefault(), go(url)) });
}

/**
 * A table whose rows are focusable: Enter (or a click outside a link) opens the row,
 * arrow keys move between rows.
 */
export function table(headers, rows, empty = 'Nothing to show.') {
  if (rows.length === 0) return el('p', { class: 'muted empty', text: empty });
  return el(
    'div',
    { class: 'scroll' },
    el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))), el('tbody', {}, ...rows)),
  );
}

export function row(path, ...cells) {
  const tr = el('tr', { tabindex: '0', 'data-href': path === undefined ? undefined : href(path) }, ...cells);
  tr.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && path !== undefined && ev.target === tr) go(href(path));
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      (ev.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling)?.focus();
    }
  });
  if (path !== undefined)
    tr.addEventListener('click', (ev) => {
      if (!ev.target.closest('a,button,input,select')) go(href(path));
    });
  return tr;
}

export function td(text, cls) {
  return el('td', { text: String(text ?? ''), class: cls });
}

export function badge(status, text = status) {
  return el('span', { class: `badge ${status}`, text });
}

/** "2 passing · 1 critical" with each part coloured. */
export function counts(c) {
  const parts = ['passing', 'warning', 'critical'].filter((s) => c[s] > 0).map((s) => badge(s, `${c[s]} ${s}`));
  return el('span', { class: 'counts' }, ...(parts.length ? parts : [el('span', { class: 'muted', text: 'no instances' })]));
}

export function tags(list) {
  return el('span', {}, ...(list ?? []).map((t) => el('span', { class: 'tag', text: t })));
}

export function errorBox(e) {
  return el('div', { class: 'error', role: 'alert', text: String(e?.message ?? e) });
}

/** Key/value pairs (meta, addresses) as a definition list. */
export function pairs(obj, empty = 'none') {
  const entries = Object.entries(obj ?? {});
  if (entries.length === 0) return el('p', { class: 'muted', text: empty });
  return el('dl', { class: 'pairs' }, ...entries.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
}

/**
 * Why a list is empty when ACLs may be hiding it: "you need a token" with no token; with one,
 * the agent's X-Consul-Results-Filtered-By-ACLs tells "there are none" from "your token may
 * not see them".
 */
export function emptyBecause(what, r) {
  if (!session.acl.enabled && !r?.filtered) return el('p', { class: 'muted empty', text: `No ${what}.` });
  if (!token())
    return el(
      'div',
      { class: 'notice deny' },
      el('strong', { text: `No ${what} visible. ` }),
      `ACLs are enabled and you are not logged in: you need a token to see ${what}. `,
      link('login', 'Log in'),
    );
  if (r && !r.filtered) return el('p', { class: 'muted empty', text: `No ${what}.` });
  const who = session.acl.self?.Description || session.acl.self?.AccessorID || 'the token you use';
  return el(
    'div',
    { class: 'notice deny' },
    el('strong', { text: `No ${what} visible. ` }),
    r?.filtered
      ? `There are some, but your token (${who}) may not see them. `
      : `There may be none, or your token (${who}) may not see them. `,
    link('login', 'Use another token'),
  );
}

/** Above a list that is not empty but lost items to the token's rules (nothing otherwise). */
export function hiddenNote(what, r) {
  return r?.filtered
    ? [el('p', { class: 'muted small hidden-note', text: `Some ${what} are hidden: your token may not see them.` })]
    : [];
}

/**
 * Filter values kept in the address bar, so a filtered list can be bookmarked and shared:
 * read from `?name=` on entry, written back with replaceState (no history entry per keystroke).
 */
export function urlFilter(names) {
  const params = new URLSearchParams(location.search);
  const values = Object.fromEntries(names.map((n) => [n, params.get(n) ?? '']));
  const save = () => {
    const next = new URLSearchParams(location.search);
    for (const n of names) {
      if (values[n]) next.set(n, values[n]);
      else next.delete(n);
    }
    const qs = next.toString();
    history.replaceState(history.state, '', location.pathname + (qs ? `?${qs}` : ''));
  };
  return { values, save };
}

/** Each check: name, status, output and notes. */
export function checksTable(checks) {
  return table(
    ['Check', 'Status', 'Output', 'Notes'],
    checks.map((c) =>
      row(
        undefined,
        el(
          'td',
          {},
          el('div', { text: c.Name }),
          el('div', { class: 'muted small', text: `${c.CheckID}${c.Type ? ` · ${c.Type}` : ''}` }),
        ),
        el('td', {}, badge(c.Status)),
        el(
          'td',
          {},
          c.Output ? el('pre', { class: 'output', text: c.Output }) : el('span', { class: 'muted', text: 'no output' }),
        ),
        td(c.Notes || ''),
      ),
    ),
    'No checks.',
  );
}
