// A throwaway certificate authority-free self-signed certificate for the fixture hosts, made at
// test time with openssl so no key is ever committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeCertificate(hosts) {
  const dir = mkdtempSync(join(tmpdir(), 'ask-first-cert-'));
  const config = join(dir, 'openssl.cnf');
  writeFileSync(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = ext',
      'prompt = no',
      '[dn]',
      'CN = Ask First fixtures',
      '[ext]',
      `subjectAltName = ${hosts.map((host) => `DNS:${host}`).join(',')}`,
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      '',
    ].join('\n'),
  );
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', cert,
      '-config', config],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert), dir };
}
