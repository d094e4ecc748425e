// Talks to a real machine: POST form-encoded `command=START|STOP` to its endpoint_url (the
// original's wire format), but only to allow-listed hosts, with a timeout, without following
// redirects and reading at most 64 KiB of reply (fixes the SSRF of docs/apps/machines.md §9.3). A refused host is
// decided before any socket is opened.
import type { Command } from '../machines.schemas.js';
import { outcomeOfReply, type DriverOutcome, type DriverTarget, type MachineDriver } from './driver.js';

const MAX_REPLY = 64 * 1024;

export class HttpDriver implements MachineDriver {
  readonly kind = 'http' as const;
  private readonly allow: Set<string>;

  constructor(allowlist: readonly string[], private readonly timeoutMs: number) {
    this.allow = new Set(allowlist.map((h) => h.trim().toLowerCase()).filter(Boolean));
  }

  /** entries are hostnames (any port) or host:port */
  allowed(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.allow.has(host) || this.allow.has(`${host}:${port}`);
  }

  async execute(target: DriverTarget, command: Command): Promise<DriverOutcome> {
    if (!target.endpointUrl) return { result: 3, reason: 'no_endpoint' };
    let url: URL;
    try {
      url = new URL(target.endpointUrl);
    } catch {
      return { result: 3, reason: 'bad_endpoint' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { result: 3, reason: 'bad_endpoint' };
    if (url.username || url.password) return { result: 3, reason: 'bad_endpoint' };
    if (!this.allowed(url)) return { result: 3, reason: 'host_not_allowed' };

    let res: Response;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ command }).toString(),
        signal,
      });
    } catch {
      return { result: 3, reason: signal.aborted ? 'timeout' : 'connection_failed' };
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      return { result: 3, reason: 'redirect_refused' };
    }
    let text: string;
    try {
      text = await readLimited(res, MAX_REPLY);
    } catch (err) {
      if (err instanceof ReplyTooLarge) return { result: 4, reason: 'reply_too_large' };
      return { result: 3, reason: signal.aborted ? 'timeout' : 'connection_failed' };
    }
    try {
      return outcomeOfReply(JSON.parse(text));
    } catch {
      // the machine answered, but not in JSON: its state is unknown, as with an odd result
      return { result: 4, reason: 'non_json_reply' };
    }
  }
}

async function readLimited(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new ReplyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class ReplyTooLarge extends Error {}
