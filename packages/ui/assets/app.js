// The Proconsul UI: plain DOM, the public HTTP API and nothing else. Text always goes in
// through textContent, never innerHTML, so names and values cannot inject markup.
import { decodeValue, keyChildren, parentOf, route, serviceSummaries } from './ui-model.js';

const app = document.getElementById('app');
const TOKEN_KEY = 'proconsul.token';
let live = new AbortController();

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function link(href, text) {
  return el('a', { href, text, onclick: (ev) => (ev.preventDefault(), go(href)) });
}

async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = {};
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers['X-Consul-Token'] = token;
  const res = await fetch(path, { method, body, headers, signal });
  const text = await res.text();
  if (!res.ok && res.status !== 404) throw new Error(`${res.status}: ${text}`);
  return { status: res.status, index: res.headers.get('X-Consul-Index'), json: () => JSON.parse(text) };
}

/** Renders `build()` now and again whenever the blocking read `path` changes, until the route changes. */
async function watch(path, build) {
  const { signal } = live;
  let index = 0;
  while (!signal.aborted) {
    try {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api(`${path}${index ? `${sep}index=${index}&wait=30s` : ''}`, { signal });
      if (signal.aborted) return;
      if (r.index !== String(index)) await build(r);
      index = Number(r.index ?? 0);
    } catch (e) {
      if (signal.aborted) return;
      show(errorBox(e));
      await new Promise((res) => setTimeout(res, 3000));
    }
  }
}

function errorBox(e) {
  const msg = String(e.message ?? e);
  const hint = msg.startsWith('403') ? ' — enter an ACL token with read access above.' : '';
  return el('div', { class: 'error', text: msg + hint });
}

function show(...nodes) {
  app.replaceChildren(...nodes);
}

function statusCell(s) {
  return el('td', { class: s.status, text: `${s.status} (${s.passing}✓ ${s.warning}! ${s.critical}✗)` });
}

async function servicesView() {
  await watch('/v1/catalog/services', async (r) => {
    const checks = (await api('/v1/health/state/any')).json();
    const rows = serviceSummaries(r.json(), checks).map((s) =>
      el(
        'tr',
        {},
        el('td', {}, link(`/ui/services/${encodeURIComponent(s.name)}`, s.name)),
        statusCell(s),
        el('td', {}, ...s.tags.map((t) => el('span', { class: 'tag', text: t }))),
      ),
    );
    show(el('h1', { text: 'Services' }), table(['Service', 'Health', 'Tags'], rows));
  });
}

async function serviceView(name) {
  await watch(`/v1/health/service/${encodeURIComponent(name)}`, async (r) => {
    const rows = r.json().map((e) => {
      const worst = e.Checks.reduce((w, c) => (rank(c.Status) > rank(w) ? c.Status : w), 'passing');
      return el(
        'tr',
        {},
        el('td', { text: e.Service.ID }),
        el('td', {}, link(`/ui/nodes/${encodeURIComponent(e.Node.Node)}`, e.Node.Node)),
        el('td', { text: `${e.Service.Address || e.Node.Address}:${e.Service.Port}` }),
        el('td', { class: worst, text: e.Checks.map((c) => `${c.Name}: ${c.Status}`).join(', ') || 'no checks' }),
      );
    });
    show(el('h1', { text: `Service ${name}` }), table(['Instance', 'Node', 'Address', 'Checks'], rows));
  });
}

function rank(s) {
  return { passing: 0, warning: 1, critical: 2 }[s] ?? 2;
}

async function nodesView() {
  await watch('/v1/catalog/nodes', async (r) => {
    const checks = (await api('/v1/health/state/any')).json();
    const rows = r.json().map((n) => {
      const mine = checks.filter((c) => c.Node === n.Node);
      const worst = mine.reduce((w, c) => (rank(c.Status) > rank(w) ? c.Status : w), 'passing');
      return el(
        'tr',
        {},
        el('td', {}, link(`/ui/nodes/${encodeURIComponent(n.Node)}`, n.Node)),
        el('td', { text: n.Address }),
        el('td', { class: worst, text: `${worst} (${mine.length} checks)` }),
      );
    });
    show(el('h1', { text: 'Nodes' }), table(['Node', 'Address', 'Health'], rows));
  });
}

