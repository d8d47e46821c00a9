// Logging, kept apart from the server so the process entry (main.ts) can log before it loads
// anything that uses node:http.

export type Log = (entry: Record<string, unknown>) => void;

/** One JSON object per line on stdout. */
export const stdoutLog: Log = (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
