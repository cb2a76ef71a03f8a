/** Scheduled digests: what the composition root and commands/digest.ts import. */
import type { Target } from '../core/adapter.js';
import type { Caller } from '../core/command.js';
import type { PushFeatureDeps } from '../core/push-feature.js';
import { DigestService } from './service.js';

export { DigestService } from './service.js';
export { composeDigest, type Digest, type DigestParams } from './compose.js';
export type { DigestsApi, ScheduleView, SetOutcome, RunReport, DigestRecord } from './types.js';

/** Both the PushFeature the root starts and stops, and the API /digest calls. */
export function createDigests(deps: PushFeatureDeps): DigestService {
  return new DigestService(deps);
}

/**
 * Where a chat's digest goes. A Discord private chat is a DM, addressed by the user's id;
 * everywhere else the chat id is the target (Telegram chat, Discord channel, the console).
 */
export function chatTarget(caller: Caller): Target {
  if (caller.platform === 'discord' && caller.chat.kind === 'private') return { platform: 'discord', chatId: caller.user.id, dm: true, kind: 'private' };
  return { platform: caller.platform, chatId: caller.chat.id, kind: caller.chat.kind };
}
