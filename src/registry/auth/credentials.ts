/** Registry credentials and where they came from (for messages; the secrets themselves never reach a log). */

export type Credentials =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (docker config `identitytoken`, or a helper answering Username `<token>`). */
  | { readonly kind: 'identity-token'; readonly username?: string; readonly token: string }
  /** A bearer token to send as is (docker config `registrytoken`). */
  | { readonly kind: 'registry-token'; readonly token: string };

export interface ResolvedCredentials {
  readonly credentials: Credentials;
  /** `options`, `docker config /path/config.json`, `docker-credential-<name>`, or `none`. */
  readonly origin: string;
}

export const anonymous: Credentials = { kind: 'anonymous' };

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
