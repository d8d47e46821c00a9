// Stacks talk only through outputs declared in a contract: the producer must publish every
// key (the compiler checks), the consumer can only read declared keys, and each key carries the
// mock the offline plan uses when the producer has not been applied yet. These are the types;
// stacks/link/stack-link.ts publishes and reads them through Terraform remote state.

export type MockValue = string | string[] | Record<string, string> | Record<string, string[]>;

export interface OutputSpec<M extends MockValue = MockValue> {
  description: string;
  /** Stand-in for the offline plan only; a deploy never sees it. */
  mock: M;
  sensitive?: boolean;
}

export type OutputContract = Record<string, OutputSpec>;

/** The keys of a contract whose values have the shape M. */
export type KeysWhere<C extends OutputContract, M> = { [K in keyof C]: C[K]['mock'] extends M ? K : never }[keyof C] & string;

/** The values a producer must publish: one per contract key. */
export type OutputValues<C extends OutputContract> = { [K in keyof C]: unknown };

/** Typed reads of an upstream stack's outputs; reading adds the dependency on that stack. */
export interface OutputReader<C extends OutputContract> {
  string(key: KeysWhere<C, string>): string;
  list(key: KeysWhere<C, string[]>): string[];
  /** One entry of a map output keyed by account (or service) name. */
  entry(key: KeysWhere<C, Record<string, string>>, name: string): string;
  entryList(key: KeysWhere<C, Record<string, string[]>>, name: string): string[];
}
