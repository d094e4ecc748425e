// A WebSocket that reconnects with backoff. The URL is computed at every (re)connect so a token
// refreshed in the meantime is used; `beforeConnect` may refresh it first (an authed request).
import { useEffect, useRef, useState } from 'react';

export type SocketState = 'connecting' | 'open' | 'closed';

export interface SocketOptions {
  /** the ws path with query (e.g. /machines/ws/machines/?token=…), or null to stay closed */
  url: () => string | null;
  onMessage: (data: unknown) => void;
  /** return false to stop reconnecting (e.g. the room was deleted) */
  onClose?: (ev: CloseEvent) => boolean | void;
  beforeConnect?: () => Promise<void>;
  /** reconnects from scratch when any of these change */
  deps: unknown[];
}

export function wsUrl(pathWithQuery: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${pathWithQuery}`;
}

export function useSocket(opts: SocketOptions): { state: SocketState; send: (data: unknown) => boolean } {
  const [state, setState] = useState<SocketState>('connecting');
  const latest = useRef(opts);
  latest.current = opts;
  const socket = useRef<WebSocket | null>(null);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      if (stopped) return;
      setState('connecting');
      try {
        await latest.current.beforeConnect?.();
      } catch {
        // the socket's own failure decides what happens next
      }
      const url = latest.current.url();
      if (stopped || !url) return setState('closed');
      const ws = new WebSocket(wsUrl(url));
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setState('open');
      };
      ws.onmessage = (ev) => {
        try {
          latest.current.onMessage(JSON.parse(String(ev.data)));
        } catch {
          // not JSON: nothing this UI can show
        }
      };
      ws.onclose = (ev) => {
        if (socket.current === ws) socket.current = null;
        if (stopped) return;
        setState('closed');
        if (latest.current.onClose?.(ev) === false) return;
        const delay = Math.min(10_000, 500 * 2 ** attempt++);
        timer = setTimeout(() => void connect(), delay);
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.current?.close(1000);
      socket.current = null;
    };
  }, opts.deps);

  return {
    state,
    send: (data) => {
      const ws = socket.current;
      if (!ws || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(data));
      return true;
    },
  };
}
