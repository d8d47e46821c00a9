import { SynthView, type Item, type SynthesizedStack } from './inventory';
import type { UsageParameters } from './parameters';
import { monthlyUnitPrice, priceTableFor, PRICE_TABLES, type Price, type PriceKey, type PriceTable } from './prices';
import { COST_RULES, ruleFor, type Charge, type CostRule, type NotPriced, type RuleContext } from './rules';

// Applies the rules to every synthesized resource and adds the charges up: line items (count ×
// monthly unit price), a subtotal per stack, the total, what dominates it, and every resource
// that is free or not priced, by kind, with the reason.

export interface LineItem {
  label: string;
  priceKey: PriceKey;
  price: Price;
  count: number;
  /** Monthly price of one unit (hourly prices × 730). */
  unitPrice: number;
  monthly: number;
}

export interface StackCost {
  stack: string;
  monthly: number;
  items: LineItem[];
}

export interface Unpriced {
  kind: string;
  count: number;
  reason: string;
}

export interface Estimate {
  region: string;
  table: PriceTable;
  on: string;
  params: UsageParameters;
  stacks: StackCost[];
  /** Across stacks, largest first. */
  lineItems: LineItem[];
  total: number;
  /** The three line items that dominate the total. */
  top: LineItem[];
  notPriced: Unpriced[];
  free: Unpriced[];
  /** Prices used whose figure is not confirmed on an AWS page for this region. */
  unconfirmed: Array<{ key: PriceKey; price: Price }>;
  notes: string[];
}

export interface EstimateOptions {
  region: string;
  params: UsageParameters;
  on: string;
  tables?: Readonly<Record<string, PriceTable>>;
  rules?: readonly CostRule[];
}

const isNotPriced = (c: Charge | NotPriced): c is NotPriced => 'notPriced' in c;

function addTo(items: LineItem[], charge: Charge, price: Price): void {
  let item = items.find((i) => i.label === charge.label && i.priceKey === charge.priceKey);
  if (!item) {
    item = { label: charge.label, priceKey: charge.priceKey, price, count: 0, unitPrice: monthlyUnitPrice(price), monthly: 0 };
    items.push(item);
  }
  item.count += charge.count;
  item.monthly = item.count * item.unitPrice;
}

function tally(list: Unpriced[], kind: string, reason: string): void {
  const found = list.find((u) => u.kind === kind && u.reason === reason);
  if (found) found.count += 1;
  else list.push({ kind, count: 1, reason });
}

const byMonthly = (a: LineItem, b: LineItem) => b.monthly - a.monthly || a.label.localeCompare(b.label);

export function estimate(synthesized: SynthesizedStack[], options: EstimateOptions): Estimate {
  const table = priceTableFor(options.region, options.tables ?? PRICE_TABLES);
  const view = new SynthView(synthesized);
  const notes: string[] = [];
  const ctx: RuleContext = { view, params: options.params, on: options.on, note: (t) => notes.includes(t) || notes.push(t) };
  const notPriced: Unpriced[] = [];
  const free: Unpriced[] = [];
  const lineItems: LineItem[] = [];
  const stacks: StackCost[] = synthesized.map((s) => ({ stack: s.name, monthly: 0, items: [] }));
  const used = new Set<PriceKey>();
  const price = (item: Item, charge: Charge): Price | undefined => {
    const found = table.prices[charge.priceKey];
    if (!found) tally(notPriced, item.kind, `no ${table.region} price for ${charge.priceKey} (${charge.label}). Fix: add it to scripts/cost/prices.ts with its source`);
    return found;
  };
  for (const item of view.items) {
    const rule = ruleFor(item, ctx, options.rules ?? COST_RULES);
    if (!rule) tally(notPriced, item.kind, 'no pricing rule. Fix: add one to scripts/cost/rules.ts (priced, free or not priced, with the reason)');
    else if (rule.notPriced) tally(notPriced, item.kind, rule.notPriced);
    else if (rule.free) tally(free, item.kind, rule.free);
    else {
      const stack = stacks.find((s) => s.stack === item.stack)!;
      for (const charge of rule.charge!(item, ctx)) {
        if (isNotPriced(charge)) {
          tally(notPriced, item.kind, charge.notPriced);
          continue;
        }
        const found = price(item, charge);
        if (!found) continue;
        used.add(charge.priceKey);
        addTo(stack.items, charge, found);
        addTo(lineItems, charge, found);
      }
    }
  }
  for (const s of stacks) {
    s.items.sort(byMonthly);
    s.monthly = s.items.reduce((sum, i) => sum + i.monthly, 0);
  }
  lineItems.sort(byMonthly);
  const total = lineItems.reduce((sum, i) => sum + i.monthly, 0);
  const unconfirmed = [...used].sort().flatMap((key) => (table.prices[key]!.confirmation === 'aws' ? [] : [{ key, price: table.prices[key]! }]));
  return { region: table.region, table, on: options.on, params: options.params, stacks, lineItems, total, top: lineItems.slice(0, 3), notPriced, free, unconfirmed, notes };
}
