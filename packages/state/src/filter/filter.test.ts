import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { applyFilter, compileFilter } from './filter.js';

// Shaped like /v1/health/service/:service entries and /v1/catalog/service/:service rows.
const nodes = [
  {
    Node: 'node-1',
    ServiceName: 'web',
    ServiceTags: ['primary', 'production'],
    ServiceMeta: { env: 'production', 'team.name': 'core' },
    ServicePort: 8080,
    ServiceEnableTagOverride: false,
    Weight: 1.5,
    TaggedAddresses: null,
    Checks: [
      { CheckID: 'serfHealth', Status: 'passing', ServiceTags: [] as string[] },
      { CheckID: 'web-http', Status: 'critical', ServiceTags: ['primary'] },
    ],
  },
  {
    Node: 'node-2',
    ServiceName: 'web',
    ServiceTags: ['secondary', 'qa'],
    ServiceMeta: { env: 'qa' },
    ServicePort: 8081,
    ServiceEnableTagOverride: true,
    Weight: 2,
    TaggedAddresses: { lan: '10.0.0.2' },
    Checks: [{ CheckID: 'serfHealth', Status: 'passing', ServiceTags: [] as string[] }],
  },
  {
    Node: 'node-3',
    ServiceName: 'db',
    ServiceTags: [] as string[],
    ServiceMeta: {},
    ServicePort: 5432,
    ServiceEnableTagOverride: false,
    Weight: 1,
    TaggedAddresses: null,
    Checks: [] as Array<{ CheckID: string; Status: string; ServiceTags: string[] }>,
  },
];

function names(expr: string): string[] {
  return applyFilter(nodes, expr).map((n) => n.Node);
}

function filterError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCoded(err, 'FILTER_INVALID')) {
      expect(err.statusCode).to.equal(400);
      return err.message;
    }
    throw err;
  }
  throw new Error('expected a FILTER_INVALID error');
}

