/**
 * Proof by differential testing, shard 2 of 2: each fixture under fixtures/ is built by image-build and by
 * buildah from the same base image; the unpacked trees and the configs must agree except for the differences the
 * fixture allows, and our history must carry BuildKit's texts. See README.md and helpers/differential-suite.ts.
 */
import { describeDifferentialShard } from '../../helpers/differential-suite.js';

describeDifferentialShard(1, 2);
