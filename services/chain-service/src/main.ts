import { ConfigError, configFromEnv, type ChainConfig } from './config';
import { stdoutLog } from './log';
import { startTracing, type Tracing } from './tracing';

// The process: configuration from the environment, tracing when an OTLP endpoint is set, JSON
// logs, graceful stop on SIGTERM/SIGINT. The server is loaded only after tracing started, so the
// HTTP instrumentation sees node:http before the server and its upstream client use it.

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ChainConfig;
  let tracing: Tracing | undefined;
  try {
    config = configFromEnv(env);
    tracing = startTracing(env, config.serviceName);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stdoutLog({ level: 'error', event: 'config_error', detail: error.message });
    process.exit(1);
  }
  const { createServer } = await import('./server');
  const chain = createServer(config);
  const stop = async (code: number) => {
    // Spans of the last requests are still in the batch: send them before exiting.
    await tracing?.shutdown().catch((error: unknown) => stdoutLog({ service: config.serviceName, level: 'warn', event: 'trace_flush_failed', detail: String(error) }));
    process.exit(code);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!chain.ready()) {
        stdoutLog({ service: config.serviceName, level: 'warn', event: 'forced_exit', signal });
        process.exit(1);
      }
      stdoutLog({ service: config.serviceName, event: 'signal', signal });
      void chain.shutdown().then(() => stop(0));
    });
  }
  try {
    const port = await chain.listen();
    stdoutLog({ service: config.serviceName, event: 'listening', host: config.host ?? '*', port, next: config.next ?? null, upstreamTimeoutMs: config.upstreamTimeoutMs, tracing: Boolean(tracing) });
  } catch (error) {
    stdoutLog({ service: config.serviceName, level: 'error', event: 'listen_failed', detail: String(error) });
    await stop(1);
  }
}

if (require.main === module) void main();
