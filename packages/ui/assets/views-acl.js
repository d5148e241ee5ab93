// ACL: log in with a token (kept in localStorage, sent as X-Consul-Token), see which token
// is in use, and list, read, create, edit and delete tokens, policies and roles. Rules are
// checked by the agent on save: its 400 reason is shown next to them and nothing is lost.
import { TOKEN_KEY, api, session, token, watch } from './api.js';
import { el, emptyBecause, errorBox, go, href, link, row, table, td } from './dom.js';
import { formatNodeIdentities, formatServiceIdentities, parseNodeIdentities, parseServiceIdentities } from './ui-model.js';

const enc = encodeURIComponent;
const names = (list) => (list ?? []).map((x) => x.Name ?? x.ID).join(', ');
const identities = (x) =>
  [formatServiceIdentities(x.ServiceIdentities), ...(x.NodeIdentities ?? []).map((n) => `node ${n.NodeName}:${n.Datacenter}`)]
    .filter(Boolean)
    .join(', ');
const FIELD_HINTS = {
  names: 'names, comma separated',
  list: 'comma separated (empty = all)',
  services: 'service names, e.g. web, api:dc1 (a datacenter limits it)',
  nodes: 'node names, e.g. node-1, node-2:dc2 (default: this datacenter)',
};
const nameList = (text) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((Name) => ({ Name }));

/** The token in use, from /v1/acl/token/self; also tells whether ACLs are enabled at all. */
export async function refreshSelf() {
  try {
    const r = await api('/v1/acl/token/self', { local: true });
    session.acl = { enabled: true, self: r.status === 200 ? r.json() : null };
  } catch (e) {
    const disabled = /disabled/i.test(String(e.body ?? ''));
    session.acl = { enabled: !disabled, self: null, error: disabled ? undefined : e };
  }
  return session.acl;
}

export function loginView({ show, rerender }) {
  const input = el('input', {
    type: 'password',
    'aria-label': 'ACL token',
    placeholder: 'SecretID of an ACL token',
    autocomplete: 'off',
  });
  const msg = el('div', {});
  const current = session.acl.self;
  show(
    el('h1', { text: 'ACL token' }),
    el(
      'p',
      {},
      !session.acl.enabled
        ? 'ACLs are not enabled on this agent: no token is needed.'
        : current
          ? `In use: ${current.Description || '(no description)'} — AccessorID ${current.AccessorID}.`
          : token()
            ? 'The stored token is not valid here (the agent does not know it).'
            : 'No token: requests run as the anonymous token.',
    ),
    el(
      'form',
      {
        class: 'controls',
        onsubmit: async (ev) => {
          ev.preventDefault();
          const t = input.value.trim();
          if (!t) return msg.replaceChildren(errorBox('Paste a token SecretID first.'));
          const before = token();
          localStorage.setItem(TOKEN_KEY, t);
          const acl = await refreshSelf();
          if (acl.enabled && !acl.self) {
            if (before) localStorage.setItem(TOKEN_KEY, before);
            else localStorage.removeItem(TOKEN_KEY);
            await refreshSelf();
            return msg.replaceChildren(errorBox('The agent does not know this token (ACL not found). Nothing was changed.'));
          }
          rerender();
          go(href('services'));
        },
      },
      input,
      el('button', { type: 'submit', class: 'primary', text: 'Log in' }),
      token()
        ? el('button', {
            type: 'button',
            text: 'Log out',
            onclick: async () => {
              localStorage.removeItem(TOKEN_KEY);
              await refreshSelf();
              rerender();
              go(href('login'));
            },
          })
        : undefined,
    ),
    msg,
    el('p', {
      class: 'muted small',
      text: 'The token is kept in this browser (localStorage) and sent to the agent as X-Consul-Token.',
    }),
  );
}

