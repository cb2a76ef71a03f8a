/**
 * Counts alerts fired and digests sent where every one of them passes: the PushService the
 * features enqueue through. A message counts once, when the outbox accepts it; a re-enqueue
 * of one still pending (a restart, a takeover by another replica) is a duplicate and does
 * not, and a replica outside its lease term is refused and does not either.
 */
import type { PushService } from '../delivery/push.js';
import type { Metrics } from './metrics.js';

/** The PushMeta owners of src/alerts (OWNER_NAME) and src/digests (DigestService.name). */
const ALERTS = 'alerts';
const DIGESTS = 'digests';

export function countedPush(push: PushService, metrics: Pick<Metrics, 'alertFired' | 'digestSent'>): PushService {
  return {
    ...push,
    enqueue: (target, reply, meta) => {
      const result = push.enqueue(target, reply, meta);
      if (result.status === 'queued' && !result.duplicate) {
        if (meta?.owner === ALERTS) metrics.alertFired(target.platform);
        else if (meta?.owner === DIGESTS) metrics.digestSent(target.platform);
      }
      return result;
    },
  };
}
