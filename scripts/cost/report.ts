import type { Estimate, LineItem, StackCost } from './estimate';
import { PARAMETERS, type CostOptions } from './parameters';
import { HOURS_PER_MONTH, type Price } from './prices';

// How an estimate reads in a terminal: a line per stack, the line items, the total and what
// dominates it, the assumptions used, and everything not priced.

export const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function table(rows: string[][], rightAligned: number[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/** A list price as AWS writes it: every digit it lists ($0.0225), whole cents with two ($3.00). */
export function rateText(price: Price): string {
  const n = price.usd;
  return `$${Math.abs(n * 100 - Math.round(n * 100)) < 1e-9 ? n.toFixed(2) : String(n)}/${price.unit}`;
}

export function unitPriceText(item: LineItem): string {
  const rate = rateText(item.price);
  return item.price.hourly ? `${rate} × ${HOURS_PER_MONTH} h = ${usd(item.unitPrice)}` : rate;
}

/** One line per stack: its subtotal and its three largest items. */
export function stackLine(stack: StackCost, width: number): string {
  const items = stack.items.slice(0, 3).map((i) => `${i.label} ${usd(i.monthly)}`);
  const more = stack.items.length > 3 ? `, +${stack.items.length - 3} more` : '';
  return `  ${stack.stack.padEnd(width)}  ${usd(stack.monthly).padStart(10)}/month${items.length ? `  ${items.join(', ')}${more}` : '  nothing priced'}`;
}

export function lineItemTable(e: Estimate): string {
  const rows = [['resource', 'count', 'unit price', 'monthly'], ...e.lineItems.map((i) => [i.label, count(i.count), unitPriceText(i), usd(i.monthly)])];
  return table(rows, [1, 3]);
}

export function dominantText(e: Estimate): string {
  const share = (i: LineItem) => (e.total > 0 ? Math.round((100 * i.monthly) / e.total) : 0);
  return e.top.map((i, n) => `${n + 1}. ${i.label} ${usd(i.monthly)} (${share(i)}%)`).join('; ');
}

export function assumptionsText(e: Estimate, origins: CostOptions['origins']): string[] {
  return [
    `month of ${HOURS_PER_MONTH} hours from ${e.on}, On-Demand list prices, no free tier, no taxes`,
    ...PARAMETERS.map((p) => `${p.flag.slice(2)} = ${count(e.params[p.name])}: ${p.unit} (${origins[p.name] === 'default' ? `default; ${p.flag} or ${p.env} to change` : `from ${origins[p.name]}`})`),
    'not estimated: data transfer between AZs or to the internet, log storage, DNS queries, KMS requests, EBS snapshots',
  ];
}

export function fullReport(e: Estimate, origins: CostOptions['origins']): string {
  const out: string[] = ['', `Line items (USD per month, ${e.region}):`, lineItemTable(e), '', `Total: ${usd(e.total)} per month`, `Dominated by: ${dominantText(e)}`];
  out.push('', 'Assumptions:', ...assumptionsText(e, origins).map((a) => `  - ${a}`));
  if (e.notPriced.length) {
    out.push('', 'Not priced (billed, but not in the total):', ...e.notPriced.map((u) => `  - ${u.kind} ×${u.count}: ${u.reason}`));
  }
  const freeCount = e.free.reduce((n, u) => n + u.count, 0);
  const freeKinds = [...new Set(e.free.map((u) => u.kind))].sort();
  out.push('', `No charge of their own: ${freeCount} resources of ${freeKinds.length} kinds (${freeKinds.join(', ')})`);
  if (e.unconfirmed.length) {
    out.push('', `Prices not confirmed on an AWS page for ${e.region} (read ${e.table.readOn}; sources in scripts/cost/prices.ts):`);
    out.push(...e.unconfirmed.map((u) => `  - ${u.key} ${rateText(u.price)}: ${u.price.confirmation}${u.price.note ? ` (${u.price.note})` : ''}`));
  }
  if (e.notes.length) out.push('', 'Notes:', ...e.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}
