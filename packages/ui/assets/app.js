// The Proconsul UI shell: header (sections, datacenter picker, token in use), the router and
// its view lifecycle. Plain DOM over the public HTTP API; each view gets an AbortSignal that
// ends its blocking queries when the user navigates away.
import { route } from './ui-model.js';
import { api, session, token } from './api.js';
import { el, errorBox, go, href, link, onNavigate } from './dom.js';
import { instanceView, nodeView, nodesView, serviceView, servicesView } from './views-catalog.js';
import { kvView } from './views-kv.js';
import { aclItemView, aclView, loginView, refreshSelf } from './views-acl.js';

const app = document.getElementById('app');
let live = new AbortController();

const VIEWS = {
  services: servicesView,
  service: serviceView,
  instance: instanceView,
  nodes: nodesView,
  node: nodeView,
  kv: kvView,
  acl: aclView,
  'acl-item': aclItemView,
  login: loginView,
};
const SECTION = { service: 'services', instance: 'services', node: 'nodes', 'acl-item': 'acl' };

function drawHeader() {
  const nav = document.getElementById('nav');
  const r = route(location.pathname);
  const section = SECTION[r.view] ?? r.view;
  nav.replaceChildren(
    ...[['services', 'Services'], ['nodes', 'Nodes'], ['kv', 'Key/Value'], ...(session.acl.enabled ? [['acl', 'ACL']] : [])].map(
      ([p, t]) => link(p === 'kv' ? 'kv/' : p, t, { class: section === p ? 'active' : undefined, 'data-nav': p }),
    ),
  );
  const who = document.getElementById('who');
  const self = session.acl.self;
  who.replaceChildren(
    !session.acl.enabled
      ? ''
      : link(
          'login',
          self ? `Token: ${self.Description || self.AccessorID.slice(0, 8)}` : token() ? 'Token not valid' : 'Log in',
          {
            class: self ? 'who' : 'who warn',
            title: self ? `AccessorID ${self.AccessorID}` : 'Log in with an ACL token',
          },
        ),
  );
}

async function drawDatacenters() {
  const picker = document.getElementById('dc');
  try {
    const dcs = (await api('/v1/catalog/datacenters', { local: true })).json();
    const all = dcs.includes(session.dc) ? dcs : [session.dc, ...dcs];
    picker.replaceChildren(...all.map((d) => el('option', { value: d, text: d, selected: d === session.dc })));
  } catch {
    picker.replaceChildren(el('option', { value: session.dc, text: session.dc || 'datacenter unknown' }));
  }
}

function render() {
  live.abort();
  live = new AbortController();
  session.dc = new URLSearchParams(location.search).get('dc') || session.localDc;
  const r = route(location.pathname);
  drawHeader();
  document.getElementById('dc').value = session.dc;
  app.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  const ctx = { ...r, signal: live.signal, show: (...n) => app.replaceChildren(...n), rerender: drawHeader };
  Promise.resolve(VIEWS[r.view](ctx)).catch((e) => live.signal.aborted || app.replaceChildren(errorBox(e)));
  document.title = `${r.arg && typeof r.arg === 'string' ? `${r.arg} · ` : ''}Proconsul`;
}

onNavigate(render);
window.addEventListener('popstate', render);
document.getElementById('dc').addEventListener('change', (ev) => {
  session.dc = ev.target.value;
  const here = route(location.pathname);
  // Another datacenter has other nodes and services: go to the section's list.
  const section = SECTION[here.view] ?? here.view;
  go(href(section === 'kv' ? 'kv/' : section === 'login' ? 'login' : section));
});

async function start() {
  try {
    const self = (await api('/v1/agent/self', { local: true })).json();
    session.localDc = self.Config.Datacenter;
    document.getElementById('node').textContent = self.Config.NodeName;
  } catch (e) {
    // With default-deny ACLs and no token agent/self is refused; the datacenter list still answers.
    if (e.status !== 403) app.replaceChildren(errorBox(e));
    try {
      session.localDc = (await api('/v1/catalog/datacenters', { local: true })).json()[0] ?? '';
    } catch {
      // shown by the view's own error
    }
  }
  session.dc = new URLSearchParams(location.search).get('dc') || session.localDc;
  await refreshSelf();
  await drawDatacenters();
  render();
}
start();