describe('filter expressions (go-bexpr)', () => {
  describe('matching operators', () => {
    const cases: Array<[string, string[]]> = [
      ['ServiceName == "web"', ['node-1', 'node-2']],
      ['ServiceName != "web"', ['node-3']],
      ['ServiceName == web', ['node-1', 'node-2']], // unquoted identifier value
      ['ServiceName == `db`', ['node-3']],
      ['ServicePort == 8081', ['node-2']],
      ['ServicePort == "5432"', ['node-3']], // quoted numbers coerce too
      ['ServicePort == "0x1F90"', ['node-1']], // Go base-0 integers (quoted: unquoted numbers are decimal)
      ['Weight == 1.5', ['node-1']],
      ['ServiceEnableTagOverride == true', ['node-2']],
      ['ServiceEnableTagOverride == F', ['node-1', 'node-3']], // strconv.ParseBool spellings
      ['"primary" in ServiceTags', ['node-1']],
      ['"primary" not in ServiceTags', ['node-2', 'node-3']],
      ['ServiceTags contains "qa"', ['node-2']],
      ['ServiceTags not contains "qa"', ['node-1', 'node-3']],
      ['"eb" in ServiceName', ['node-1', 'node-2']], // substring
      ['ServiceName contains "d"', ['node-3']],
      ['"env" in ServiceMeta', ['node-1', 'node-2']], // map: key membership
      ['ServiceMeta not contains "env"', ['node-3']],
      ['ServiceTags is empty', ['node-3']],
      ['ServiceTags is not empty', ['node-1', 'node-2']],
      ['ServiceMeta is empty', ['node-3']],
      ['ServiceName is empty', []],
      ['TaggedAddresses is empty', ['node-1', 'node-3']], // null is empty
      ['TaggedAddresses is nil', ['node-1', 'node-3']],
      ['TaggedAddresses is not nil', ['node-2']],
      ['ServiceName matches "^w.b$"', ['node-1', 'node-2']],
      ['ServiceName not matches "^w"', ['node-3']],
      ['Node matches "(?i)NODE-[12]"', ['node-1', 'node-2']],
      ['Node matches `node-\\d`', ['node-1', 'node-2', 'node-3']],
      ['Node matches `\\Anode-[13]\\z`', ['node-1', 'node-3']], // Go's \A and \z anchors
      ['Node matches "(?P<n>node)-2"', ['node-2']], // Go's named-group spelling
    ];
    for (const [expr, expected] of cases) {
      it(`${expr} selects ${JSON.stringify(expected)}`, () => {
        expect(names(expr)).to.deep.equal(expected);
      });
    }
  });

  describe('selectors', () => {
    it('reads map values by dotted name or quoted index', () => {
      expect(names('ServiceMeta.env == qa')).to.deep.equal(['node-2']);
      expect(names('ServiceMeta["env"] == qa')).to.deep.equal(['node-2']);
      expect(names('ServiceMeta[ `team.name` ] == core')).to.deep.equal(['node-1']);
    });

    it('treats a missing map key as not present: ==/in/matches false, negations and "is empty" true', () => {
      expect(names('ServiceMeta.env == ""')).to.deep.equal([]);
      expect(names('ServiceMeta.env != production')).to.deep.equal(['node-2', 'node-3']);
      expect(names('ServiceMeta.env is empty')).to.deep.equal(['node-3']);
      expect(names('ServiceMeta.env matches ".*"')).to.deep.equal(['node-1', 'node-2']);
      expect(names('TaggedAddresses.lan == "10.0.0.2"')).to.deep.equal(['node-2']);
    });

    it('matches a field selected through a list of objects if any element matches', () => {
      expect(names('Checks.Status == critical')).to.deep.equal(['node-1']);
      expect(names('Checks.Status == passing')).to.deep.equal(['node-1', 'node-2']);
      // The operator, negated or not, applies per element; an empty list matches nothing.
      expect(names('Checks.Status != passing')).to.deep.equal(['node-1']);
      expect(names('not Checks.Status == critical')).to.deep.equal(['node-2', 'node-3']);
      expect(names('Checks.ServiceTags contains primary')).to.deep.equal(['node-1']);
      expect(names('Checks.CheckID matches "^web"')).to.deep.equal(['node-1']);
    });

    it('indexes lists with a numeric segment', () => {
      expect(names('ServiceTags.0 == secondary')).to.deep.equal(['node-2']);
      expect(names('Checks.1.Status == critical')).to.deep.equal(['node-1']);
    });

    it('filters a map of items and keeps the keys (agent/services shape)', () => {
      const services = {
        redis1: { ID: 'redis1', Meta: { env: 'production' }, Port: 1234 },
        redis3: { ID: 'redis3', Meta: { env: 'qa' }, Port: 1234 },
      };
      expect(applyFilter(services, 'Meta.env == "qa"')).to.deep.equal({ redis3: services.redis3 });
    });
  });

  describe('boolean structure', () => {
    it('gives not > and > or', () => {
      // (not A) and B or C
      expect(names('not ServiceName == web and ServicePort == 5432 or Node == "node-1"')).to.deep.equal(['node-1', 'node-3']);
      // A or (B and C)
      expect(names('Node == "node-3" or ServiceName == web and ServicePort == 8081')).to.deep.equal(['node-2', 'node-3']);
    });

    it('lets parentheses override precedence', () => {
      expect(names('(Node == "node-3" or ServiceName == web) and ServicePort == 8081')).to.deep.equal(['node-2']);
      expect(names('not (ServiceName == web or ServicePort == 1)')).to.deep.equal(['node-3']);
      expect(names(' ( ( ServiceName == db ) ) ')).to.deep.equal(['node-3']);
    });

    it('cancels double negation', () => {
      expect(names('not not ServiceName == db')).to.deep.equal(['node-3']);
      expect(compileFilter('not not ServiceName == db').ast.kind).to.equal('match');
    });

    it('accepts newlines and tabs as whitespace', () => {
      expect(names('ServiceName == web\n\tand\r\n ServicePort == 8080')).to.deep.equal(['node-1']);
    });
  });

  describe('quoting', () => {
    it('expands Go escapes in double quotes but not in backticks', () => {
      const items = [{ V: 'a\tb' }, { V: 'a\\tb' }, { V: 'say "hi"' }, { V: 'é' }];
      expect(applyFilter(items, 'V == "a\\tb"')).to.deep.equal([items[0]]);
      expect(applyFilter(items, 'V == `a\\tb`')).to.deep.equal([items[1]]);
      expect(applyFilter(items, 'V == "say \\"hi\\""')).to.deep.equal([items[2]]);
      expect(applyFilter(items, 'V == "\\u00e9"')).to.deep.equal([items[3]]);
      expect(applyFilter(items, 'V == "\\xe9"')).to.deep.equal([items[3]]);
    });
  });

  describe('errors', () => {
    const bad: Array<[string, RegExp]> = [
      ['ServiceName ==', /^Failed to create boolean expression evaluator: 1:15 \(14\): expected a value/],
      ['', /1:1 \(0\): expected an expression/],
      ['ServiceName = web', /1:13 \(12\): expected a match operator/],
      ['(ServiceName == web', /1:1 \(0\): Unmatched parentheses/],
      ['ServiceName == web)', /1:19 \(18\): Unmatched parentheses/],
      ['ServiceName == "web', /1:16 \(15\): Unterminated string literal/],
      ['ServiceName == `web', /1:16 \(15\): Unterminated string literal/],
      ['"web" == ServiceName', /1:7 \(6\): expected "in" or "not in"/],
      ['"web" in "x"', /1:10 \(9\): Invalid selector/],
      ['ServicePort == 80abc', /1:16 \(15\): Invalid number literal/],
      ['ServicePort == 0x50', /1:16 \(15\): Invalid number literal/],
      ['ServiceMeta[env] == x', /1:13 \(12\): Invalid index/],
      ['ServiceMeta["env" == x', /Unclosed index expression/],
      ['ServiceName is full', /1:16 \(15\): expected "empty", "not empty", "nil" or "not nil" after "is", found "full"/],
      ['ServiceName == web and', /1:23 \(22\): expected a selector or a value/],
      ['ServiceName == web xor Node == a', /1:20 \(19\): expected "and", "or" or end of input/],
      ['Node matches "(unclosed"', /1:14 \(13\): failed to compile regular expression/],
      ['V == "\\q"', /1:7 \(6\): invalid syntax: unknown escape/],
      ['ServiceName == web and\nNode ==', /2:8 \(30\): expected a value/],
    ];
    for (const [expr, message] of bad) {
      it(`rejects ${JSON.stringify(expr)} with its position`, () => {
        expect(filterError(() => compileFilter(expr))).to.match(message);
      });
    }

    it('rejects a selector whose field no item has', () => {
      expect(filterError(() => applyFilter(nodes, 'Nope == 1'))).to.contain('Selector "Nope" is not valid');
      expect(filterError(() => compileFilter('Nope == 1').matches(nodes[0]))).to.contain('Selector "Nope" is not valid');
    });

    it('checks fields at compile time when the endpoint lists them', () => {
      expect(filterError(() => compileFilter('ServiceName == a or Bogus == b', { fields: ['ServiceName'] }))).to.contain(
        'Selector "Bogus" is not valid',
      );
      expect(compileFilter('ServiceName == a', { fields: ['ServiceName'] }).matches({ ServiceName: 'a' })).to.equal(true);
    });

    it('allows a field that only some items carry, and anything on an empty list', () => {
      const items = [{ A: 1 }, { A: 2, Opt: 'x' }];
      expect(applyFilter(items, 'Opt == x')).to.deep.equal([items[1]]);
      expect(applyFilter([], 'Whatever == 1')).to.deep.equal([]);
    });

    it('rejects values that do not convert to the data type, and type-mismatched operators', () => {
      expect(filterError(() => names('ServicePort == abc'))).to.contain('strconv.ParseInt: parsing "abc": invalid syntax');
      expect(filterError(() => names('ServiceEnableTagOverride == yes'))).to.contain('strconv.ParseBool');
      expect(filterError(() => names('ServicePort contains 8'))).to.contain(
        'cannot perform in/contains operations on type number',
      );
      expect(filterError(() => names('ServicePort is empty'))).to.contain('cannot perform is-empty operations on type number');
      expect(filterError(() => names('ServicePort matches "8"'))).to.contain('not convertible to a string');
      expect(filterError(() => names('ServiceMeta == x'))).to.contain('unable to find suitable primitive comparison');
      expect(filterError(() => names('ServiceName.Foo == x'))).to.contain('does not support nested field selection');
    });

    it('treats an empty expression as no filter in applyFilter', () => {
      expect(applyFilter(nodes, '')).to.deep.equal(nodes);
    });
  });
});
