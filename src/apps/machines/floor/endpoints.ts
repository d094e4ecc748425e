// Machine endpoints are user input (docs/apps/machines.md §10.1): only mqtt://, mqtts:// and
// opc.tcp:// (opcua:// is accepted and stored as opc.tcp://), no credentials or path tricks in the URL,
// and only hosts listed in MACHINE_CONNECT_ALLOWLIST (`host` or `host:port`; empty = none), checked
// when the connection is saved and again before every connect, so the server cannot be turned
// into a scanner of the internal network (SSRF).

export type Protocol = 'mqtt' | 'opcua';

const DEFAULT_PORT: Record<string, string> = { 'mqtt:': '1883', 'mqtts:': '8883', 'opc.tcp:': '4840' };

export function normaliseUrl(raw: string): string {
  const s = raw.trim();
  return s.toLowerCase().startsWith('opcua://') ? `opc.tcp://${s.slice('opcua://'.length)}` : s;
}

export function protocolOf(url: URL): Protocol | null {
  if (url.protocol === 'mqtt:' || url.protocol === 'mqtts:') return 'mqtt';
  if (url.protocol === 'opc.tcp:') return 'opcua';
  return null;
}

export class EndpointPolicy {
  private readonly allow: Set<string>;

  constructor(allowlist: readonly string[]) {
    this.allow = new Set(allowlist.map((h) => h.trim().toLowerCase()).filter(Boolean));
  }

  /** null when the URL may be used, otherwise the reason (a message code) */
  check(raw: string, protocol: Protocol): string | null {
    let url: URL;
    try {
      url = new URL(normaliseUrl(raw));
    } catch {
      return 'MACHINE_INVALID_URL';
    }
    if (protocolOf(url) !== protocol) return 'MACHINE_INVALID_URL';
    if (url.username || url.password || url.search || url.hash) return 'MACHINE_INVALID_URL';
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const port = url.port || DEFAULT_PORT[url.protocol]!;
    if (!this.allow.has(host) && !this.allow.has(`${host}:${port}`)) return 'MACHINE_HOST_NOT_ALLOWED';
    return null;
  }
}
