/**
 * The jest suite over the differential fixtures, split into shards so jest's workers build them in parallel
 * (buildah's fixed cost per build dominates; one shard alone leaves a core idle). Every shard starts its own
 * registry, base image, build host and buildah storage, and runs the fixtures whose sorted position modulo
 * `shards` is `shard`: one `it` per fixture, named after its folder.
 */
import { fileURLToPath } from 'node:url';
import { startDifferential, type DifferentialSuite } from './differential.js';
import { listFixtures, loadFixture, verifiedBuildahVersion } from './differential-fixture.js';

export const differentialFixtures = fileURLToPath(
  new URL('../build/differential/fixtures/', import.meta.url),
);

/** The fixture names of one shard (0-based). */
export function fixturesOfShard(shard: number, shards: number): string[] {
  return listFixtures(differentialFixtures).filter((_, i) => i % shards === shard);
}

export function describeDifferentialShard(shard: number, shards: number): void {
  const names = fixturesOfShard(shard, shards);
  let suite: DifferentialSuite | undefined;
  beforeAll(async () => {
    suite = await startDifferential();
  }, 120_000);
  afterAll(async () => {
    await suite?.stop();
  });
  describe(`image-build and buildah build the same image (shard ${shard + 1} of ${shards})`, () => {
    it.each(names)('%s', async (name) => {
      const fixture = loadFixture(differentialFixtures, name);
      const outcome = await suite!.run(fixture);
      expect(Math.min(outcome.paths.ours, outcome.paths.buildah)).toBeGreaterThan(0);
      const stale = outcome.staleAllowances.map((a) => `${a.path ?? `config.${a.config}`}: ${a.reason}`);
      if (stale.length > 0 && suite!.buildahVersion !== verifiedBuildahVersion)
        console.warn(`${name}: allowances stale with buildah ${suite!.buildahVersion}:\n${stale.join('\n')}`);
      expect({
        unexpectedDifferences: outcome.unexpected,
        staleAllowances: suite!.buildahVersion === verifiedBuildahVersion ? stale : [],
        history: outcome.historyProblems,
        image: outcome.imageProblems,
      }).toEqual({ unexpectedDifferences: [], staleAllowances: [], history: [], image: [] });
    });
  });
}
