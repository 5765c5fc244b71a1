import { RegistryClient, type RegistryClientOptions } from './client.js';

/**
 * One RegistryClient per registry host for a whole run, made on first use with the options `optionsFor` gives
 * that host (credentials, user agent…), so tokens and connections are shared by every pull, tag list and push.
 */
export class RegistryClientPool {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly optionsFor: (registry: string) => RegistryClientOptions) {}

  get(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      client = new RegistryClient(this.optionsFor(registry));
      this.clients.set(registry, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
