// Services and nodes: lists with health, search and filters; service, instance and node pages.
import {
  filterNodes,
  filterServices,
  healthCounts,
  instanceChanges,
  instancesFromHealth,
  instancesFromNodes,
  nodeSummaries,
  rttSummary,
  serviceSummaries,
  sourceOf,
} from './ui-model.js';
import { api, watch } from './api.js';
import {
  badge,
  checksTable,
  counts,
  el,
  emptyBecause,
  errorBox,
  hiddenNote,
  link,
  pairs,
  row,
  table,
  tags,
  td,
  urlFilter,
} from './dom.js';

const enc = encodeURIComponent;

function select(label, options, value, onchange) {
  return el(
    'label',
    { class: 'filter' },
    el('span', { text: label }),
    el(
      'select',
      { 'aria-label': label, onchange },
      ...options.map(([v, t]) => el('option', { value: v, text: t, selected: v === value })),
    ),
  );
}

/** A view's live part: replaced on every change, with errors shown above it. */
function liveArea() {
  const err = el('div', { class: 'live-error' });
  const body = el('div', { class: 'live' }, el('p', { class: 'muted', text: 'Loading…' }));
  return {
    nodes: [err, body],
    show: (...n) => (err.replaceChildren(), body.replaceChildren(...n)),
    fail: (e) => err.replaceChildren(errorBox(e)),
  };
}

export function servicesView({ signal, show }) {
  const url = urlFilter(['q', 'health', 'tag', 'source']);
  const filter = url.values;
  const live = liveArea();
  let rows = [];
  let last;
  const controls = el('div', { class: 'controls' });
  const draw = () => {
    const tagsAll = [...new Set(rows.flatMap((r) => r.tags))].sort();
    const sources = [...new Set(rows.flatMap((r) => r.sources))].sort();
    controls.replaceChildren(
      el('input', {
        type: 'search',
        placeholder: 'Search services or tags',
        'aria-label': 'Search services',
        value: filter.q,
        oninput: (ev) => ((filter.q = ev.target.value), changed()),
      }),
      select(
        'Health',
        [
          ['', 'any'],
          ['passing', 'passing'],
          ['warning', 'warning'],
          ['critical', 'critical'],
        ],
        filter.health,
        (ev) => ((filter.health = ev.target.value), changed()),
      ),
      select(
        'Tag',
        [['', 'any'], ...tagsAll.map((t) => [t, t])],
        filter.tag,
        (ev) => ((filter.tag = ev.target.value), changed()),
      ),
      select(
        'Source',
        [['', 'any'], ...sources.map((t) => [t, t])],
        filter.source,
        (ev) => ((filter.source = ev.target.value), changed()),
      ),
    );
  };
  const changed = () => (url.save(), drawTable());
  const drawTable = () => {
    if (rows.length === 0) return live.show(emptyBecause('services', last));
    const shown = filterServices(rows, filter);
    live.show(
      ...hiddenNote('services', last),
      el('p', { class: 'muted small', text: `${shown.length} of ${rows.length} services` }),
      table(
        ['Service', 'Health', 'Instances', 'Tags', 'Source'],
        shown.map((s) =>
          row(
            `services/${enc(s.name)}`,
            el('td', {}, link(`services/${enc(s.name)}`, s.name)),
            el('td', {}, counts(s)),
            td(s.instances),
            el('td', {}, tags(s.tags)),
            td(s.sources.join(', ')),
          ),
        ),
        'No service matches.',
      ),
    );
  };
  show(el('h1', { text: 'Services' }), controls, ...live.nodes);
  draw();
  watch(
    signal,
    '/v1/internal/ui/nodes',
    (r) => {
      last = r;
      rows = serviceSummaries(instancesFromNodes(r.json()));
      const focused = document.activeElement === controls.querySelector('input');
      if (!focused) draw();
      drawTable();
    },
    live.fail,
  );
}

export function serviceView({ signal, show, arg: name }) {
  const live = liveArea();
  const timeline = [];
  const opened = new Date();
  let before;
  show(
    el('nav', { class: 'crumbs' }, link('services', 'Services'), ' / ', el('span', { text: name })),
    el('h1', { text: name }),
    ...live.nodes,
  );
  watch(
    signal,
    `/v1/health/service/${enc(name)}`,
    (r) => {
      const instances = instancesFromHealth(r.json());
      if (before) timeline.unshift(...instanceChanges(before, instances, new Date()));
      before = instances;
      if (instances.length === 0) return live.show(emptyBecause(`instances of ${name}`, r));
      const c = healthCounts(instances);
      const meta = {};
      for (const i of instances)
        for (const [k, v] of Object.entries(i.service.Meta ?? {})) meta[k] = meta[k] && meta[k] !== v ? `${meta[k]}, ${v}` : v;
      live.show(
        el('div', { class: 'summary' }, counts(c), ' ', tags([...new Set(instances.flatMap((i) => i.service.Tags ?? []))])),
        el('h2', { text: 'Instances' }),
        el(
          'div',
          { class: 'instances' },
          table(
            ['Instance', 'Node', 'Address', 'Health', 'Checks'],
            instances.map((i) => {
              const path = `services/${enc(name)}/instances/${enc(i.node)}/${enc(i.service.ID)}`;
              return row(
                path,
                el('td', {}, link(path, i.service.ID)),
                el('td', {}, link(`nodes/${enc(i.node)}`, i.node)),
                td(`${i.service.Address || i.nodeAddress}:${i.service.Port}`),
                el('td', {}, badge(i.status)),
                td(i.checks.map((ch) => `${ch.Name}: ${ch.Status}`).join(', ') || 'no checks'),
              );
            }),
          ),
        ),
        el('h2', { text: 'Meta' }),
        pairs(meta, 'No meta.'),
        el('h2', { text: 'Checks' }),
        ...instances.flatMap((i) => [el('h3', { text: `${i.service.ID} on ${i.node}` }), checksTable(i.checks)]),
        el('h2', { text: 'What changed' }),
        timelineList(timeline, opened),
      );
    },
    live.fail,
  );
}

