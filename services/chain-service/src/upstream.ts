import * as http from 'node:http';
import * as https from 'node:https';

/** What calling the next hop came to. */
export type UpstreamResult =
  | { ok: true; status: number; body: unknown }
  /** No answer at all: connection refused or reset, DNS failure, TLS failure. */
  | { ok: false; kind: 'unreachable'; detail: string }
  /** No complete answer before the deadline; the request was aborted. */
  | { ok: false; kind: 'timeout'; detail: string }
  /** An answer, but not a usable one: non-2xx, not JSON, too large, broken off. */
  | { ok: false; kind: 'error'; detail: string; status?: number; body?: unknown }
  /** The caller gave up (its own client went away); nobody is waiting for the result. */
  | { ok: false; kind: 'cancelled'; detail: string };

export interface CallOptions {
  /** Deadline for the whole call: connect, headers and body. */
  timeoutMs: number;
  headers?: http.OutgoingHttpHeaders;
  /** Aborts the call early, e.g. when the downstream client disconnected. */
  cancel?: AbortSignal;
}

const MAX_BODY_BYTES = 1024 * 1024;

// Keep-alive to the next hop (its sidecar, in the mesh); idle sockets are dropped after 4 s,
// before Node's default 5 s server keep-alive would close them under us.
const agents = {
  http: new http.Agent({ keepAlive: true, timeout: 4000 }),
  https: new https.Agent({ keepAlive: true, timeout: 4000 }),
};

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code && !String(e.message).includes(e.code) ? `${e.code}: ${e.message}` : String(e.message ?? e);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * GET a JSON document from the next hop. Never rejects and never hangs: every outcome,
 * including a stuck upstream, becomes an UpstreamResult within `timeoutMs`.
 */
export function getJson(url: string, options: CallOptions): Promise<UpstreamResult> {
  return new Promise((resolve) => {
    const controller = new AbortController();
    let timedOut = false;
    let answered = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const cancel = () => controller.abort();
    options.cancel?.addEventListener('abort', cancel, { once: true });

    let settled = false;
    const settle = (result: UpstreamResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.cancel?.removeEventListener('abort', cancel);
      resolve(result);
    };
    const fail = (error: unknown) => {
      if (timedOut) settle({ ok: false, kind: 'timeout', detail: `no complete answer within ${options.timeoutMs} ms` });
      else if (controller.signal.aborted) settle({ ok: false, kind: 'cancelled', detail: 'the client went away' });
      else if (answered) settle({ ok: false, kind: 'error', detail: `answer broken off: ${describe(error)}` });
      else settle({ ok: false, kind: 'unreachable', detail: describe(error) });
    };
    if (options.cancel?.aborted) return settle({ ok: false, kind: 'cancelled', detail: 'the client went away' });

    const client = url.startsWith('https:') ? https : http;
    let req: http.ClientRequest;
    try {
      req = client.get(url, { agent: url.startsWith('https:') ? agents.https : agents.http, signal: controller.signal, headers: { accept: 'application/json', ...options.headers } }, (res) => {
        answered = true;
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            settle({ ok: false, kind: 'error', status, detail: `answer larger than ${MAX_BODY_BYTES} bytes` });
            req.destroy();
          } else chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) return fail(new Error('connection closed before the answer was complete'));
          const text = Buffer.concat(chunks).toString('utf8');
          const body = parse(text);
          if (status < 200 || status > 299) {
            settle({ ok: false, kind: 'error', status, detail: `answered ${status}`, body: body ?? text.slice(0, 200) });
          } else if (body === undefined) {
            settle({ ok: false, kind: 'error', status, detail: 'answer is not JSON' });
          } else settle({ ok: true, status, body });
        });
      });
    } catch (error) {
      return fail(error);
    }
    req.on('error', fail);
  });
}
