import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { loadOptionalSetting } from '@twostage/core';

/**
 * The cache root for downloaded models: the `cacheDir` setting, else `TWOSTAGE_CACHE_DIR`, else
 * the user's cache directory (`$XDG_CACHE_HOME/twostage` or `~/.cache/twostage` on Linux,
 * `~/Library/Caches/twostage` on macOS, `%LOCALAPPDATA%\twostage` on Windows). Never inside
 * `node_modules` (wiped by installs) nor the temp directory (wiped by reboots).
 */
export function resolveCacheDirectory(cacheDir: string | undefined): string {
  const configured = loadOptionalSetting({
    value: cacheDir,
    environmentVariables: ['TWOSTAGE_CACHE_DIR'],
  });
  if (configured !== undefined) return configured;
  if (platform() === 'win32') {
    const local = loadOptionalSetting({ value: undefined, environmentVariables: ['LOCALAPPDATA'] });
    return join(local ?? join(homedir(), 'AppData', 'Local'), 'twostage');
  }
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'twostage');
  const xdg = loadOptionalSetting({ value: undefined, environmentVariables: ['XDG_CACHE_HOME'] });
  return join(xdg ?? join(homedir(), '.cache'), 'twostage');
}

/** The hub base URL: the `hubEndpoint` setting, else `HF_ENDPOINT`, else huggingface.co. */
export function resolveHubEndpoint(hubEndpoint: string | undefined): string {
  return (
    loadOptionalSetting({ value: hubEndpoint, environmentVariables: ['HF_ENDPOINT'] }) ??
    'https://huggingface.co'
  );
}

/** Offline mode: the `offline` setting, else `TWOSTAGE_OFFLINE` or `HF_HUB_OFFLINE` set to 1/true. */
export function resolveOffline(offline: boolean | undefined): boolean {
  if (offline !== undefined) return offline;
  const value = loadOptionalSetting({
    value: undefined,
    environmentVariables: ['TWOSTAGE_OFFLINE', 'HF_HUB_OFFLINE'],
  });
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