function timelineList(events, opened) {
  const since = `since ${opened.toLocaleTimeString()}`;
  if (events.length === 0) return el('p', { class: 'muted', text: `No changes ${since}.` });
  return el(
    'ol',
    { class: 'timeline', 'aria-label': `Changes ${since}` },
    ...events.map((e) =>
      el(
        'li',
        {},
        el('time', { text: e.at.toLocaleTimeString() }),
        ' ',
        e.kind === 'health'
          ? el('span', {}, `${e.instance}: `, badge(e.from), ' → ', badge(e.status))
          : el('span', { text: `${e.instance} ${e.kind}` }),
      ),
    ),
  );
}

export function instanceView({ signal, show, arg: name, node, id }) {
  const live = liveArea();
  show(
    el(
      'nav',
      { class: 'crumbs' },
      link('services', 'Services'),
      ' / ',
      link(`services/${enc(name)}`, name),
      ' / ',
      el('span', { text: id }),
    ),
    el('h1', { text: id }),
    ...live.nodes,
  );
  watch(
    signal,
    `/v1/health/service/${enc(name)}`,
    (r) => {
      const i = instancesFromHealth(r.json()).find((x) => x.node === node && x.service.ID === id);
      if (!i) return live.show(emptyBecause(`instance ${id} on ${node}`, r));
      const s = i.service;
      live.show(
        el(
          'dl',
          { class: 'pairs' },
          el('dt', { text: 'Health' }),
          el('dd', {}, badge(i.status)),
          el('dt', { text: 'Service' }),
          el('dd', {}, link(`services/${enc(name)}`, s.Service)),
          el('dt', { text: 'Node' }),
          el('dd', {}, link(`nodes/${enc(node)}`, node)),
          el('dt', { text: 'Address' }),
          el('dd', { text: s.Address || `${i.nodeAddress} (node address)` }),
          el('dt', { text: 'Port' }),
          el('dd', { text: String(s.Port) }),
          el('dt', { text: 'Tags' }),
          el('dd', {}, tags(s.Tags)),
          el('dt', { text: 'Source' }),
          el('dd', { text: sourceOf(s) }),
        ),
        el('h2', { text: 'Meta' }),
        pairs(s.Meta, 'No meta.'),
        el('h2', { text: 'Checks' }),
        checksTable(i.checks),
      );
    },
    live.fail,
  );
}

export function nodesView({ signal, show }) {
  const live = liveArea();
  let rows = [];
  let last;
  const url = urlFilter(['q', 'health']);
  const changed = () => (url.save(), drawTable());
  const drawTable = () => {
    if (rows.length === 0) return live.show(emptyBecause('nodes', last));
    const shown = filterNodes(rows, url.values.q, url.values.health);
    live.show(
      ...hiddenNote('nodes', last),
      table(
        ['Node', 'Address', 'Health', 'Services'],
        shown.map((n) =>
          row(
            `nodes/${enc(n.name)}`,
            el('td', {}, link(`nodes/${enc(n.name)}`, n.name)),
            td(n.address),
            el('td', {}, counts(n), ' ', el('span', { class: 'muted small', text: 'checks' })),
            td(n.services),
          ),
        ),
        'No node matches.',
      ),
    );
  };
  show(
    el('h1', { text: 'Nodes' }),
    el(
      'div',
      { class: 'controls' },
      el('input', {
        type: 'search',
        placeholder: 'Search nodes or addresses',
        'aria-label': 'Search nodes',
        value: url.values.q,
        oninput: (ev) => ((url.values.q = ev.target.value), changed()),
      }),
      select(
        'Health',
        [
          ['', 'any'],
          ['passing', 'passing'],
          ['warning', 'warning'],
          ['critical', 'critical'],
        ],
        url.values.health,
        (ev) => ((url.values.health = ev.target.value), changed()),
      ),
    ),
    ...live.nodes,
  );
  watch(
    signal,
    '/v1/internal/ui/nodes',
    (r) => {
      last = r;
      rows = nodeSummaries(r.json());
      drawTable();
    },
    live.fail,
  );
}

