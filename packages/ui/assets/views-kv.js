// Key/Value: folders with breadcrumbs, an editor whose every save is a check-and-set, and a
// conflict dialog that shows both values and lets the user choose. Nothing is written before
// Save, and no write is ever lost silently.
import { base64Bytes, breadcrumbs, editorBytes, editorText, encodeKey, isText, keyChildren, parentOf } from './ui-model.js';
import { api, watch } from './api.js';
import { el, emptyBecause, errorBox, go, href, link, row, table, td } from './dom.js';

export function kvView(ctx) {
  return ctx.arg && !ctx.arg.endsWith('/') ? kvEditor(ctx) : kvFolder(ctx);
}

function crumbs(path, last) {
  const parts = breadcrumbs(path).flatMap(([label, p]) => [link(`kv/${encodeKey(p)}`, label), ' / ']);
  if (last) parts.push(el('span', { text: last }));
  else parts.pop();
  return el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumbs' }, ...parts);
}

function kvFolder({ signal, show, arg: path }) {
  const err = el('div', {});
  const list = el('div', {}, el('p', { class: 'muted', text: 'Loading…' }));
  const name = el('input', { placeholder: 'name, or name/ for a folder', 'aria-label': 'New key name' });
  const create = async (ev) => {
    ev.preventDefault();
    const n = name.value;
    if (!n) return err.replaceChildren(errorBox('Type a name for the new key or folder first.'));
    const full = path + n;
    if (!full.endsWith('/')) return go(href(`kv/${encodeKey(full)}`)); // written only on Save
    try {
      // A folder is an empty key ending in "/"; cas=0 never overwrites one that exists.
      await api(`/v1/kv/${encodeKey(full)}?cas=0`, { method: 'PUT', body: '' });
      go(href(`kv/${encodeKey(full)}`));
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  const remove = async () => {
    try {
      const r = await api(`/v1/kv/${encodeKey(path)}?keys`);
      const n = r.status === 404 ? 0 : r.json().length;
      if (!confirm(`Delete the folder ${path} and everything in it (${n} key${n === 1 ? '' : 's'})? This cannot be undone.`))
        return;
      await api(`/v1/kv/${encodeKey(path)}?recurse`, { method: 'DELETE' });
      go(href(`kv/${encodeKey(parentOf(path))}`));
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  show(
    crumbs(path),
    el('h1', { text: path || 'Key/Value' }),
    el(
      'form',
      { class: 'controls', onsubmit: create },
      name,
      el('button', { type: 'submit', text: 'Create' }),
      path ? el('button', { type: 'button', class: 'danger', text: 'Delete folder…', onclick: remove }) : undefined,
    ),
    err,
    list,
  );
  watch(
    signal,
    `/v1/kv/${encodeKey(path)}?keys&separator=/`,
    (r) => {
      err.replaceChildren();
      const keys = r.status === 404 ? [] : r.json();
      const children = keyChildren(keys, path);
      if (children.length === 0)
        return list.replaceChildren(
          path ? el('p', { class: 'muted empty', text: 'This folder is empty.' }) : emptyBecause('keys', r),
        );
      children.sort((a, b) => Number(b.endsWith('/')) - Number(a.endsWith('/')) || a.localeCompare(b));
      list.replaceChildren(
        table(
          ['Key', 'Kind'],
          children.map((k) =>
            row(
              `kv/${encodeKey(k)}`,
              el('td', {}, link(`kv/${encodeKey(k)}`, k.slice(path.length))),
              td(k.endsWith('/') ? 'folder' : 'key'),
            ),
          ),
        ),
      );
    },
    (e) => err.replaceChildren(errorBox(e)),
  );
}

const shown = (bytes) => (isText(bytes) ? new TextDecoder().decode(bytes) : `(binary, base64) ${editorText(bytes, 'base64')}`);

function kvEditor({ signal, show, arg: key }) {
  const path = `/v1/kv/${encodeKey(key)}`;
  const err = el('div', {});
  const changed = el('div', {});
  const status = el('p', { class: 'muted', role: 'status' });
  const area = el('textarea', { 'aria-label': 'Value', spellcheck: 'false' });
  // Closed until the key's value has loaded: load() sets the text, and would wipe what was typed before.
  area.disabled = true;
  const flags = el('input', { type: 'number', min: '0', 'aria-label': 'Flags', value: '0', class: 'flags' });
  const dialog = el('dialog', { class: 'conflict', 'aria-label': 'Conflict' });
  let base = 0; // the ModifyIndex the edit started from: 0 = the key must not exist yet
  let current = null;
  let mode = 'text';
  const modes = el('div', { class: 'modes', role: 'radiogroup', 'aria-label': 'Show value as' });

  const setMode = (m) => {
    const b = editorBytes(area.value, mode);
    if (b.error) return err.replaceChildren(errorBox(`Cannot switch to ${m}: ${b.error}`));
    err.replaceChildren();
    mode = m;
    area.value = editorText(b.bytes, m);
    drawModes();
  };
  const drawModes = () =>
    modes.replaceChildren(
      ...['text', 'json', 'base64'].map((m) =>
        el('button', {
          type: 'button',
          role: 'radio',
          'aria-checked': String(m === mode),
          class: m === mode ? 'on' : '',
          text: m === 'json' ? 'JSON' : m[0].toUpperCase() + m.slice(1),
          onclick: () => setMode(m),
        }),
      ),
    );
  const describe = () => {
    status.replaceChildren(
      current
        ? `ModifyIndex ${current.ModifyIndex} · Flags ${current.Flags} · ${current.Session ? `Locked by session ${current.Session}` : 'No session holds it'}`
        : 'New key: nothing is written until you press Save.',
    );
  };
  const load = (entry, keepMode = false) => {
    changed.replaceChildren();
    current = entry;
    base = entry ? entry.ModifyIndex : 0;
    flags.value = String(entry?.Flags ?? 0);
    const bytes = base64Bytes(entry?.Value);
    if (!keepMode) mode = isText(bytes) ? 'text' : 'base64';
    area.value = editorText(bytes, mode);
    drawModes();
    describe();
  };
  const fetchCurrent = async () => {
    const r = await api(path);
    return r.status === 404 ? null : r.json()[0];
  };
  const put = (bytes, cas) => api(`${path}?cas=${cas}&flags=${Number(flags.value) || 0}`, { method: 'PUT', body: bytes });

  const save = async (bytes, cas) => {
    const r = await put(bytes, cas);
    if (r.text.trim() === 'true') {
      load(await fetchCurrent(), true);
      err.replaceChildren(
        el('div', { class: 'notice ok', role: 'status', text: `Saved at index ${current?.ModifyIndex ?? '?'}.` }),
      );
      return;
    }
    await conflict(bytes);
  };
  const conflict = async (mine) => {
    const theirs = await fetchCurrent();
    const theirBytes = base64Bytes(theirs?.Value);
    const close = () => dialog.close();
    dialog.replaceChildren(
      el('h2', { text: 'This key changed since you opened it' }),
      el('p', { text: 'Your save was not written. Compare the two values and choose.' }),
      el(
        'div',
        { class: 'sides' },
        el('section', {}, el('h3', { text: 'Your value' }), el('pre', { class: 'mine', text: shown(mine) })),
        el(
          'section',
          {},
          el('h3', { text: theirs ? `Current value (index ${theirs.ModifyIndex}, flags ${theirs.Flags})` : 'Current value' }),
          el('pre', { class: 'theirs', text: theirs ? shown(theirBytes) : '(the key was deleted)' }),
        ),
      ),
      el(
        'div',
        { class: 'actions' },
        el('button', {
          text: 'Overwrite with mine',
          class: 'danger',
          onclick: async () => {
            close();
            try {
              await save(mine, theirs ? theirs.ModifyIndex : 0);
            } catch (e) {
              err.replaceChildren(errorBox(e));
            }
          },
        }),
        el('button', {
          text: 'Take theirs',
          onclick: () => (
            close(),
            load(theirs),
            err.replaceChildren(el('div', { class: 'notice', text: 'Loaded the current value; your edit was discarded.' }))
          ),
        }),
        el('button', {
          text: 'Cancel',
          onclick: () => (
            close(),
            err.replaceChildren(
              el('div', { class: 'notice', text: 'Not saved. Your edit is still here; saving again will ask again.' }),
            )
          ),
        }),
      ),
    );
    dialog.showModal();
  };
  const onSave = async () => {
    const b = editorBytes(area.value, mode);
    if (b.error) return err.replaceChildren(errorBox(b.error));
    try {
      await save(b.bytes, base);
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  const onDelete = async () => {
    if (!current) return go(href(`kv/${encodeKey(parentOf(key))}`));
    if (!confirm(`Delete the key ${key}?`)) return;
    try {
      const r = await api(`${path}?cas=${base}`, { method: 'DELETE' });
      if (r.text.trim() === 'false')
        return err.replaceChildren(
          errorBox('Not deleted: the key changed since you opened it. Reload to see its current value.'),
        );
      go(href(`kv/${encodeKey(parentOf(key))}`));
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  };
  const formatJson = () => {
    const b = editorBytes(area.value, 'json');
    if (b.error) return err.replaceChildren(errorBox(b.error));
    err.replaceChildren();
    area.value = editorText(b.bytes, 'json');
  };

  show(
    crumbs(parentOf(key), key.slice(parentOf(key).length)),
    el('h1', { text: key }),
    status,
    changed,
    err,
    modes,
    area,
    el(
      'div',
      { class: 'actions' },
      el('button', { text: 'Save', class: 'primary', onclick: onSave }),
      el('button', { text: 'Validate & format JSON', onclick: formatJson }),
      el('label', { class: 'filter' }, el('span', { text: 'Flags' }), flags),
      el('button', { text: 'Delete', class: 'danger', onclick: onDelete }),
    ),
    dialog,
  );
  fetchCurrent()
    .then((entry) => {
      if (signal.aborted) return;
      load(entry);
      area.disabled = false;
      // Follow the key while it is open: a change made elsewhere is announced at once, not
      // only when Save meets it. What the user typed is never replaced unasked, and the edit
      // still starts from the index it was opened at, so Save asks which value to keep.
      watch(
        signal,
        path,
        (r) => {
          const entry = r.status === 404 ? null : r.json()[0];
          const index = entry ? entry.ModifyIndex : 0;
          if (index === base) return changed.replaceChildren();
          changed.replaceChildren(
            el(
              'div',
              { class: 'notice warn', role: 'status' },
              entry
                ? `Changed elsewhere since you opened it (now ModifyIndex ${index}). `
                : 'Deleted elsewhere since you opened it. ',
              'Your edit is kept; Save will show both values. ',
              el('button', {
                type: 'button',
                text: 'Load the current value',
                onclick: () => (load(entry), changed.replaceChildren()),
              }),
            ),
          );
        },
        () => {},
      );
    })
    .catch((e) => {
      // Unreadable (say, a write-only token): the edit starts as a new key.
      area.disabled = false;
      err.replaceChildren(errorBox(e));
    });
}
