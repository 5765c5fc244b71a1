import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { startRegistry, type RegistryAuthMode, type TestRegistry } from '../helpers/registry.js';

interface PingCase {
  readonly name: string;
  readonly given: { readonly auth: RegistryAuthMode; readonly tls?: boolean };
  readonly want: { readonly anonymous: number; readonly challenge: RegExp | undefined };
}

const cases: PingCase[] = [
  {
    name: 'no auth answers anonymously',
    given: { auth: 'none' },
    want: { anonymous: 200, challenge: undefined },
  },
  {
    name: 'htpasswd challenges with Basic',
    given: { auth: 'htpasswd' },
    want: { anonymous: 401, challenge: /^Basic realm="test-registry"/ },
  },
  {
    name: 'token challenges with Bearer and the token realm',
    given: { auth: 'token' },
    want: {
      anonymous: 401,
      challenge: /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="test-registry"/,
    },
  },
  {
    name: 'tls serves https',
    given: { auth: 'none', tls: true },
    want: { anonymous: 200, challenge: undefined },
  },
];

describe('test registry harness', () => {
  test.each(cases)('$name', async ({ given, want }) => {
    const reg = await startRegistry(given);
    try {
      expect(reg.host).toMatch(/^127\.0\.0\.1:\d+$/);
      const res = await ping(reg);
      expect(res.status).toBe(want.anonymous);
      if (want.challenge) expect(res.challenge).toMatch(want.challenge);
      if (given.auth === 'htpasswd') {
        const basic = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
        expect((await ping(reg, `Basic ${basic}`)).status).toBe(200);
      }
      if (given.auth === 'token') {
        const basic = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
        const tokenRes = await fetch(
          `${reg.tokenServer!.realm}?service=test-registry&scope=repository:a/b:pull`,
          {
            headers: { authorization: `Basic ${basic}` },
          },
        );
        const body = (await tokenRes.json()) as { token: string };
        expect((await ping(reg, `Bearer ${body.token}`)).status).toBe(200);
      }
    } finally {
      await reg.stop();
    }
  });
});

async function ping(
  reg: TestRegistry,
  authorization?: string,
): Promise<{ status: number; challenge: string | null }> {
  const request = reg.url.startsWith('https') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      `${reg.url}/v2/`,
      { rejectUnauthorized: false, headers: authorization ? { authorization } : {} },
      (res: IncomingMessage) => {
        res.resume();
        resolve({
          status: res.statusCode ?? 0,
          challenge: (res.headers['www-authenticate'] as string) ?? null,
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
