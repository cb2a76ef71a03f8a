import { createAlerts } from './alerts/index.js';
import type { PushFeature, PushFeatureDeps } from './core/push-feature.js';
import { createDigests } from './digests/index.js';

/** The features that push on their own schedule, built in the composition root, in start order. */
export function createPushFeatures(deps: PushFeatureDeps): PushFeature[] {
  return [createAlerts(deps), createDigests(deps)];
}
