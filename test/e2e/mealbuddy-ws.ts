// A `ws` client for the mealbuddy socket tests: records frames and the close, waits for frames.
import WebSocket from 'ws';

export interface Frame {
  type: string;
  user_id?: number;
  message?: { id: number; user: { id: number; username: string; email: string } | null; message: string; created_at: string; chatroom: number };
  error?: { code: string; message: string };
}

export interface Client {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<{ code: number; reason: string }>;
  next(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  send(data: unknown): void;
}

export function connectChat(base: string, roomId: number | string, token: string | undefined, headers: Record<string, string> = {}): Client {
  const url = `${base.replace(/^http/, 'ws')}/ws/chat/${roomId}/${token !== undefined ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  const waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  let seen = 0;
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as Frame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return {
    ws,
    frames,
    closed,
    next(pred, timeoutMs = 5000) {
      const found = frames.slice(seen).find(pred);
      if (found) {
        seen = frames.indexOf(found) + 1;
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(timer);
            seen = frames.indexOf(f) + 1;
            resolve(f);
          },
        });
      });
    },
    send(data) {
      const go = () => ws.send(typeof data === 'string' ? data : JSON.stringify(data));
      if (ws.readyState === WebSocket.OPEN) go();
      else ws.once('open', go);
    },
  };
}
