import { closest, distance } from 'fastest-levenshtein';

// Usage the synthesized resources cannot tell: traffic, log volume, stored images. Each has a
// documented default, a flag and an environment variable (the flag wins), and the report prints
// the values it used.

export interface UsageParameters {
  logsGb: number;
  flowLogsGb: number;
  natGb: number;
  endpointGb: number;
  albLcu: number;
  latticeGb: number;
  latticeRequestsMillions: number;
  ecrGb: number;
}

export interface ParameterSpec {
  name: keyof UsageParameters;
  flag: string;
  env: string;
  default: number;
  /** What one unit of the value is. */
  unit: string;
}

export const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'logsGb', flag: '--logs-gb', env: 'COST_LOGS_GB', default: 5, unit: 'GB ingested per log group per month (EKS control-plane logs, Lattice access logs)' },
  { name: 'flowLogsGb', flag: '--flow-logs-gb', env: 'COST_FLOW_LOGS_GB', default: 10, unit: 'GB of flow log records per VPC per month' },
  { name: 'natGb', flag: '--nat-gb', env: 'COST_NAT_GB', default: 20, unit: 'GB through the NAT gateways of each VPC per month' },
  { name: 'endpointGb', flag: '--endpoint-gb', env: 'COST_ENDPOINT_GB', default: 10, unit: 'GB through the interface endpoints of each VPC per month' },
  { name: 'albLcu', flag: '--alb-lcu', env: 'COST_ALB_LCU', default: 1, unit: 'LCUs per ALB, averaged over the month' },
  { name: 'latticeGb', flag: '--lattice-gb', env: 'COST_LATTICE_GB', default: 10, unit: 'GB processed per Lattice service per month' },
  { name: 'latticeRequestsMillions', flag: '--lattice-requests', env: 'COST_LATTICE_REQUESTS', default: 1, unit: 'million requests per Lattice service per month' },
  { name: 'ecrGb', flag: '--ecr-gb', env: 'COST_ECR_GB', default: 1, unit: 'GB of images stored per ECR repository' },
];

export const DEFAULT_PARAMETERS: UsageParameters = Object.fromEntries(PARAMETERS.map((p) => [p.name, p.default])) as unknown as UsageParameters;

export interface CostOptions {
  params: UsageParameters;
  /** Where each value came from, for the report: "default", "--logs-gb" or "COST_LOGS_GB". */
  origins: Record<keyof UsageParameters, string>;
  quiet: boolean;
  /** The first day of the month estimated (YYYY-MM-DD): decides EKS standard or extended support. */
  on: string;
  help: boolean;
}

/** A bad flag or value: the CLI prints the message alone, with no stack trace. */
export class CostUsageError extends Error {}

const SWITCHES = ['--quiet', '--help'];
const VALUED = ['--on', ...PARAMETERS.map((p) => p.flag)];

function number(value: string, where: string, spec: ParameterSpec): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new CostUsageError(`${where}: "${value}" is not a number of ${spec.unit}. Fix: give a number of 0 or more, e.g. ${spec.flag} ${spec.default}`);
  }
  return n;
}

function day(value: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new CostUsageError(`--on: "${value}" is not a date. Fix: write the first day to estimate as YYYY-MM-DD, e.g. --on 2027-01-01`);
  }
  return value;
}

function unknownFlag(flag: string): CostUsageError {
  const known = [...SWITCHES, ...VALUED];
  const name = flag.split('=')[0];
  const near = closest(name, known);
  const hint = distance(name, near) <= 3 ? `did you mean ${near}? ` : '';
  return new CostUsageError(`"${flag}" is not an option of npm run cost. Fix: ${hint}options are ${known.join(', ')} (npm run cost -- --help)`);
}

/** Flags after `npm run cost --`, then COST_* environment variables, then the defaults. */
export function parseCostOptions(argv: string[], env: NodeJS.ProcessEnv, today: string): CostOptions {
  const params = { ...DEFAULT_PARAMETERS };
  const origins = Object.fromEntries(PARAMETERS.map((p) => [p.name, 'default'])) as CostOptions['origins'];
  for (const spec of PARAMETERS) {
    const value = env[spec.env];
    if (value !== undefined) {
      params[spec.name] = number(value, spec.env, spec);
      origins[spec.name] = spec.env;
    }
  }
  const options: CostOptions = { params, origins, quiet: false, on: today, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quiet') options.quiet = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else {
      const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (!VALUED.includes(flag)) throw unknownFlag(arg);
      const value = inline ?? argv[++i];
      if (value === undefined) throw new CostUsageError(`${flag} needs a value. Fix: e.g. ${flag} ${flag === '--on' ? today : PARAMETERS.find((p) => p.flag === flag)!.default}`);
      if (flag === '--on') options.on = day(value);
      else {
        const spec = PARAMETERS.find((p) => p.flag === flag)!;
        params[spec.name] = number(value, flag, spec);
        origins[spec.name] = flag;
      }
    }
  }
  return options;
}

export function helpText(): string {
  const lines = [
    'npm run cost [-- options]: the monthly cost of the config in MESH_CONFIG (or the demo), from its synthesized resources.',
    '',
    '  --quiet              print only the total',
    '  --on YYYY-MM-DD      the month to estimate from (default today): decides EKS standard or extended support',
    ...PARAMETERS.map((p) => `  ${`${p.flag} N`.padEnd(21)}${p.unit} (default ${p.default}; env ${p.env})`),
  ];
  return lines.join('\n');
}