export function nodeView({ signal, show, arg: name }) {
  const live = liveArea();
  const sessionsArea = el('div', {});
  const rttArea = el('div', {});
  show(
    el('nav', { class: 'crumbs' }, link('nodes', 'Nodes'), ' / ', el('span', { text: name })),
    el('h1', { text: name }),
    ...live.nodes,
    el('h2', { text: 'Lock sessions' }),
    sessionsArea,
    el('h2', { text: 'Round-trip time' }),
    rttArea,
  );
  // Estimated from network coordinates, as Consul's UI shows them: no probe is sent.
  const loadRtt = async () => {
    try {
      const r = await api('/v1/coordinate/nodes', { signal });
      const s = rttSummary(name, r.status === 404 ? [] : r.json());
      const ms = (v) => `${v.toFixed(2)} ms`;
      rttArea.replaceChildren(
        !s
          ? el('p', { class: 'muted', text: 'No network coordinate for this node yet.' })
          : s.count === 0
            ? el('p', { class: 'muted', text: 'No other node has a network coordinate yet.' })
            : el(
                'dl',
                { class: 'pairs rtt' },
                el('dt', { text: 'Minimum' }),
                el('dd', { text: `${ms(s.min.ms)} (${s.min.node})` }),
                el('dt', { text: 'Median' }),
                el('dd', { text: ms(s.median) }),
                el('dt', { text: 'Maximum' }),
                el('dd', { text: `${ms(s.max.ms)} (${s.max.node})` }),
                el('dt', { text: 'Other nodes' }),
                el('dd', { text: String(s.count) }),
              ),
      );
    } catch (e) {
      if (!signal.aborted) rttArea.replaceChildren(errorBox(e));
    }
  };
  // Sessions follow their own blocking query: a lock taken or released elsewhere shows up
  // without a reload, and an invalidation here is confirmed by the agent, not assumed.
  const showSessions = (r) => {
    const list = r.status === 404 ? [] : r.json();
    sessionsArea.replaceChildren(
      table(
        ['Session', 'Name', 'Behavior', 'TTL', 'Checks', ''],
        list.map((s) =>
          row(
            undefined,
            td(s.ID),
            td(s.Name),
            td(s.Behavior),
            td(s.TTL || '—'),
            td([...(s.NodeChecks ?? s.Checks ?? [])].join(', ')),
            el('td', {}, el('button', { text: 'Invalidate', class: 'danger', onclick: () => invalidate(s) })),
          ),
        ),
        'No sessions on this node.',
      ),
    );
  };
  const invalidate = async (s) => {
    if (!confirm(`Invalidate session ${s.ID}${s.Name ? ` (${s.Name})` : ''}? Locks it holds are released.`)) return;
    try {
      await api(`/v1/session/destroy/${enc(s.ID)}`, { method: 'PUT' });
    } catch (e) {
      sessionsArea.prepend(errorBox(e));
    }
  };
  watch(
    signal,
    `/v1/internal/ui/node/${enc(name)}`,
    async (r) => {
      if (r.status === 404)
        return live.show(el('p', { class: 'notice', text: `There is no node named ${name} in this datacenter.` }));
      const n = r.json();
      const nodeChecks = (n.Checks ?? []).filter((c) => !c.ServiceID);
      const instances = instancesFromNodes([n]);
      live.show(
        el(
          'dl',
          { class: 'pairs' },
          el('dt', { text: 'Address' }),
          el('dd', { text: n.Address }),
          el('dt', { text: 'Datacenter' }),
          el('dd', { text: n.Datacenter ?? '' }),
          ...(n.ID ? [el('dt', { text: 'Node ID' }), el('dd', { text: n.ID })] : []),
          ...Object.entries(n.TaggedAddresses ?? {}).flatMap(([k, v]) => [
            el('dt', { text: `Address (${k})` }),
            el('dd', { text: v }),
          ]),
        ),
        el('h2', { text: 'Node checks' }),
        checksTable(nodeChecks),
        el('h2', { text: 'Services' }),
        table(
          ['Instance', 'Service', 'Port', 'Health', 'Tags'],
          instances.map((i) => {
            const path = `services/${enc(i.service.Service)}/instances/${enc(name)}/${enc(i.service.ID)}`;
            return row(
              path,
              el('td', {}, link(path, i.service.ID)),
              el('td', {}, link(`services/${enc(i.service.Service)}`, i.service.Service)),
              td(i.service.Port),
              el('td', {}, badge(i.status)),
              el('td', {}, tags(i.service.Tags)),
            );
          }),
          'No services on this node.',
        ),
        el('h2', { text: 'Meta' }),
        pairs(n.Meta, 'No meta.'),
      );
      await loadRtt();
    },
    live.fail,
  );
  watch(signal, `/v1/session/node/${enc(name)}`, showSessions, (e) => sessionsArea.replaceChildren(errorBox(e)));
}