/** What each ACL kind lists, reads and edits. */
const KINDS = {
  tokens: {
    title: 'Tokens',
    one: 'token',
    list: '/v1/acl/tokens',
    item: '/v1/acl/token',
    id: 'AccessorID',
    columns: [
      ['AccessorID', (t) => t.AccessorID],
      ['Description', (t) => t.Description],
      ['Policies', (t) => names(t.Policies)],
      ['Roles', (t) => names(t.Roles)],
      ['Identities', identities],
      ['Scope', (t) => (t.Local ? 'local' : 'global')],
    ],
    fields: [
      ['Description', 'text'],
      ['Policies', 'names'],
      ['Roles', 'names'],
      ['ServiceIdentities', 'services'],
      ['NodeIdentities', 'nodes'],
      ['Local', 'bool', { createOnly: true }],
    ],
  },
  policies: {
    title: 'Policies',
    one: 'policy',
    list: '/v1/acl/policies',
    item: '/v1/acl/policy',
    id: 'ID',
    columns: [
      ['Name', (p) => p.Name],
      ['Description', (p) => p.Description],
      ['Datacenters', (p) => (p.Datacenters ?? []).join(', ') || 'all'],
    ],
    fields: [
      ['Name', 'text'],
      ['Description', 'text'],
      ['Rules', 'rules'],
      ['Datacenters', 'list'],
    ],
  },
  roles: {
    title: 'Roles',
    one: 'role',
    list: '/v1/acl/roles',
    item: '/v1/acl/role',
    id: 'ID',
    columns: [
      ['Name', (r) => r.Name],
      ['Description', (r) => r.Description],
      ['Policies', (r) => names(r.Policies)],
      ['Identities', identities],
    ],
    fields: [
      ['Name', 'text'],
      ['Description', 'text'],
      ['Policies', 'names'],
      ['ServiceIdentities', 'services'],
      ['NodeIdentities', 'nodes'],
    ],
  },
};

function aclTabs(kind) {
  return el(
    'nav',
    { class: 'tabs' },
    ...Object.entries(KINDS).map(([k, v]) => link(`acl/${k}`, v.title, { class: k === kind ? 'active' : undefined })),
  );
}

function whoAmI() {
  const s = session.acl.self;
  return el(
    'p',
    { class: 'muted small' },
    s ? `Using token ${s.AccessorID} (${s.Description || 'no description'}). ` : 'No valid token in use. ',
    link('login', s ? 'Change' : 'Log in'),
  );
}

export function aclView({ signal, show, arg: kind }) {
  const spec = KINDS[kind];
  if (!spec) return show(el('p', { class: 'notice', text: `There is no ACL page "${kind}".` }));
  const body = el('div', {}, el('p', { class: 'muted', text: 'Loading…' }));
  show(
    aclTabs(kind),
    el('h1', { text: spec.title }),
    whoAmI(),
    el('div', { class: 'controls' }, link(`acl/${kind}/new`, `Create ${spec.one}`, { class: 'button' })),
    body,
  );
  if (!session.acl.enabled)
    return body.replaceChildren(el('p', { class: 'notice', text: 'ACLs are not enabled on this agent.' }));
  watch(
    signal,
    spec.list,
    (r) => {
      const items = r.json() ?? [];
      if (items.length === 0) return body.replaceChildren(emptyBecause(kind, r));
      body.replaceChildren(
        table(
          spec.columns.map(([h]) => h),
          items.map((it) =>
            row(
              `acl/${kind}/${enc(it[spec.id])}`,
              ...spec.columns.map(([, f], i) =>
                i === 0 ? el('td', {}, link(`acl/${kind}/${enc(it[spec.id])}`, String(f(it) ?? ''))) : td(f(it)),
              ),
            ),
          ),
        ),
      );
    },
    (e) =>
      body.replaceChildren(
        errorBox(e),
        e.status === 403 ? el('p', {}, link('login', 'Log in with a token that has acl:read')) : '',
      ),
  );
}

