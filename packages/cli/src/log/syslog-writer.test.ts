import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogWriter } from './syslog-writer.js';

// A syslog daemon stand-in: a Unix datagram socket (what /dev/log is), printing what arrives.
const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    print(s.recv(65536).decode(), flush=True)
`;

const haveTools = !spawnSync('python3', ['--version']).error && !spawnSync('logger', ['--version']).error;

describe('SyslogWriter (-syslog)', () => {
  (haveTools ? it : it.skip)('sends each line to the Unix datagram socket with its facility and severity', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pc-syslog-')), 'log.sock');
    const rx = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    rx.stdout.on('data', (d: Buffer) => (got += d.toString()));
    try {
      for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
      const w = SyslogWriter.open('local0', path, 'proconsul');
      expect(w).to.be.instanceOf(SyslogWriter);
      (w as SyslogWriter).write('[WARN]  agent: disk is slow', 'warn');
      (w as SyslogWriter).write('[ERROR] agent: disk is gone', 'error');
      for (let i = 0; i < 100 && !got.includes('disk is gone'); i++) await new Promise((r) => setTimeout(r, 20));
      (w as SyslogWriter).close();
      // LOCAL0 = 16: warning 16*8+4 = 132, error 16*8+3 = 131.
      expect(got).to.match(/<132>.*proconsul.*\[WARN\]  agent: disk is slow/);
      expect(got).to.match(/<131>.*proconsul.*\[ERROR\] agent: disk is gone/);
    } finally {
      rx.kill();
    }
  });

  it('names the reason when there is no socket', () => {
    expect(SyslogWriter.open('LOCAL0', '/nonexistent/log')).to.equal(
      '/nonexistent/log does not exist (no syslog daemon listening)',
    );
  });
});
