import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AbortedError, sleep } from '@twostage/core';

/** Options of {@link withDownloadLock}. */
export type DownloadLockOptions = {
  abortSignal?: AbortSignal | undefined;
  /** A lock untouched for this long is abandoned (its owner refreshes it every third of it). @default 60000 */
  staleMs?: number;
  /** How often a waiting process looks again. @default 250 */
  pollMs?: number;
  /** Called once when another process holds the lock and this one starts waiting. */
  onWait?: () => void;
};

type LockOwner = { pid: number; host: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock at `lockPath` was left by a process that is gone (or went silent). */
async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  let modified: number;
  try {
    modified = (await stat(lockPath)).mtimeMs;
  } catch {
    return false; // gone already: the next attempt takes it
  }
  if (Date.now() - modified > staleMs) return true;
  const owner = await readOwner(lockPath);
  // A lock still being written has no owner yet; give it time.
  if (owner === undefined) return Date.now() - modified > Math.min(staleMs, 5_000);
  return owner.host === hostname() && !isAlive(owner.pid);
}

/**
 * Runs `work` while holding `{path}.lock`, so two processes sharing a cache never write one file
 * at once (two writers on one `.partial` would interleave bytes). The lock is a file created with
 * `O_EXCL`, holding the owner's pid and host; the owner touches it while it works. A waiting
 * process polls; it takes over a lock whose owner is a dead process on this host, or one nobody
 * touched for `staleMs` (an owner on another host sharing the cache over a network file system).
 * Taking over a stale lock has a small race between two waiters; the sha256 check of LFS files
 * still refuses a file that such a race corrupted.
 */
export async function withDownloadLock<T>(
  path: string,
  work: () => Promise<T>,
  options: DownloadLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const staleMs = options.staleMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  let waited = false;
  for (;;) {
    if (options.abortSignal?.aborted)
      throw new AbortedError({ reason: options.abortSignal.reason });
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (handle !== undefined) {
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      } finally {
        await handle.close();
      }
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(lockPath, now, now).catch(() => undefined);
      }, staleMs / 3);
      heartbeat.unref();
      try {
        return await work();
      } finally {
        clearInterval(heartbeat);
        await rm(lockPath, { force: true });
      }
    }
    if (await isStale(lockPath, staleMs)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    await sleep(pollMs, options.abortSignal);
  }
}
