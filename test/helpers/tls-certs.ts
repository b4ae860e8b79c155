// Throw-away TLS material for tests, made with Debian's openssl in a temporary folder removed at exit: a CA,
// a server certificate for 127.0.0.1 / localhost signed by it, and a client certificate signed by it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const opensslPath = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => spawnSync(p, ['version']).status === 0);

export interface TestPki {
  /** The folder of the files (removed when the test process exits). */
  dir: string;
  /** PEM text of the CA certificate, and of the server's and the client's certificates and keys. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Paths of the same files (what redis-server takes). */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync(opensslPath!, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A new CA (its name in `cn`) with a server and a client certificate of its own. */
export function makeTestPki(cn = 'Crimson test CA'): TestPki {
  if (!opensslPath) throw new Error('openssl is not installed (Debian: apt-get install openssl)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crimson-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${cn}`]);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    openssl(dir, ['req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=crimson-test-${who}`]);
    openssl(dir, ['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${who}.crt`, '-days', '2', '-extfile', `${who}.ext`]);
  }
  const files = {
    ca: path.join(dir, 'ca.crt'), serverCert: path.join(dir, 'server.crt'), serverKey: path.join(dir, 'server.key'),
    clientCert: path.join(dir, 'client.crt'), clientKey: path.join(dir, 'client.key'),
  };
  const read = (f: string) => readFileSync(f, 'utf8');
  return {
    dir, files, ca: read(files.ca), serverCert: read(files.serverCert), serverKey: read(files.serverKey),
    clientCert: read(files.clientCert), clientKey: read(files.clientKey),
  };
}
