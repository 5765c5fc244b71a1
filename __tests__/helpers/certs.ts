/**
 * Throwaway X.509 material for tests, made with the real `openssl` binary.
 *
 * `makeCertificate(dir, { commonName, ipAddresses, dnsNames })` writes an EC P-256 key and a self-signed
 * certificate (valid for two days from now) into `dir` and returns their paths and PEM texts plus the
 * certificate's DER in base64 (what a JWT `x5c` header carries). The same certificate serves as a TLS server
 * certificate (subjectAltName covers the given IPs/names) and as the token-signing certificate a registry trusts
 * through `rootcertbundle`.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** The certificate's DER bytes, base64 (standard alphabet, padded): a JWT `x5c` entry. */
  readonly derBase64: string;
}

export interface CertificateRequest {
  readonly commonName: string;
  readonly ipAddresses?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** File name stem inside `dir`; defaults to the common name. */
  readonly name?: string;
}

export async function makeCertificate(dir: string, req: CertificateRequest): Promise<TestCertificate> {
  const stem = req.name ?? req.commonName.replace(/[^a-zA-Z0-9_-]/g, '_');
  const keyPath = join(dir, `${stem}.key.pem`);
  const certPath = join(dir, `${stem}.cert.pem`);
  const sans = [
    ...(req.ipAddresses ?? []).map((ip) => `IP:${ip}`),
    ...(req.dnsNames ?? []).map((d) => `DNS:${d}`),
  ];
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    `/CN=${req.commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyCertSign',
  ];
  if (sans.length > 0) args.push('-addext', `subjectAltName=${sans.join(',')}`);
  await run('openssl', args);
  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { certPath, keyPath, certPem, keyPem, derBase64: pemBody(certPem) };
}

function pemBody(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
}
