/** BuildKit as the peer: dockerd from Debian's docker.io (start it with `dockerd --bridge=none --iptables=false &`). */
import { run } from './measure.js';

/** Debian's docker.io client (20.10) has BuildKit built in; newer clients need the buildx plugin. */
export const dockerCli = process.env['BENCH_DOCKER'] ?? '/usr/bin/docker';

export async function dockerAvailable(): Promise<boolean> {
  return run([dockerCli, 'info']).then(
    () => true,
    () => false,
  );
}