async function nodeView(name) {
  await watch(`/v1/catalog/node/${encodeURIComponent(name)}`, async (r) => {
    if (r.status === 404) return show(el('h1', { text: `Node ${name}` }), el('p', { text: 'No such node.' }));
    const n = r.json();
    const services = Object.values(n.Services ?? {}).map((s) =>
      el(
        'tr',
        {},
        el('td', {}, link(`/ui/services/${encodeURIComponent(s.Service)}`, s.Service)),
        el('td', { text: s.ID }),
        el('td', { text: String(s.Port) }),
      ),
    );
    show(
      el('h1', { text: `Node ${name}` }),
      el('p', { class: 'muted', text: n.Node.Address }),
      table(['Service', 'ID', 'Port'], services),
    );
  });
}

async function kvView(path) {
  if (path && !path.endsWith('/')) return kvEditor(path);
  await watch(`/v1/kv/${encodeURIComponent(path).replace(/%2F/g, '/')}?keys&separator=/`, async (r) => {
    const keys = r.status === 404 ? [] : r.json();
    const rows = keyChildren(keys, path).map((k) => el('tr', {}, el('td', {}, link(`/ui/kv/${k}`, k.slice(path.length)))));
    const newKey = el('input', { placeholder: 'new key (end with / for a folder)' });
    const create = el('button', {
      text: 'Create',
      onclick: async () => {
        const k = path + newKey.value;
        try {
          await api(`/v1/kv/${k}`, { method: 'PUT', body: '' });
          go(`/ui/kv/${k}`);
        } catch (e) {
          app.prepend(errorBox(e));
        }
      },
    });
    const up = path ? [link(`/ui/kv/${parentOf(path)}`, '← up')] : [];
    show(
      el('h1', { text: `Key/Value ${path || '/'}` }),
      ...up,
      el('div', { class: 'actions' }, newKey, create),
      table(['Key'], rows),
    );
  });
}

async function kvEditor(key) {
  try {
    const r = await api(`/v1/kv/${key}`);
    const current = r.status === 404 ? null : r.json()[0];
    const area = el('textarea', {});
    area.value = current ? decodeValue(current.Value) : '';
    const save = el('button', {
      text: 'Save',
      onclick: async () => {
        try {
          await api(`/v1/kv/${key}${current ? `?cas=${current.ModifyIndex}` : ''}`, { method: 'PUT', body: area.value });
          go(`/ui/kv/${parentOf(key)}`);
        } catch (e) {
          app.prepend(errorBox(e));
        }
      },
    });
    const del = el('button', {
      text: 'Delete',
      onclick: async () => {
        if (!confirm(`Delete ${key}?`)) return;
        await api(`/v1/kv/${key}`, { method: 'DELETE' }).catch((e) => app.prepend(errorBox(e)));
        go(`/ui/kv/${parentOf(key)}`);
      },
    });
    const meta = current
      ? `ModifyIndex ${current.ModifyIndex}, flags ${current.Flags}${current.Session ? `, locked by ${current.Session}` : ''}`
      : 'new key';
    show(
      el('h1', { text: key }),
      link(`/ui/kv/${parentOf(key)}`, '← back'),
      el('p', { class: 'muted', text: meta }),
      area,
      el('div', { class: 'actions' }, save, del),
    );
  } catch (e) {
    show(errorBox(e));
  }
}

function table(headers, rows) {
  if (rows.length === 0) return el('p', { class: 'muted', text: 'Nothing to show.' });
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))), el('tbody', {}, ...rows));
}

function go(href) {
  history.pushState({}, '', href);
  render();
}

function render() {
  live.abort();
  live = new AbortController();
  const r = route(location.pathname);
  const section = r.view === 'node' ? 'nodes' : r.view === 'service' ? 'services' : r.view;
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === section);
  show(el('p', { class: 'muted', text: 'Loading…' }));
  const views = { services: servicesView, service: serviceView, nodes: nodesView, node: nodeView, kv: kvView };
  views[r.view](r.arg);
}

document.getElementById('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const t = document.getElementById('token').value.trim();
  if (t) localStorage.setItem(TOKEN_KEY, t);
  document.getElementById('token').value = '';
  render();
});
document.getElementById('logout').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  render();
});
for (const a of document.querySelectorAll('[data-nav]'))
  a.addEventListener('click', (ev) => (ev.preventDefault(), go(a.getAttribute('href'))));
window.addEventListener('popstate', render);
api('/v1/agent/self')
  .then((r) => (document.getElementById('dc').textContent = `${r.json().Config.Datacenter} · ${r.json().Config.NodeName}`))
  .catch(() => {});
render();