export async function aclItemView({ signal, show, arg: kind, id }) {
  const spec = KINDS[kind];
  if (!spec) return show(el('p', { class: 'notice', text: `There is no ACL page "${kind}".` }));
  const isNew = id === 'new';
  let item = {};
  if (!isNew) {
    try {
      const r = await api(`${spec.item}/${enc(id)}`, { signal });
      if (r.status === 404) return show(aclTabs(kind), el('p', { class: 'notice', text: `No ${spec.one} ${id}.` }));
      item = r.json();
    } catch (e) {
      if (!signal.aborted) show(aclTabs(kind), errorBox(e));
      return;
    }
  }
  const err = el('div', {});
  const inputs = {};
  const fields = spec.fields.filter(([, , o]) => !(o?.createOnly && !isNew));
  const form = el('form', { class: 'acl-form' });
  for (const [name, type] of fields) {
    const v = item[name];
    let input;
    if (type === 'bool') input = el('input', { type: 'checkbox', checked: Boolean(v) });
    else if (type === 'rules')
      input = el('textarea', {
        spellcheck: 'false',
        placeholder: 'key_prefix "app/" { policy = "read" }  (HCL or JSON)',
        value: v ?? '',
      });
    else
      input = el('input', {
        type: 'text',
        value:
          type === 'names'
            ? names(v)
            : type === 'list'
              ? (v ?? []).join(', ')
              : type === 'services'
                ? formatServiceIdentities(v)
                : type === 'nodes'
                  ? formatNodeIdentities(v)
                  : (v ?? ''),
        placeholder: FIELD_HINTS[type] ?? '',
      });
    input.setAttribute('aria-label', name);
    inputs[name] = [input, type];
    form.append(el('label', {}, el('span', { text: name.replace(/([a-z])([A-Z])/g, '$1 $2') }), input));
  }
  const collect = () => {
    const out = {};
    for (const [name, [input, type]] of Object.entries(inputs)) {
      if (type === 'bool') out[name] = input.checked;
      else if (type === 'names') out[name] = nameList(input.value);
      else if (type === 'services') out[name] = parseServiceIdentities(input.value);
      else if (type === 'nodes') out[name] = parseNodeIdentities(input.value, session.dc || session.localDc);
      else if (type === 'list')
        out[name] = input.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else out[name] = input.value;
    }
    return out;
  };
  const save = async (ev) => {
    ev.preventDefault();
    let body;
    try {
      body = collect();
    } catch (e) {
      return err.replaceChildren(errorBox(e.message));
    }
    if (typeof body.Rules === 'string' && body.Rules.trim().startsWith('{')) {
      try {
        JSON.parse(body.Rules);
      } catch (e) {
        return err.replaceChildren(errorBox(`The rules are not valid JSON: ${e.message}`));
      }
    }
    try {
      const r = await api(isNew ? spec.item : `${spec.item}/${enc(id)}`, { method: 'PUT', body: JSON.stringify(body) });
      const saved = r.json();
      go(href(`acl/${kind}/${enc(saved[spec.id])}`));
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  const remove = async () => {
    if (!confirm(`Delete ${spec.one} ${item.Name ?? item.Description ?? id}?`)) return;
    try {
      await api(`${spec.item}/${enc(id)}`, { method: 'DELETE' });
      go(href(`acl/${kind}`));
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  form.addEventListener('submit', save);
  form.append(
    err,
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', text: isNew ? 'Create' : 'Save' }),
      isNew ? undefined : el('button', { type: 'button', class: 'danger', text: 'Delete', onclick: remove }),
    ),
  );
  const facts = isNew
    ? []
    : [
        el(
          'dl',
          { class: 'pairs' },
          el('dt', { text: spec.id }),
          el('dd', { text: id }),
          ...(item.SecretID ? [el('dt', { text: 'SecretID' }), el('dd', {}, secret(item.SecretID))] : []),
          ...(item.CreateTime ? [el('dt', { text: 'Created' }), el('dd', { text: item.CreateTime })] : []),
        ),
      ];
  show(
    aclTabs(kind),
    el('nav', { class: 'crumbs' }, link(`acl/${kind}`, spec.title), ' / ', el('span', { text: isNew ? 'new' : id })),
    el('h1', { text: isNew ? `New ${spec.one}` : (item.Name ?? item.Description ?? id) }),
    ...facts,
    form,
  );
}

function secret(value) {
  const out = el('span', { class: 'secret', text: '••••••••' });
  const btn = el('button', {
    type: 'button',
    text: 'Reveal',
    onclick: () => {
      const hidden = out.textContent !== value;
      out.textContent = hidden ? value : '••••••••';
      btn.textContent = hidden ? 'Hide' : 'Reveal';
    },
  });
  return el('span', {}, out, ' ', btn);
}
